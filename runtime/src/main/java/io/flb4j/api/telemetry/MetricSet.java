package io.flb4j.api.telemetry;

import java.util.List;
import java.util.Map;

/**
 * One cmetrics context: the metrics one input produced at one time (a chunk may hold several).
 *
 * @param metadata     the context's metadata as Fluent Bit sends it: {@code cmetrics} (e.g.
 *                     its producer), {@code external} (e.g. OpenTelemetry resource and scope)
 * @param staticLabels labels that apply to every sample of the set (added by processors)
 * @param metrics      the metrics, counters first, then gauges, untyped, summaries,
 *                     histograms and exponential histograms, as cmetrics orders them
 */
public record MetricSet(Map<String, Object> metadata, Map<String, String> staticLabels, List<Metric> metrics) {
    /** Copies the collections; the set is immutable. */
    public MetricSet {
        metadata = TelemetryMaps.copy(metadata);
        staticLabels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(staticLabels));
        metrics = List.copyOf(metrics);
    }
}
