/**
 * Metrics and traces as an output receives them: Fluent Bit's cmetrics and ctraces payloads
 * decoded into plain Java records. An output declared {@code @FluentBitOutput(events = METRICS)}
 * receives {@link io.flb4j.api.telemetry.MetricSet}s in
 * {@link io.flb4j.api.OutputPlugin#flushMetrics}; one declared with {@code TRACES} receives
 * {@link io.flb4j.api.telemetry.TraceSet}s in {@link io.flb4j.api.OutputPlugin#flushTraces}.
 *
 * <pre>{@code
 * public FlushResult flushMetrics(String tag, List<MetricSet> sets) {
 *     for (MetricSet set : sets)
 *         for (Metric m : set.metrics())
 *             for (Sample s : m.samples())
 *                 System.out.println(m.fullName() + s.labels() + " " + s.value());
 *     return FlushResult.OK;
 * }
 * }</pre>
 */
package io.flb4j.api.telemetry;
