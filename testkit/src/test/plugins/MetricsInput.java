package io.flb4j.testplugins;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.EventType;
import io.flb4j.annotations.FluentBitInput;
import io.flb4j.api.EventSink;
import io.flb4j.api.InputPlugin;
import io.flb4j.api.telemetry.MetricSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Emits {@code sets} metric sets (a counter, a gauge, a histogram, a summary), each after a log event. */
@FluentBitInput(name = "metrics_in", description = "emits metrics", events = {EventType.LOGS, EventType.METRICS})
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
            Thread.sleep(every.toMillis());
        }
        while (!sink.cancelled()) {
            Thread.sleep(20);
        }
    }
}
