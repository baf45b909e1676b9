package io.flb4j.api;

/**
 * A metric that goes up and down, in Fluent Bit's cmetrics. Pass one label value per label key
 * the gauge was declared with, in order; a wrong count throws {@link IllegalArgumentException}.
 *
 * <pre>{@code
 * @MetricGauge(name = "queue_depth", help = "Events waiting") Gauge depth;
 * depth.set(queue.size());
 * }</pre>
 */
public interface Gauge {
    void set(double value, String... labelValues);

    void add(double value, String... labelValues);

    default void sub(double value, String... labelValues) {
        add(-value, labelValues);
    }

    default void inc(String... labelValues) {
        add(1, labelValues);
    }

    default void dec(String... labelValues) {
        add(-1, labelValues);
    }
}
