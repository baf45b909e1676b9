package io.flb4j.api;

/**
 * A Fluent Bit custom plugin ({@code [CUSTOM]} section): configured and initialised like the
 * others, with no events going through it. Annotate the class with {@code @FluentBitCustom}.
 *
 * <pre>{@code
 * @FluentBitCustom(name = "hello_custom")
 * public final class HelloCustom implements CustomPlugin {
 *     public void init(FluentBit fbit) { fbit.logger().info("custom plugin ready"); }
 * }
 * }</pre>
 */
public interface CustomPlugin {
    /**
     * Runs once at start-up; config and metric fields are already set. Throw to fail the
     * instance; {@link RetryableException}, or an exception caused by a connection that could not
     * be made, has init tried again instead, as for an output ({@link OutputPlugin#init}).
     */
    void init(FluentBit fbit) throws Exception;

    /** Releases what {@link #init} acquired. */
    default void close() throws Exception {}
}
