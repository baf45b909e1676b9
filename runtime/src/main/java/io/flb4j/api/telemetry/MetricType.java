package io.flb4j.api.telemetry;

/** The kind of a metric, as cmetrics numbers them in its payload. */
public enum MetricType {
    /** A value that only goes up; {@link Sample#value()}. */
    COUNTER,
    /** A value that goes up and down; {@link Sample#value()}. */
    GAUGE,
    /** Observations counted into fixed buckets; {@link Sample#histogram()}. */
    HISTOGRAM,
    /** Observations summarised as quantiles; {@link Sample#summary()}. */
    SUMMARY,
    /** A value of unknown kind (Prometheus {@code untyped}); {@link Sample#value()}. */
    UNTYPED,
    /** Observations counted into exponentially sized buckets; {@link Sample#exponentialHistogram()}. */
    EXPONENTIAL_HISTOGRAM;

    /** The type cmetrics encodes as {@code code} (0 to 5). */
    public static MetricType of(int code) {
        MetricType[] all = values();
        if (code < 0 || code >= all.length) {
            throw new IllegalArgumentException("unknown cmetrics metric type " + code);
        }
        return all[code];
    }
}
