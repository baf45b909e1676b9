package io.flb4j.api.telemetry;

import java.util.List;

/**
 * A summary sample.
 *
 * @param quantileValues the value at each quantile of {@link Metric#quantiles()}, in the same
 *                       order; empty when the producer sent none
 * @param sum            the sum of all observations
 * @param count          how many observations there were
 */
public record SummaryValue(List<Double> quantileValues, double sum, long count) {
    /** Copies the list; the value is immutable. */
    public SummaryValue {
        quantileValues = List.copyOf(quantileValues);
    }
}
