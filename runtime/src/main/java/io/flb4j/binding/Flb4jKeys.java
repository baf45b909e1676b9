package io.flb4j.binding;

import java.util.List;

/**
 * flb4j's own keys of an instance's section ({@code flb4j.*}), per kind: read by the host
 * ({@code FlushLimits}, {@code InputLimits}), listed in Fluent Bit's config_map and in the
 * generated docs beside the plugin's keys.
 */
public final class Flb4jKeys {
    public static final String FLUSH_TIMEOUT = KeptKeys.FLB4J_PREFIX + "flush_timeout";
    public static final String MAX_FLUSHES = KeptKeys.FLB4J_PREFIX + "max_flushes";
    public static final String BUFFER_LIMIT = KeptKeys.FLB4J_PREFIX + "buffer_limit";
    public static final String CHUNK_LIMIT = KeptKeys.FLB4J_PREFIX + "chunk_limit";
    public static final String LINGER = KeptKeys.FLB4J_PREFIX + "linger";
    public static final String CLOSE_TIMEOUT = KeptKeys.FLB4J_PREFIX + "close_timeout";
    public static final String INIT_TIMEOUT = KeptKeys.FLB4J_PREFIX + "init_timeout";
    public static final String DEFAULT_FLUSH_TIMEOUT = "20s";
    public static final int DEFAULT_CONCURRENT_FLUSHES = 4;
    public static final String DEFAULT_BUFFER_LIMIT = "16M";
    public static final String DEFAULT_CHUNK_LIMIT = "4M";
    public static final String DEFAULT_LINGER = "20ms";
    public static final String DEFAULT_CLOSE_TIMEOUT = "10s";
    public static final String DEFAULT_INIT_TIMEOUT = "10s";

    private Flb4jKeys() {}

    /** The flb4j keys an instance of {@code kind} reads, with types, defaults and descriptions. */
    public static List<PluginDescriptor.Key> of(PluginKind kind, boolean concurrentFlush) {
        List<PluginDescriptor.Key> keys = new java.util.ArrayList<>(ofKind(kind, concurrentFlush));
        keys.add(key(CLOSE_TIMEOUT, "duration", DEFAULT_CLOSE_TIMEOUT, "A close() not returned by then is "
                + "interrupted, and the instance's exit goes on without it"));
        keys.add(key(INIT_TIMEOUT, "duration", DEFAULT_INIT_TIMEOUT, "Fluent Bit waits this long for init; an init "
                + "still running goes on, and the instance takes nothing until it succeeds; a constructor still running "
                + "fails the init"));
        return List.copyOf(keys);
    }

    private static List<PluginDescriptor.Key> ofKind(PluginKind kind, boolean concurrentFlush) {
        return switch (kind) {
            case OUTPUT -> List.of(
                    key(FLUSH_TIMEOUT, "duration", DEFAULT_FLUSH_TIMEOUT, "A flush not answered by then is answered "
                            + "RETRY and its thread interrupted"),
                    key(MAX_FLUSHES, "int", concurrentFlush ? String.valueOf(DEFAULT_CONCURRENT_FLUSHES) : "1",
                            concurrentFlush ? "How many flushes of the instance run at once (1 to 64)"
                                    : "How many flushes of the instance run at once: 1, the flush is not thread-safe"));
            case INPUT -> List.of(
                    key(BUFFER_LIMIT, "size", DEFAULT_BUFFER_LIMIT, "Native memory for events not yet taken by "
                            + "Fluent Bit; emit blocks beyond it"),
                    key(CHUNK_LIMIT, "size", DEFAULT_CHUNK_LIMIT, "The largest batch handed to Fluent Bit at once, "
                            + "and so the largest event"),
                    key(LINGER, "duration", DEFAULT_LINGER, "How long a batch that is not full waits for more events"));
            case CUSTOM -> List.of();
        };
    }

    /** Every key of an instance's section the plugin reads: its own, then flb4j's. */
    public static List<PluginDescriptor.Key> withPluginKeys(PluginDescriptor d) {
        List<PluginDescriptor.Key> keys = new java.util.ArrayList<>(d.keys());
        keys.addAll(of(d.kind(), d.concurrentFlush()));
        return keys;
    }

    private static PluginDescriptor.Key key(String name, String type, String defaultValue, String description) {
        return new PluginDescriptor.Key(name, "", type, defaultValue, false, description);
    }
}
