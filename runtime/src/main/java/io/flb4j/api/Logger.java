package io.flb4j.api;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Writes to Fluent Bit's log at Fluent Bit's levels. The level is checked (with Fluent Bit's
 * {@code log_level}) before the message is formatted, so a disabled debug line costs nothing.
 * A format with {@code {}} placeholders and no {@code %} is filled the SLF4J way; any other
 * follows {@link String#format}; with no arguments the message is written as it is. A
 * {@code Throwable} left over after the placeholders adds its chain of causes.
 *
 * <pre>{@code
 * fbit.logger().info("connected to {} in {} ms", endpoint, millis);
 * fbit.logger().info("connected to %s", endpoint);
 * fbit.logger().error("flush failed", exception);
 * fbit.logger().warn("retrying {}", endpoint, exception);
 * }</pre>
 *
 * <p>Libraries that log through SLF4J reach the same log with the {@code flb4j-slf4j} module on
 * the plugin's class path, and {@code java.util.logging} with
 * {@link io.flb4j.logging.FluentBitHandler#install()}.
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

    /** Writes the formatted message (see the class comment for the two styles), if {@code level} is enabled. */
    default void log(Level level, String format, Object... args) {
        if (isEnabled(level)) {
            log(level, format(format, args));
        }
    }

    /**
     * Fills {@code format}: {@code {}} placeholders in order when it has some and no {@code %},
     * {@link String#format} otherwise. A last argument that is a {@code Throwable} and has no
     * placeholder of its own is appended with its causes.
     */
    static String format(String format, Object... args) {
        if (args == null || args.length == 0) {
            return format;
        }
        boolean braces = format.contains("{}") && format.indexOf('%') < 0;
        if (!braces) {
            return String.format(format, args);
        }
        StringBuilder out = new StringBuilder(format.length() + 16 * args.length);
        int used = 0;
        int from = 0;
        for (int at = format.indexOf("{}"); at >= 0 && used < args.length; at = format.indexOf("{}", from)) {
            out.append(format, from, at).append(args[used++]);
            from = at + 2;
        }
        out.append(format, from, format.length());
        if (used == args.length - 1 && args[used] instanceof Throwable t) {
            out.append(": ").append(causes(t));
        }
        return out.toString();
    }

    /** Writes {@code message} and the exception's chain of causes on one line. */
    default void log(Level level, String message, Throwable error) {
        if (isEnabled(level)) {
            log(level, message + ": " + causes(error));
        }
    }

    /**
     * An exception and its causes on one line: {@code a.B: x; caused by c.D: y}. A chain that loops
     * back (possible with {@code initCause}) ends at the first exception met again, as
     * {@code [circular reference: c.D: y]}, and one deeper than 32 with {@code ; …}.
     */
    static String causes(Throwable error) {
        StringBuilder b = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable t = error;
        for (; t != null && seen.size() < 32; t = t.getCause()) {
            if (!seen.add(t)) {
                return b.append("; caused by [circular reference: ").append(t).append(']').toString();
            }
            b.append(t == error ? "" : "; caused by ").append(t);
        }
        return t == null ? b.toString() : b.append("; …").toString();
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
