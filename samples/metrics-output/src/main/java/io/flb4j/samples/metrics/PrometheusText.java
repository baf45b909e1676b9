package io.flb4j.samples.metrics;

import io.flb4j.api.telemetry.ExponentialHistogramValue;
import io.flb4j.api.telemetry.HistogramValue;
import io.flb4j.api.telemetry.Metric;
import io.flb4j.api.telemetry.MetricSet;
import io.flb4j.api.telemetry.Sample;
import io.flb4j.api.telemetry.SummaryValue;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Prometheus text exposition format (version 0.0.4) of a {@link MetricSet}. Exponential
 * histograms have no text form; each is written as a comment with its count and sum.
 */
final class PrometheusText {
    private PrometheusText() {}

    static void append(MetricSet set, boolean timestamps, StringBuilder out) {
        for (Metric m : set.metrics()) {
            String name = m.fullName();
            out.append("# HELP ").append(name).append(' ').append(escapeHelp(m.help())).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(type(m)).append('\n');
            for (Sample s : m.samples()) {
                Map<String, String> labels = new LinkedHashMap<>(set.staticLabels());
                labels.putAll(s.labels());
                String ts = timestamps ? " " + s.timestampNanos() / 1_000_000 : "";
                switch (m.type()) {
                    case HISTOGRAM -> histogram(name, m, s.histogram(), labels, ts, out);
                    case SUMMARY -> summary(name, m, s.summary(), labels, ts, out);
                    case EXPONENTIAL_HISTOGRAM -> {
                        ExponentialHistogramValue e = s.exponentialHistogram();
                        out.append("# exponential histogram ").append(name).append(labels(labels, null, null))
                                .append(" count=").append(e.count()).append(" sum=").append(number(e.sum()))
                                .append('\n');
                    }
                    default -> line(out, name, labels, null, null, s.value(), ts);
                }
            }
        }
    }

    private static String type(Metric m) {
        return switch (m.type()) {
            case COUNTER -> "counter";
            case GAUGE -> "gauge";
            case HISTOGRAM -> "histogram";
            case SUMMARY -> "summary";
            case UNTYPED, EXPONENTIAL_HISTOGRAM -> "untyped";
        };
    }

    private static void histogram(String name, Metric m, HistogramValue h, Map<String, String> labels, String ts,
                                  StringBuilder out) {
        for (int i = 0; i < h.bucketCounts().size(); i++) {
            String le = i < m.bucketBounds().size() ? number(m.bucketBounds().get(i)) : "+Inf";
            line(out, name + "_bucket", labels, "le", le, h.bucketCounts().get(i), ts);
        }
        line(out, name + "_sum", labels, null, null, h.sum(), ts);
        line(out, name + "_count", labels, null, null, h.count(), ts);
    }

    private static void summary(String name, Metric m, SummaryValue s, Map<String, String> labels, String ts,
                                StringBuilder out) {
        for (int i = 0; i < s.quantileValues().size() && i < m.quantiles().size(); i++) {
            line(out, name, labels, "quantile", number(m.quantiles().get(i)), s.quantileValues().get(i), ts);
        }
        line(out, name + "_sum", labels, null, null, s.sum(), ts);
        line(out, name + "_count", labels, null, null, s.count(), ts);
    }

    private static void line(StringBuilder out, String name, Map<String, String> labels, String extraKey,
                             String extraValue, double value, String ts) {
        out.append(name).append(labels(labels, extraKey, extraValue)).append(' ').append(number(value)).append(ts)
                .append('\n');
    }

    private static String labels(Map<String, String> labels, String extraKey, String extraValue) {
        if (labels.isEmpty() && extraKey == null) {
            return "";
        }
        StringBuilder b = new StringBuilder("{");
        labels.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(k).append("=\"").append(escape(v)).append('"'));
        if (extraKey != null) {
            b.append(b.length() > 1 ? "," : "").append(extraKey).append("=\"").append(extraValue).append('"');
        }
        return b.append('}').toString();
    }

    /** Integers without a fraction, other values as Java prints them; NaN and infinities as Prometheus spells them. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.valueOf(v).toLowerCase(Locale.ROOT);
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
