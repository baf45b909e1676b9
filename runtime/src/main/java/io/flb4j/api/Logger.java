package io.flb4j.api;

/**
 * Writes to Fluent Bit's log at Fluent Bit's levels. The level is checked (with Fluent Bit's
 * {@code log_level}) before the message is formatted, so a disabled debug line costs nothing.
 * Formats follow {@link String#format}; with no arguments the message is written as it is.
 *
 * <pre>{@code
 * fbit.logger().info("connected to %s", endpoint);
 * fbit.logger().error("flush failed", exception);
 * }</pre>
 */
public interface Logger {
    /** Fluent Bit's log levels, with its numbers. */
    enum Level {
        ERROR(1), WARN(2), INFO(3), DEBUG(4), TRACE(5);

        private final int code;

        Level(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    boolean isEnabled(Level level);

    /** Writes {@code message} as it is, if {@code level} is enabled. */
    void log(Level level, String message);

    default void log(Level level, String format, Object... args) {
        if (isEnabled(level)) {
            log(level, args.length == 0 ? format : String.format(format, args));
        }
    }

    /** Writes {@code message} and the exception's chain of causes on one line. */
    default void log(Level level, String message, Throwable error) {
        if (isEnabled(level)) {
            log(level, message + ": " + causes(error));
        }
    }

    /** An exception and its causes on one line: {@code a.B: x; caused by c.D: y}. */
    static String causes(Throwable error) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            b.append(t == error ? "" : "; caused by ").append(t);
            if (t.getCause() == t) {
                break;
            }
        }
        return b.toString();
    }

    default void error(String format, Object... args) {
        log(Level.ERROR, format, args);
    }

    default void error(String message, Throwable error) {
        log(Level.ERROR, message, error);
    }

    default void warn(String format, Object... args) {
        log(Level.WARN, format, args);
    }

    default void warn(String message, Throwable error) {
        log(Level.WARN, message, error);
    }

    default void info(String format, Object... args) {
        log(Level.INFO, format, args);
    }

    default void debug(String format, Object... args) {
        log(Level.DEBUG, format, args);
    }

    default void trace(String format, Object... args) {
        log(Level.TRACE, format, args);
    }
}
