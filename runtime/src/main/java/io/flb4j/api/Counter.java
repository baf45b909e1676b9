package io.flb4j.api;

/**
 * A monotonically increasing metric in Fluent Bit's cmetrics. Pass one label value per label
 * key the counter was declared with, in order; a wrong count throws
 * {@link IllegalArgumentException}.
 *
 * <pre>{@code
 * @MetricCounter(name = "sent_total", help = "Events sent", labels = "status") Counter sent;
 * sent.add(events.count(), "ok");
 * }</pre>
 */
public interface Counter {
    /** Adds one. */
    default void inc(String... labelValues) {
        add(1, labelValues);
    }

    /** Adds {@code value}, which must not be negative. */
    void add(double value, String... labelValues);
}
