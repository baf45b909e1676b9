package io.flb4j.api.telemetry;

import java.time.Instant;
import java.util.Map;

/**
 * One value of a metric, for one combination of label values.
 *
 * @param timestampNanos      when it was taken, in nanoseconds since the epoch
 * @param startTimestampNanos when the series started counting (OpenTelemetry sums and
 *                            histograms), 0 when not known
 * @param labels              the metric's label keys with this sample's values, in order
 * @param value               the value of a counter, gauge or untyped metric; {@code NaN} for
 *                            the other types
 * @param histogram           a histogram's buckets, or {@code null}
 * @param summary             a summary's quantiles, or {@code null}
 * @param exponentialHistogram an exponential histogram's buckets, or {@code null}
 */
public record Sample(long timestampNanos, long startTimestampNanos, Map<String, String> labels, double value,
                     HistogramValue histogram, SummaryValue summary, ExponentialHistogramValue exponentialHistogram) {
    /** Copies the labels, keeping their order; the sample is immutable. */
    public Sample {
        labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    }

    /** {@link #timestampNanos()} as an {@link Instant}. */
    public Instant time() {
        return Instant.ofEpochSecond(Math.floorDiv(timestampNanos, 1_000_000_000L),
                Math.floorMod(timestampNanos, 1_000_000_000L));
    }
}
