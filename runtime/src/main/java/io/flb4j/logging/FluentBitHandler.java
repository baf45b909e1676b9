package io.flb4j.logging;

import io.flb4j.api.Logger;
import io.flb4j.host.LogBridge;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * A {@code java.util.logging} handler that writes to Fluent Bit's log: each record at the
 * matching Fluent Bit level (SEVERE → error, WARNING → warn, INFO and CONFIG → info, FINE →
 * debug, FINER and FINEST → trace), named by plugin and instance like the plugin's own lines,
 * and formatted only when Fluent Bit's {@code log_level} lets it through.
 *
 * <pre>{@code
 * public void init(FluentBit fbit) {
 *     FluentBitHandler.install();   // JUL lines of the libraries the plugin uses now reach Fluent Bit
 * }
 * }</pre>
 *
 * <p>JUL's root logger is one per JVM, and so shared by every flb4j plugin of a Fluent Bit:
 * install it from one plugin, whose name its lines carry. It is removed when that plugin's
 * generation ends (hot reload, shutdown), so the old generation's classes can be unloaded.
 */
public final class FluentBitHandler extends Handler {
    private static FluentBitHandler installed;
    private final Formatter messages = new SimpleFormatter();

    /**
     * Routes the root logger to Fluent Bit: adds this handler and removes the console handler
     * JUL starts with (it would print every line a second time on standard error). The root
     * level becomes ALL, so Fluent Bit's {@code log_level} alone decides. Safe to call again.
     */
    public static synchronized FluentBitHandler install() {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            if (h instanceof java.util.logging.ConsoleHandler || h.getClass().getName().equals(FluentBitHandler.class.getName())) {
                root.removeHandler(h);
            }
        }
        FluentBitHandler handler = new FluentBitHandler();
        root.addHandler(handler);
        root.setLevel(Level.ALL);
        installed = handler;
        LogBridge.whenGenerationEnds(FluentBitHandler::uninstall);
        return handler;
    }

    /** Takes the handler {@link #install} added off the root logger; runs by itself when the plugin's generation ends. */
    public static synchronized void uninstall() {
        if (installed != null) {
            java.util.logging.Logger.getLogger("").removeHandler(installed);
            installed = null;
        }
    }

    /** The Fluent Bit level of a JUL level. */
    static Logger.Level level(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return Logger.Level.ERROR;
        }
        if (v >= Level.WARNING.intValue()) {
            return Logger.Level.WARN;
        }
        if (v >= Level.CONFIG.intValue()) {
            return Logger.Level.INFO;
        }
        return v >= Level.FINE.intValue() ? Logger.Level.DEBUG : Logger.Level.TRACE;
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || record.getLevel() == Level.OFF) {
            return;
        }
        Logger target = LogBridge.logger();
        Logger.Level level = level(record.getLevel());
        if (!target.isEnabled(level)) {
            return;
        }
        String name = record.getLoggerName();
        String text = (name == null || name.isEmpty() ? "" : name + ": ") + messages.formatMessage(record);
        if (record.getThrown() != null) {
            target.log(level, text, record.getThrown());
        } else {
            target.log(level, text);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
