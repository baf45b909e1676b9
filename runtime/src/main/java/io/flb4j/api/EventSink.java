package io.flb4j.api;

import java.time.Duration;
import java.util.Map;

/**
 * Where an input puts its events. It is bounded: while Fluent Bit has not taken what is queued,
 * or has paused the input (backpressure), {@code emit} waits for room; it never drops an event.
 * Every method is safe to call from many threads at once (an HTTP server's handlers, say).
 *
 * <p>An event is the plugin's until Fluent Bit has taken it. A source that must not lose what it
 * accepted (a push receiver answering its client, a reader committing an offset) waits for that
 * with {@link #awaitHandedOff} or commits in {@link InputPlugin#handedOff(long)}. What is not
 * taken when the input stops (shutdown, hot reload) makes {@code awaitHandedOff} throw, so the
 * source can refuse, resend or hold it. "Taken" means in one of Fluent Bit's chunks: Fluent
 * Bit's engine has moved it there from the input's ring buffer, where an append puts it first
 * (up to 250 ms before). With {@code storage.type memory} Fluent Bit itself may still lose a chunk
 * at shutdown or when killed, so use {@code storage.type filesystem} for durability.
 *
 * <pre>{@code
 * // a push source: answer only once Fluent Bit has the events
 * long seq = sink.emit(record, Duration.ofSeconds(1));
 * if (seq == 0 || sink.paused()) return reply(503);
 * return sink.awaitHandedOff(seq, Duration.ofSeconds(5)) ? reply(200) : reply(503);
 * }</pre>
 */
public interface EventSink {
    /**
     * Queues one event, waiting while the sink is full or paused.
     *
     * @return the event's sequence number, increasing from 1 per instance
     * @throws InterruptedException when the instance is stopping while this call waits
     * @throws java.util.concurrent.CancellationException when the instance has stopped
     * @throws IllegalArgumentException when a value cannot be encoded (names the field) or the
     *     event is larger than {@code flb4j.chunk_limit}
     */
    long emit(Event event) throws InterruptedException;

    /**
     * Emits a Java record of an {@code @EventRecord} type of the plugin's module as an event at
     * the current time, written field by field by its generated mapper (no {@code Map}); waits
     * like {@link #emit(Event)}.
     *
     * <pre>{@code
     * sink.emit(new AccessLog("GET", "/", 200, 1.5));
     * }</pre>
     *
     * @throws IllegalArgumentException when the record's type has no generated mapper
     */
    <R extends Record> long emit(R record) throws InterruptedException;

    /** Queues a record stamped with the current time. */
    default long emit(Map<String, ?> record) throws InterruptedException {
        return emit(Event.of(record));
    }

    /**
     * Queues one event, waiting at most {@code timeout} for room.
     *
     * @return its sequence number, or 0 when there was no room in time (nothing was queued)
     */
    long emit(Event event, Duration timeout) throws InterruptedException;

    /** Queues a record stamped with the current time, waiting at most {@code timeout}; 0 when not queued. */
    default long emit(Map<String, ?> record, Duration timeout) throws InterruptedException {
        return emit(Event.of(record), timeout);
    }

    /**
     * Queues metrics, one cmetrics context for Fluent Bit (it appends them as a metrics chunk,
     * through the input's processors), waiting like {@link #emit(Event)}. The plugin must declare
     * {@code @FluentBitInput(events = {EventType.LOGS, EventType.METRICS})} (or METRICS alone).
     *
     * <pre>{@code
     * sink.emitMetrics(MetricSet.builder()
     *         .counter("jvm_gc_collections_total", "GC runs", Map.of("pool", "young"), 42)
     *         .gauge("jvm_memory_used_bytes", "Bytes used", Map.of("area", "heap"), 1.5e9)
     *         .build());
     * }</pre>
     *
     * @return the set's sequence number (one, as for an event): {@link #awaitHandedOff} takes it
     * @throws IllegalStateException when the plugin did not declare METRICS
     * @throws IllegalArgumentException when a metric cannot be sent (names it) or the set is larger
     *     than {@code flb4j.chunk_limit}
     */
    long emitMetrics(io.flb4j.api.telemetry.MetricSet metrics) throws InterruptedException;

    /**
     * Queues spans, one ctraces context for Fluent Bit (it appends them as a traces chunk, through
     * the input's processors), waiting like {@link #emit(Event)}. The plugin must declare
     * {@code @FluentBitInput(events = {EventType.LOGS, EventType.TRACES})} (or TRACES alone).
     *
     * <pre>{@code
     * Span span = Span.builder("poll").kind(SpanKind.CLIENT).start(t0).end(t1).build();
     * sink.emitTraces(TraceSet.of(Map.of("service.name", "my-service"), "io.example.poller", List.of(span)));
     * }</pre>
     *
     * @return the set's sequence number (one, as for an event): {@link #awaitHandedOff} takes it
     * @throws IllegalStateException when the plugin did not declare TRACES
     * @throws IllegalArgumentException when a span cannot be sent (names the span and the field) or the
     *     set is larger than {@code flb4j.chunk_limit}
     */
    long emitTraces(io.flb4j.api.telemetry.TraceSet traces) throws InterruptedException;

    /** Whether Fluent Bit has paused this input (backpressure): emits wait until it resumes. */
    boolean paused();

    /**
     * Waits until Fluent Bit has taken the event {@code sequence} and every one before it.
     *
     * @return true when taken, false when {@code timeout} ran out first
     * @throws java.util.concurrent.CancellationException when the input stopped before Fluent Bit
     *     took it: it will not be taken
     */
    boolean awaitHandedOff(long sequence, Duration timeout) throws InterruptedException;

    /** Whether the instance is stopping; collect loops check it. */
    boolean cancelled();
}
