package io.flb4j.testplugins;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.EventType;
import io.flb4j.annotations.FluentBitInput;
import io.flb4j.api.EventSink;
import io.flb4j.api.InputPlugin;
import io.flb4j.api.telemetry.MetricSet;
import io.flb4j.api.telemetry.Span;
import io.flb4j.api.telemetry.SpanKind;
import io.flb4j.api.telemetry.StatusCode;
import io.flb4j.api.telemetry.TraceSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Emits {@code sets} metric sets (a counter, a gauge, a histogram, a summary), each after a log
 * event and before a trace set (a server span and its client child, with an event and a link).
 */
@FluentBitInput(name = "metrics_in", description = "emits metrics and traces",
        events = {EventType.LOGS, EventType.METRICS, EventType.TRACES})
public final class MetricsInput implements InputPlugin {
    @ConfigKey(defaultValue = "3") int sets;
    @ConfigKey(defaultValue = "20ms") Duration every;

    @Override
    public void collect(EventSink sink) throws InterruptedException {
        for (int i = 1; i <= sets && !sink.cancelled(); i++) {
            sink.emit(Map.of("message", "tick " + i));
            sink.emitMetrics(MetricSet.builder()
                    .counter("ticks_total", "Ticks", Map.of("source", "test"), i)
                    .gauge("queue_depth", "Queued", Map.of(), 10 - i)
                    .histogram("latency_seconds", "Latency", Map.of("route", "/a"), List.of(0.1, 1.0),
                            List.of((long) i, 2L * i, 3L * i), 0.5 * i, 3L * i)
                    .summary("size_bytes", "Sizes", Map.of(), List.of(0.5, 0.9), List.of(100.0 * i, 900.0 * i),
                            1000.0 * i, 10L * i)
                    .build());
            long now = System.currentTimeMillis() * 1_000_000L;
            Span root = Span.builder("tick " + i).kind(SpanKind.SERVER).start(now).end(now + 5_000_000)
                    .attribute("tick", (long) i).status(StatusCode.OK, null).build();
            Span child = Span.builder("query").parent(root).kind(SpanKind.CLIENT).start(now + 1_000_000)
                    .end(now + 4_000_000).attribute("db.system", "postgresql")
                    .event("retry", now + 2_000_000, Map.of("attempt", 2L))
                    .link(root.traceId(), root.spanId(), Map.of("why", "test"))
                    .status(StatusCode.ERROR, "timeout").build();
            sink.emitTraces(TraceSet.of(Map.of("service.name", "metrics_in"), "io.flb4j.testplugins",
                    List.of(root, child)));
            Thread.sleep(every.toMillis());
        }
        while (!sink.cancelled()) {
            Thread.sleep(20);
        }
    }
}
