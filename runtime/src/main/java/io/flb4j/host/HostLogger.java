package io.flb4j.host;

import io.flb4j.api.Logger;

/** A plugin instance's logger: checks the level with Fluent Bit first, prefixes the instance. */
final class HostLogger implements Logger {
    private final HostApi api;
    private final long instance;
    private final String prefix;
    /** Once the instance is gone: warnings and errors still print, without asking Fluent Bit about it. */
    private volatile boolean detached;
    /** Without an instance to ask Fluent Bit about: the most detailed level printed. */
    private final Level ceiling;

    HostLogger(HostApi api, long instance, String pluginName, int instanceId) {
        this(api, instance, prefix(pluginName, instanceId));
    }

    /** A logger whose lines start with {@code prefix}; its levels are {@code instance}'s (0: all enabled). */
    HostLogger(HostApi api, long instance, String prefix) {
        this(api, instance, prefix, Level.TRACE);
    }

    /**
     * A logger of no instance ({@code instance} 0) prints {@code ceiling} and above: Fluent Bit
     * cannot be asked for the level of an instance that does not exist.
     */
    HostLogger(HostApi api, long instance, String prefix, Level ceiling) {
        this.api = api;
        this.instance = instance;
        this.prefix = prefix;
        this.ceiling = ceiling;
    }

    /** How every line of an instance starts: {@code [flb4j:<plugin>#<instance>] }. */
    static String prefix(String pluginName, long instanceId) {
        return "[flb4j:" + pluginName + "#" + instanceId + "] ";
    }

    void detach() {
        detached = true;
    }

    @Override
    public boolean isEnabled(Level level) {
        if (detached) {
            return level.code() <= Level.WARN.code();
        }
        return instance == 0 ? level.code() <= ceiling.code() : api.logEnabled(instance, level.code());
    }

    @Override
    public void log(Level level, String message) {
        if (isEnabled(level)) {
            api.log(detached ? 0 : instance, level.code(), prefix + message);
        }
    }
}
