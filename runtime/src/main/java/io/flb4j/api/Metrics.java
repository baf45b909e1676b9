package io.flb4j.api;

/**
 * Creates metrics for one plugin instance; they appear in Fluent Bit's own metrics as
 * {@code fluentbit_<plugin name>_<name>}. Fields annotated {@code @MetricCounter} and
 * {@code @MetricGauge} are created through this too.
 *
 * <pre>{@code
 * Counter retries = fbit.metrics().counter("retries_total", "Flushes retried", "reason");
 * }</pre>
 */
public interface Metrics {
    /** A counter; {@code name} matches {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    Counter counter(String name, String help, String... labelKeys);

    /** A gauge; {@code name} matches {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    Gauge gauge(String name, String help, String... labelKeys);
}
