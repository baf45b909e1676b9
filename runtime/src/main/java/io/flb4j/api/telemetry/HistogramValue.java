package io.flb4j.api.telemetry;

import java.util.List;

/**
 * A histogram sample.
 *
 * @param bucketCounts for each bound of {@link Metric#bucketBounds()}, then {@code +Inf}, the
 *                     number of observations at or below it (cumulative, as Prometheus's
 *                     {@code le} buckets and as cmetrics keeps them): one more entry than there
 *                     are bounds
 * @param sum          the sum of all observations
 * @param count        how many observations there were
 */
public record HistogramValue(List<Long> bucketCounts, double sum, long count) {
    /** Copies the list; the value is immutable. */
    public HistogramValue {
        bucketCounts = List.copyOf(bucketCounts);
    }

    /** The observations in each bucket alone (the differences of {@link #bucketCounts()}). */
    public List<Long> perBucket() {
        Long[] out = new Long[bucketCounts.size()];
        long below = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = bucketCounts.get(i) - below;
            below = bucketCounts.get(i);
        }
        return List.of(out);
    }
}
