package io.flb4j.api;

/**
 * A Fluent Bit output: receives the events of each chunk Fluent Bit routes to it. Annotate the
 * implementing class with {@code @FluentBitOutput}.
 *
 * <p>Flushes of one instance run one at a time unless the annotation says
 * {@code concurrentFlush = true}. A thrown {@link RetryableException} makes Fluent Bit retry
 * the chunk; any other exception drops it as an error. Both are logged once with the plugin,
 * instance and tag.
 *
 * <pre>{@code
 * @FluentBitOutput(name = "stdout_java")
 * public final class Print implements OutputPlugin {
 *     public FlushResult flush(String tag, Events events) {
 *         for (Event e : events) System.out.println(tag + " " + e.time() + " " + e.record());
 *         return FlushResult.OK;
 *     }
 * }
 * }</pre>
 */
public interface OutputPlugin {
    /** Runs once before the first flush; config and metric fields are already set. Throw to fail the instance. */
    default void init(FluentBit fbit) throws Exception {}

    /**
     * Handles the events of one chunk. {@code events} and the {@link Event}s it yields are
     * valid only until this method returns; the maps they return are plain Java values that may
     * be kept.
     */
    FlushResult flush(String tag, Events events) throws Exception;

    /** Releases what {@link #init} acquired; runs once, after the last flush. */
    default void close() throws Exception {}
}
