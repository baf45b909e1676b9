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

    /** A builder for what an input emits: a sample at a time, grouped into metrics by name. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Collects samples into a {@link MetricSet}. Samples of one name form one metric; they must
     * agree on its type, help, label keys (and a histogram's bounds or a summary's quantiles).
     * Label keys are sorted; samples are stamped with {@link #at} (default: when the builder was
     * made).
     *
     * <pre>{@code
     * MetricSet set = MetricSet.builder()
     *         .counter("jvm_gc_collections_total", "GC runs", Map.of("pool", "young"), 42)
     *         .gauge("jvm_threads", "Live threads", Map.of(), 31)
     *         .histogram("app_latency_seconds", "Latency", Map.of("route", "/a"),
     *                 List.of(0.1, 0.5), List.of(3L, 7L, 9L), 4.75, 9)
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final java.util.Map<String, Family> metrics = new java.util.LinkedHashMap<>();
        private final java.util.Map<String, String> staticLabels = new java.util.LinkedHashMap<>();
        private long nanos;

        private Builder() {
            at(java.time.Instant.now());
        }

        /** The time of the samples added from now on. */
        public Builder at(java.time.Instant time) {
            nanos = Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano());
            return this;
        }

        /** A label every sample of the set carries. */
        public Builder staticLabel(String key, String value) {
            staticLabels.put(key, value);
            return this;
        }

        public Builder counter(String name, String help, java.util.Map<String, String> labels, double value) {
            return add(MetricType.COUNTER, name, help, labels, List.of(), List.of(), value, null, null);
        }

        public Builder gauge(String name, String help, java.util.Map<String, String> labels, double value) {
            return add(MetricType.GAUGE, name, help, labels, List.of(), List.of(), value, null, null);
        }

        public Builder untyped(String name, String help, java.util.Map<String, String> labels, double value) {
            return add(MetricType.UNTYPED, name, help, labels, List.of(), List.of(), value, null, null);
        }

        /** {@code cumulativeCounts}: observations at or below each bound, then the total (+Inf). */
        public Builder histogram(String name, String help, java.util.Map<String, String> labels, List<Double> bounds,
                                 List<Long> cumulativeCounts, double sum, long count) {
            return add(MetricType.HISTOGRAM, name, help, labels, bounds, List.of(), Double.NaN,
                    new HistogramValue(cumulativeCounts, sum, count), null);
        }

        public Builder summary(String name, String help, java.util.Map<String, String> labels, List<Double> quantiles,
                               List<Double> values, double sum, long count) {
            return add(MetricType.SUMMARY, name, help, labels, List.of(), quantiles, Double.NaN, null,
                    new SummaryValue(values, sum, count));
        }

        private Builder add(MetricType type, String name, String help, java.util.Map<String, String> labels,
                            List<Double> bounds, List<Double> quantiles, double value, HistogramValue h, SummaryValue q) {
            List<String> keys = new java.util.ArrayList<>(new java.util.TreeSet<>(labels.keySet()));
            java.util.Map<String, String> ordered = new java.util.LinkedHashMap<>();
            keys.forEach(k -> ordered.put(k, labels.get(k)));
            Sample sample = new Sample(nanos, 0, ordered, value, h, q, null);
            Family known = metrics.get(name);
            if (known == null) {
                known = new Family(type, help, keys, bounds, quantiles, new java.util.ArrayList<>());
                metrics.put(name, known);
            } else if (known.type != type || !known.keys.equals(keys) || !known.bounds.equals(bounds)
                    || !known.quantiles.equals(quantiles)) {
                throw new IllegalArgumentException("metric '" + name + "': a " + type.name().toLowerCase(java.util.Locale.ROOT)
                        + " sample with labels " + keys + " does not match the " + known.type.name()
                        .toLowerCase(java.util.Locale.ROOT) + " with labels " + known.keys + " added before");
            }
            known.samples.add(sample);
            return this;
        }

        private record Family(MetricType type, String help, List<String> keys, List<Double> bounds,
                              List<Double> quantiles, List<Sample> samples) {}

        public MetricSet build() {
            List<Metric> out = new java.util.ArrayList<>();
            metrics.forEach((name, f) -> out.add(new Metric(f.type, "", "", name, f.help, "", f.keys, f.bounds,
                    f.quantiles, f.samples)));
            return new MetricSet(java.util.Map.of(), staticLabels, out);
        }
    }
}
