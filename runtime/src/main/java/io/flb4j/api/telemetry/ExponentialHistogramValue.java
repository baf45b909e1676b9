package io.flb4j.api.telemetry;

import java.util.List;

/**
 * An exponential histogram sample (OpenTelemetry): bucket {@code i} of a range covers
 * {@code (base^(offset+i), base^(offset+i+1)]}, with {@code base = 2^(2^-scale)}.
 *
 * @param scale                the resolution
 * @param zeroCount            observations in the zero bucket
 * @param zeroThreshold        the zero bucket's width
 * @param positiveOffset       the index of the first positive bucket
 * @param positiveBucketCounts counts of the positive buckets
 * @param negativeOffset       the index of the first negative bucket
 * @param negativeBucketCounts counts of the negative buckets
 * @param count                how many observations there were
 * @param sumSet               whether {@link #sum()} was given
 * @param sum                  the sum of all observations, when {@code sumSet}
 */
public record ExponentialHistogramValue(int scale, long zeroCount, double zeroThreshold, int positiveOffset,
                                        List<Long> positiveBucketCounts, int negativeOffset,
                                        List<Long> negativeBucketCounts, long count, boolean sumSet, double sum) {
    /** Copies the lists; the value is immutable. */
    public ExponentialHistogramValue {
        positiveBucketCounts = List.copyOf(positiveBucketCounts);
        negativeBucketCounts = List.copyOf(negativeBucketCounts);
    }
}
