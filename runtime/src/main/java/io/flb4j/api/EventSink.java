package io.flb4j.api;

import java.util.Map;

/**
 * Where an input's collect loop puts its events. It is bounded by bytes: when Fluent Bit has
 * not taken what is queued (it collects once a second) or has paused the input (backpressure),
 * {@code emit} blocks until there is room; it never drops an event.
 *
 * <pre>{@code
 * while (!sink.cancelled()) {
 *     long seq = sink.emit(Map.of("line", reader.readLine()));
 * }
 * }</pre>
 */
public interface EventSink {
    /**
     * Queues one event, blocking while the sink is full or paused.
     *
     * @return the event's sequence number, increasing from 1 per instance; see
     *     {@link InputPlugin#handedOff(long)}
     * @throws InterruptedException when the instance is stopping while this call waits
     * @throws java.util.concurrent.CancellationException when the instance has stopped
     * @throws IllegalArgumentException when a value cannot be encoded; names the field
     */
    long emit(Event event) throws InterruptedException;

    /** Queues a record stamped with the current time. */
    default long emit(Map<String, ?> record) throws InterruptedException {
        return emit(Event.of(record));
    }

    /** Whether the instance is stopping; collect loops check it. */
    boolean cancelled();
}
