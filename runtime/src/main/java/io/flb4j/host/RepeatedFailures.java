package io.flb4j.host;

import io.flb4j.api.Logger;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How an instance logs failures that repeat (a database down answers every flush the same way):
 * the first of a kind in a minute is logged, with each cause's message cut to
 * {@link #MESSAGE_LIMIT} characters (a driver's message may hold a whole statement and the
 * record's values); the rest of that minute are counted, and the count is logged with the next
 * one after it ({@code … 43 more in the last minute}). The whole chain of a failure that was
 * counted or cut goes to debug.
 * A kind is the flush's outcome, its tag and the classes of the exception and its causes.
 */
final class RepeatedFailures {
    static final int MESSAGE_LIMIT = 200;
    private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger logger;
    private final Map<String, Window> windows = new HashMap<>();

    RepeatedFailures(Logger logger) {
        this.logger = logger;
    }

    private static final class Window {
        long start;
        int more;
    }

    /** Logs {@code what} (with {@code error}'s chain, messages cut) at {@code level}, or counts it. */
    void report(Logger.Level level, String what, Throwable error) {
        String shortened = shortCauses(error);
        String whole = Logger.causes(error);
        if (report(level, level + " " + what + " " + classes(error), what + ": " + shortened, what + ": " + whole)
                && !shortened.equals(whole)) {
            logger.debug("%s: %s", what, whole);
        }
    }

    /**
     * Logs {@code what} (with {@code error}'s chain, messages cut) at {@code level}, or counts it
     * with the others of its {@code kind}: for a line that names one event, which would otherwise
     * be a kind of its own.
     */
    void report(Logger.Level level, String kind, String what, Throwable error) {
        report(level, kind, what + ": " + shortCauses(error), what + ": " + Logger.causes(error));
    }

    /**
     * Logs {@code line} at {@code level} unless a failure of the same {@code kind} was logged in
     * the last minute; then counts it (the line goes to debug). Returns whether it was logged.
     */
    boolean report(Logger.Level level, String kind, String line, String debugLine) {
        long now = System.nanoTime();
        int before;
        synchronized (windows) {
            Window w = windows.computeIfAbsent(kind, k -> new Window());
            if (w.start != 0 && now - w.start < WINDOW_NANOS) {
                w.more++;
                logger.debug("%s", debugLine);
                return false;
            }
            before = w.more;
            w.start = now;
            w.more = 0;
        }
        logger.log(level, line + (before > 0 ? " (… " + before + " more in the last minute)" : ""));
        return true;
    }

    private static String classes(Throwable error) {
        StringBuilder b = new StringBuilder();
        for (Throwable t : Causes.of(error)) {
            b.append(t.getClass().getName()).append(';');
        }
        return b.toString();
    }

    /** {@link Logger#causes}, each message cut to {@link #MESSAGE_LIMIT} characters. */
    static String shortCauses(Throwable error) {
        StringBuilder b = new StringBuilder();
        for (Throwable t : Causes.of(error)) {
            String message = t.getMessage();
            if (message != null && message.length() > MESSAGE_LIMIT) {
                message = message.substring(0, MESSAGE_LIMIT) + "… (" + message.length() + " characters; all at debug)";
            }
            b.append(t == error ? "" : "; caused by ").append(t.getClass().getName());
            if (message != null) {
                b.append(": ").append(message);
            }
        }
        return b.toString();
    }
}
