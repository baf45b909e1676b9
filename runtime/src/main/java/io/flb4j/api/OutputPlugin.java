package io.flb4j.api;

import io.flb4j.api.telemetry.MetricSet;
import io.flb4j.api.telemetry.TraceSet;
import java.util.List;

/**
 * A Fluent Bit output: receives each chunk Fluent Bit routes to it. Annotate the implementing
 * class with {@code @FluentBitOutput}, and implement the flush method of each kind of event
 * it declares in {@code events}: {@link #flush} for {@code LOGS} (the default),
 * {@link #flushMetrics} for {@code METRICS}, {@link #flushTraces} for {@code TRACES}. The
 * annotation processor makes a declared kind without its method, or a method whose kind is
 * not declared, a compile error.
 *
 * <p>Flushes run on a thread of flb4j's own, never on Fluent Bit's, and those of one instance
 * run one at a time unless the annotation says {@code concurrentFlush = true}. A thrown
 * exception makes Fluent Bit retry the chunk (as its {@code Retry_Limit} says, default once),
 * so a database or endpoint that is away loses nothing it could still take, except where a
 * retry cannot succeed: a record that lacks a field read as required
 * ({@link MissingFieldException}) or holds another type there ({@link FieldTypeException}), a
 * {@link MalformedChunkException}, an {@code UnsupportedOperationException}; those drop the
 * chunk as an error. When the exception is (or is caused by) the misfit a getter of one of the
 * chunk's events threw ({@code event.string("user")}), or a {@link RejectedEventException}
 * naming an event the destination refused, only that event is dropped: it is logged by its number
 * and the flush runs again without it (the events before it reach the flush a second time), up to
 * 16 events per chunk. Return {@link FlushResult#ERROR} to drop a chunk yourself. Each failure is
 * logged once with the plugin, instance and tag.
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
    /**
     * Runs once before the first flush; config and metric fields are already set. Throw to fail
     * the instance (Fluent Bit then does not start, or, at a hot reload, aborts it; 5.1.1 exits).
     * Throw {@link RetryableException} when what the instance needs is away for now (a database,
     * a broker): the instance starts anyway, its flushes are answered RETRY, and init is tried
     * again after 1 s, the wait doubling up to 30 s, until it succeeds. An exception caused by a
     * connection that could not be made counts as one (in its causes: {@code ConnectException},
     * {@code UnknownHostException}, {@code NoRouteToHostException}, {@code PortUnreachableException},
     * {@code SocketTimeoutException}, {@code HttpTimeoutException}, {@code SQLTransientException},
     * {@code SQLRecoverableException}, or a driver's {@code SQLException} of SQLState class 08).
     */
    default void init(FluentBit fbit) throws Exception {}

    /**
     * Handles the log events of one chunk. {@code events} and the {@link Event}s it yields are
     * valid only until this method returns (reading one later throws
     * {@link IllegalStateException}: the chunk is Fluent Bit's memory, which it frees once the
     * flush is answered); the maps they return are plain Java values that may be kept. Implement
     * it when the output accepts {@code LOGS}.
     */
    default FlushResult flush(String tag, Events events) throws Exception {
        throw new UnsupportedOperationException("this output does not implement flush(String, Events) for logs");
    }

    /**
     * Handles the metrics of one chunk: one {@link MetricSet} per cmetrics context in it (each
     * input's scrape is one). The sets are immutable and may be kept. Implement it when the
     * output declares {@code events = METRICS} (Fluent Bit 5.0 or later).
     */
    default FlushResult flushMetrics(String tag, List<MetricSet> metrics) throws Exception {
        throw new UnsupportedOperationException("this output does not implement flushMetrics for metrics");
    }

    /**
     * Handles the traces of one chunk: one {@link TraceSet} per ctraces context in it. The sets
     * are immutable and may be kept. Implement it when the output declares
     * {@code events = TRACES} (Fluent Bit 5.0 or later).
     */
    default FlushResult flushTraces(String tag, List<TraceSet> traces) throws Exception {
        throw new UnsupportedOperationException("this output does not implement flushTraces for traces");
    }

    /** Releases what {@link #init} acquired; runs once, after the last flush. */
    default void close() throws Exception {}
}
