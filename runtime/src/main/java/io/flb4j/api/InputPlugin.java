package io.flb4j.api;

/**
 * A Fluent Bit input: produces events. Annotate the implementing class with
 * {@code @FluentBitInput}.
 *
 * <p>Life cycle per configured instance: a new object is created, its {@code @ConfigKey} and
 * metric fields are set, {@link #init} runs on Fluent Bit's start-up, then {@link #collect}
 * runs on a thread of its own until the instance stops; finally {@link #close} runs once.
 *
 * <pre>{@code
 * @FluentBitInput(name = "ticker")
 * public final class Ticker implements InputPlugin {
 *     @ConfigKey(defaultValue = "1s") Duration interval;
 *
 *     public void collect(EventSink sink) throws InterruptedException {
 *         while (!sink.cancelled()) {
 *             sink.emit(Map.of("tick", System.currentTimeMillis()));
 *             Thread.sleep(interval.toMillis());
 *         }
 *     }
 * }
 * }</pre>
 */
public interface InputPlugin {
    /**
     * Runs once before collecting starts; config and metric fields are already set. Throw to fail
     * the instance. Throw {@link RetryableException} when what the instance needs is away for now:
     * the instance starts anyway, collect waits, and init is tried again after 1 s, the wait
     * doubling up to 30 s, until it succeeds. An exception caused by a connection that could not
     * be made counts as one, as for an output ({@link OutputPlugin#init}).
     */
    default void init(FluentBit fbit) throws Exception {}

    /**
     * Emits events into {@code sink} until {@link EventSink#cancelled()} becomes true. On
     * cancellation the thread is also interrupted, so blocking calls return early. An
     * exception is logged and the collect loop is started again after a short delay; a normal
     * return before cancellation ends collecting for this instance.
     */
    void collect(EventSink sink) throws Exception;

    /**
     * Called when Fluent Bit has taken every event whose sequence number (the value
     * {@link EventSink#emit} returned) is at most {@code sequence}: they are in its chunks (see
     * {@link EventSink}). Sources that commit offsets (queues, files) commit here to get
     * at-least-once delivery. Runs on an flb4j thread, not the collect thread.
     */
    default void handedOff(long sequence) {}

    /** Releases what {@link #init} acquired; runs once, after collecting stopped. */
    default void close() throws Exception {}
}
