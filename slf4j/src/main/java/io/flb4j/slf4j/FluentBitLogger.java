package io.flb4j.slf4j;

import io.flb4j.host.LogBridge;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J logger that writes to Fluent Bit's log at the same level (TRACE, DEBUG, INFO, WARN,
 * ERROR map one to one). Each line starts like the plugin's own, naming the plugin and the
 * instance whose callback logged it, then the logger's name:
 * {@code [flb4j:my_output#1] com.example.Client: retrying in 2 s}. Whether a level is enabled
 * is asked of Fluent Bit ({@code log_level}) before anything is formatted.
 */
final class FluentBitLogger extends AbstractLogger {
    private static final long serialVersionUID = 1L;

    FluentBitLogger(String name) {
        this.name = name;
    }

    private static io.flb4j.api.Logger.Level level(Level level) {
        return switch (level) {
            case ERROR -> io.flb4j.api.Logger.Level.ERROR;
            case WARN -> io.flb4j.api.Logger.Level.WARN;
            case INFO -> io.flb4j.api.Logger.Level.INFO;
            case DEBUG -> io.flb4j.api.Logger.Level.DEBUG;
            case TRACE -> io.flb4j.api.Logger.Level.TRACE;
        };
    }

    private static boolean enabled(Level level) {
        return LogBridge.logger().isEnabled(level(level));
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                               Throwable throwable) {
        io.flb4j.api.Logger target = LogBridge.logger();
        io.flb4j.api.Logger.Level fluentBitLevel = level(level);
        if (!target.isEnabled(fluentBitLevel)) {
            return;
        }
        String message = name + ": " + MessageFormatter.basicArrayFormat(messagePattern, arguments);
        if (throwable != null) {
            target.log(fluentBitLevel, message, throwable);
        } else {
            target.log(fluentBitLevel, message);
        }
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return isTraceEnabled();
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return isDebugEnabled();
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return isInfoEnabled();
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return isWarnEnabled();
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return isErrorEnabled();
    }
}
