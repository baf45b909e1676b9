package io.flb4j.codec;

import io.flb4j.api.telemetry.HistogramValue;
import io.flb4j.api.telemetry.Metric;
import io.flb4j.api.telemetry.MetricSet;
import io.flb4j.api.telemetry.MetricType;
import io.flb4j.api.telemetry.Sample;
import io.flb4j.api.telemetry.SummaryValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Encodes metrics as a cmetrics context in msgpack, the form {@link TelemetryDecoder} reads and
 * Fluent Bit's own {@code cmt_decode_msgpack_create} turns back into a context. It writes the
 * fields cmetrics' encoder wrote in Fluent Bit 3.2 ({@code MSGPACK_ENCODER_VERSION} 2), which the
 * decoders of 2.2 to 5.1 all take: their decoders refuse a key they do not know, and 5.x added
 * keys ({@code unit}, {@code start_ts}, {@code value_type}). So a metric's unit and a sample's start
 * time are not sent, and exponential histograms (5.x only) are refused.
 *
 * <pre>{@code
 * byte[] context = TelemetryEncoder.metrics(set);   // what an input hands to Fluent Bit
 * }</pre>
 */
public final class TelemetryEncoder {
    /** cmetrics' MSGPACK_ENCODER_VERSION in every release from 2.2 to 5.1. */
    static final int VERSION = 2;

    private TelemetryEncoder() {}

    /** One cmetrics context holding {@code set}. */
    public static byte[] metrics(MetricSet set) {
        Out o = new Out();
        o.map(2);
        o.str("meta");
        o.map(3);
        o.str("cmetrics");
        o.map(0);
        o.str("external");
        o.map(0);
        o.str("processing");
        o.map(1);
        o.str("static_labels");
        o.array(set.staticLabels().size());
        set.staticLabels().forEach((k, v) -> {
            o.array(2);
            o.str(k);
            o.str(v);
        });
        o.str("metrics");
        o.array(set.metrics().size());
        for (Metric m : set.metrics()) {
            metric(o, m);
        }
        return o.bytes();
    }

    private static void metric(Out o, Metric m) {
        if (m.type() == MetricType.EXPONENTIAL_HISTOGRAM) {
            throw new IllegalArgumentException("metric '" + m.fullName() + "': exponential histograms cannot be sent "
                    + "by an input (Fluent Bit before 5.0 has no such type)");
        }
        o.map(2);
        o.str("meta");
        boolean histogram = m.type() == MetricType.HISTOGRAM;
        boolean summary = m.type() == MetricType.SUMMARY;
        o.map(4 + (histogram || summary ? 1 : 0));
        o.str("ver");
        o.uint(VERSION);
        o.str("type");
        o.uint(m.type().ordinal());
        o.str("opts");
        o.map(4);
        o.str("ns");
        o.str(m.namespace());
        o.str("ss");
        o.str(m.subsystem());
        o.str("name");
        o.str(m.name());
        o.str("desc");
        o.str(m.help());
        o.str("labels");
        o.array(m.labelKeys().size());
        m.labelKeys().forEach(o::str);
        if (histogram) {
            o.str("buckets");
            o.doubles(m.bucketBounds());
        } else if (summary) {
            o.str("quantiles");
            o.doubles(m.quantiles());
        }
        o.str("values");
        o.array(m.samples().size());
        for (Sample s : m.samples()) {
            sample(o, m, s);
        }
    }

    private static void sample(Out o, Metric m, Sample s) {
        boolean histogram = m.type() == MetricType.HISTOGRAM;
        boolean summary = m.type() == MetricType.SUMMARY;
        o.map(4);
        o.str("ts");
        o.uint(s.timestampNanos());
        if (histogram) {
            HistogramValue h = s.histogram();
            if (h == null || h.bucketCounts().size() != m.bucketBounds().size() + 1) {
                throw new IllegalArgumentException("metric '" + m.fullName() + "': a histogram sample needs "
                        + (m.bucketBounds().size() + 1) + " bucket counts (one per bound, then +Inf)");
            }
            o.str("histogram");
            o.map(3);
            o.str("buckets");
            o.array(h.bucketCounts().size());
            h.bucketCounts().forEach(o::uint);
            o.str("sum");
            o.dbl(h.sum());
            o.str("count");
            o.uint(h.count());
        } else if (summary) {
            SummaryValue v = s.summary();
            if (v == null || (!v.quantileValues().isEmpty() && v.quantileValues().size() != m.quantiles().size())) {
                throw new IllegalArgumentException("metric '" + m.fullName() + "': a summary sample needs a value "
                        + "per quantile (" + m.quantiles().size() + ")");
            }
            o.str("summary");
            o.map(4);
            o.str("quantiles_set");
            o.uint(v.quantileValues().isEmpty() ? 0 : 1);
            o.str("quantiles");
            o.array(m.quantiles().size());
            for (int i = 0; i < m.quantiles().size(); i++) {
                o.uint(v.quantileValues().isEmpty() ? 0 : Double.doubleToRawLongBits(v.quantileValues().get(i)));
            }
            o.str("count");
            o.uint(v.count());
            o.str("sum");
            o.uint(Double.doubleToRawLongBits(v.sum()));
        } else {
            o.str("value");
            o.dbl(s.value());
        }
        o.str("labels");
        List<String> values = labelValues(m, s);
        o.array(values.size());
        values.forEach(o::str);
        o.str("hash");
        o.uint(hash(m.fullName(), values));
    }

    /** The sample's label values in the order of the metric's keys; every key needs one. */
    private static List<String> labelValues(Metric m, Sample s) {
        Map<String, String> labels = s.labels();
        if (labels.isEmpty()) {
            return List.of();
        }
        String[] out = new String[m.labelKeys().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels.get(m.labelKeys().get(i));
            if (out[i] == null) {
                throw new IllegalArgumentException("metric '" + m.fullName() + "': a sample has no value for label '"
                        + m.labelKeys().get(i) + "'");
            }
        }
        if (labels.size() != out.length) {
            throw new IllegalArgumentException("metric '" + m.fullName() + "': a sample has labels " + labels.keySet()
                    + ", the metric " + m.labelKeys());
        }
        return List.of(out);
    }

    /** A series' identity for cmetrics (FNV-1a over the name and label values). */
    private static long hash(String name, List<String> values) {
        long h = 0xcbf29ce484222325L;
        for (String part : values.isEmpty() ? List.of(name) : concat(name, values)) {
            for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
                h = (h ^ (b & 0xff)) * 0x100000001b3L;
            }
            h = (h ^ 0xff) * 0x100000001b3L;
        }
        return h;
    }

    private static List<String> concat(String first, List<String> rest) {
        String[] all = new String[rest.size() + 1];
        all[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            all[i + 1] = rest.get(i);
        }
        return List.of(all);
    }

    /** Just the msgpack a cmetrics context needs. */
    private static final class Out {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream(256);

        void map(int n) {
            header(n, 0x80, 0xde, 0xdf);
        }

        void array(int n) {
            header(n, 0x90, 0xdc, 0xdd);
        }

        private void header(int n, int fix, int m16, int m32) {
            if (n < 16) {
                b.write(fix | n);
            } else if (n < 65536) {
                b.write(m16);
                be(n, 2);
            } else {
                b.write(m32);
                be(n, 4);
            }
        }

        void str(String s) {
            byte[] bytes = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
            int n = bytes.length;
            if (n < 32) {
                b.write(0xa0 | n);
            } else if (n < 256) {
                b.write(0xd9);
                b.write(n);
            } else if (n < 65536) {
                b.write(0xda);
                be(n, 2);
            } else {
                b.write(0xdb);
                be(n, 4);
            }
            b.writeBytes(bytes);
        }

        /** An unsigned integer; a negative long is written as the uint64 of its bits. */
        void uint(long v) {
            if (v >= 0 && v < 128) {
                b.write((int) v);
            } else if (v >= 0 && v < 256) {
                b.write(0xcc);
                b.write((int) v);
            } else if (v >= 0 && v < 65536) {
                b.write(0xcd);
                be(v, 2);
            } else if (v >= 0 && v < (1L << 32)) {
                b.write(0xce);
                be(v, 4);
            } else {
                b.write(0xcf);
                be(v, 8);
            }
        }

        void dbl(double v) {
            b.write(0xcb);
            be(Double.doubleToRawLongBits(v), 8);
        }

        void doubles(List<Double> values) {
            array(values.size());
            values.forEach(this::dbl);
        }

        private void be(long v, int bytes) {
            for (int i = bytes - 1; i >= 0; i--) {
                b.write((int) (v >>> (8 * i)) & 0xff);
            }
        }

        byte[] bytes() {
            return b.toByteArray();
        }
    }
}
