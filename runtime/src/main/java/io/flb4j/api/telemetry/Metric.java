package io.flb4j.api.telemetry;

import java.util.List;

/**
 * One metric family: its identity and help text, and a sample per label combination.
 *
 * @param type         counter, gauge, histogram, summary, untyped or exponential histogram
 * @param namespace    the name's first part ({@code fluentbit} in {@code fluentbit_input_bytes_total}); may be empty
 * @param subsystem    the name's middle part ({@code input}); may be empty
 * @param name         the name's last part ({@code bytes_total})
 * @param help         the description
 * @param unit         the unit, empty when none was given
 * @param labelKeys    the label names every sample has values for, in order
 * @param bucketBounds a histogram's bucket upper bounds in increasing order ({@code +Inf}
 *                     not listed); empty for other types
 * @param quantiles    a summary's quantiles (e.g. 0.5, 0.9, 0.99); empty for other types
 * @param samples      the current values, one per label combination
 */
public record Metric(MetricType type, String namespace, String subsystem, String name, String help, String unit,
                     List<String> labelKeys, List<Double> bucketBounds, List<Double> quantiles,
                     List<Sample> samples) {
    /** Copies the lists; the metric is immutable. */
    public Metric {
        labelKeys = List.copyOf(labelKeys);
        bucketBounds = List.copyOf(bucketBounds);
        quantiles = List.copyOf(quantiles);
        samples = List.copyOf(samples);
    }

    /** The full name, its non-empty parts joined by {@code _}: {@code fluentbit_input_bytes_total}. */
    public String fullName() {
        StringBuilder b = new StringBuilder();
        for (String part : new String[] {namespace, subsystem, name}) {
            if (part != null && !part.isEmpty()) {
                if (b.length() > 0) {
                    b.append('_');
                }
                b.append(part);
            }
        }
        return b.toString();
    }
}
