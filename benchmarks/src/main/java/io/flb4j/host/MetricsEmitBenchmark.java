package io.flb4j.host;

import io.flb4j.api.telemetry.MetricSet;
import io.flb4j.codec.TelemetryEncoder;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * An input's metrics, per sample: a set of 100 samples (50 counters and 50 gauges over 10
 * series each, a label apiece, as a JMX read of a few MBeans makes) built with
 * {@code MetricSet.builder()}, encoded as a cmetrics context and put into the batch queue as
 * {@code EventSink.emitMetrics} does (Fluent Bit takes each batch at once).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsEmitBenchmark {
    static final int SAMPLES = 100;
    private final BatchQueue queue = new BatchQueue(64L << 20, 4 << 20);
    private final Instant now = Instant.parse("2026-12-01T05:00:00Z");
    private long tick;

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public long buildEncodeAndQueue() throws InterruptedException {
        MetricSet.Builder b = MetricSet.builder().at(now);
        tick++;
        for (int i = 0; i < SAMPLES / 2; i++) {
            String series = "pool-" + (i % 10);
            b.counter("app_requests_" + (i / 10) + "_total", "Requests", Map.of("pool", series), tick + i);
            b.gauge("app_queue_" + (i / 10) + "_depth", "Queued", Map.of("pool", series), i * 0.5);
        }
        byte[] context = TelemetryEncoder.metrics(b.build());
        long seq = queue.put(context, context.length, 0, true);
        BatchQueue.Batch batch;
        while ((batch = queue.nextNow()) != null) {
            queue.taken(batch);
        }
        return seq;
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public byte[] encodeOnly(EncodeState s) {
        return TelemetryEncoder.metrics(s.set);
    }

    /** The same set, built once: the encoder's own cost. */
    @State(Scope.Thread)
    public static class EncodeState {
        final MetricSet set;

        public EncodeState() {
            MetricSet.Builder b = MetricSet.builder().at(Instant.parse("2026-12-01T05:00:00Z"));
            for (int i = 0; i < SAMPLES / 2; i++) {
                String series = "pool-" + (i % 10);
                b.counter("app_requests_" + (i / 10) + "_total", "Requests", Map.of("pool", series), i);
                b.gauge("app_queue_" + (i / 10) + "_depth", "Queued", Map.of("pool", series), i * 0.5);
            }
            set = b.build();
        }
    }
}
