package io.flb4j.host;

import io.flb4j.api.Logger;

/**
 * Where a library's log lines go inside a plugin (the SLF4J provider {@code flb4j-slf4j} and
 * {@link io.flb4j.logging.FluentBitHandler} for {@code java.util.logging} call this): the
 * logger of the instance whose callback the current thread is running (init, flush, collect,
 * close), so the line names the plugin and the instance; on any other thread, the plugin's own
 * logger, which names the plugin. Levels are checked with Fluent Bit ({@code log_level}) before
 * a message is formatted. Outside Fluent Bit (no plugin started in this class loader), lines
 * go to standard error at INFO and above.
 */
public final class LogBridge {
    private static final ThreadLocal<Logger> CURRENT = new ThreadLocal<>();
    private static final java.util.List<Runnable> AT_END = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static volatile PluginHost active;

    private LogBridge() {}

    /** The logger for a line logged on this thread now. */
    public static Logger logger() {
        Logger l = CURRENT.get();
        if (l != null) {
            return l;
        }
        PluginHost host = active;
        return host != null ? host.pluginLogger() : StandardError.INSTANCE;
    }

    static void activate(PluginHost host) {
        active = host;
    }

    static void deactivate(PluginHost host) {
        if (active == host) {
            active = null;
        }
        for (Runnable r : AT_END) {
            AT_END.remove(r);
            r.run();
        }
    }

    /**
     * Runs {@code undo} when this class loader's plugin generation ends (a logging adapter that
     * hooked itself into the JVM takes itself off there), once.
     */
    public static void whenGenerationEnds(Runnable undo) {
        AT_END.add(undo);
    }

    /** Runs {@code body} with {@code logger} as this thread's; restores the previous one after. */
    static <T> T with(Logger logger, Call<T> body) throws Exception {
        Logger previous = CURRENT.get();
        CURRENT.set(logger);
        try {
            return body.run();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** A call made with a logger set. */
    interface Call<T> {
        T run() throws Exception;
    }

    /** Lines logged where no plugin runs (a library's unit tests, say). */
    private enum StandardError implements Logger {
        INSTANCE;

        @Override
        public boolean isEnabled(Level level) {
            return level.code() <= Level.INFO.code();
        }

        @Override
        public void log(Level level, String message) {
            if (isEnabled(level)) {
                System.err.println("[" + level.name().toLowerCase(java.util.Locale.ROOT) + "] " + message);
            }
        }
    }
}
