package io.flb4j.codec;

import io.flb4j.api.telemetry.HistogramValue;
import io.flb4j.api.telemetry.InstrumentationScope;
import io.flb4j.api.telemetry.Metric;
import io.flb4j.api.telemetry.MetricSet;
import io.flb4j.api.telemetry.MetricType;
import io.flb4j.api.telemetry.ResourceSpans;
import io.flb4j.api.telemetry.Sample;
import io.flb4j.api.telemetry.ScopeSpans;
import io.flb4j.api.telemetry.Span;
import io.flb4j.api.telemetry.SummaryValue;
import io.flb4j.api.telemetry.TraceSet;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
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
 * <p>Traces are written as ctraces' msgpack encoder writes them ({@code ctr_encode_msgpack.c},
 * the same from 2.2 to 5.1): every key of every map, in its order, ids as lower-case hex strings,
 * counts and times as unsigned integers. ctraces' decoder takes attribute values of these msgpack
 * types only: string, boolean, integer, double, array, map and binary (no nil, no float32).
 *
 * <pre>{@code
 * byte[] context = TelemetryEncoder.metrics(set);   // what an input hands to Fluent Bit
 * byte[] spans = TelemetryEncoder.traces(traceSet);
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

    /** A series' identity for cmetrics (FNV-1a over the name's and the label values' chars). */
    private static long hash(String name, List<String> values) {
        long h = fnv(0xcbf29ce484222325L, name);
        for (String v : values) {
            h = fnv(h, v);
        }
        return h;
    }

    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return (h ^ 0xffff) * 0x100000001b3L;
    }

    /** One ctraces context holding {@code set}. */
    public static byte[] traces(TraceSet set) {
        Out o = new Out();
        o.map(1);
        o.str("resourceSpans");
        o.array(set.resourceSpans().size());
        for (ResourceSpans r : set.resourceSpans()) {
            o.map(3);
            o.str("resource");
            o.map(2);
            try {
                o.str("attributes");
                attributes(o, r.attributes());
                o.str("dropped_attributes_count");
                o.uint(count(r.droppedAttributesCount(), null));
            } catch (Refused e) {
                throw e.within("resource");
            }
            o.str("schema_url");
            o.strOrNil(r.schemaUrl());
            o.str("scope_spans");
            o.array(r.scopeSpans().size());
            for (ScopeSpans s : r.scopeSpans()) {
                scopeSpans(o, s);
            }
        }
        return o.bytes();
    }

    /**
     * What a context cannot hold. Thrown where it is found, with what is wrong; each enclosing
     * part (the span, its event) adds its name on the way out, so no name is built for what is
     * taken. Its message: {@code span 'GET /', event 'retry': attribute 'k' is null; ...}.
     */
    private static final class Refused extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String where;
        private final String what;

        Refused(String where, String what) {
            super(where == null ? what : where + ": " + what);
            this.where = where;
            this.what = what;
        }

        Refused(String what) {
            this(null, what);
        }

        /** The same, inside {@code part}. */
        Refused within(String part) {
            return new Refused(where == null ? part : part + ", " + where, what);
        }
    }

    private static void scopeSpans(Out o, ScopeSpans s) {
        o.map(3);
        o.str("scope");
        InstrumentationScope scope = s.scope();
        if (scope == null) {
            o.nil();
        } else {
            o.map(4);
            o.str("name");
            o.strOrNil(scope.name());
            o.str("version");
            o.strOrNil(scope.version());
            try {
                o.str("attributes");
                attributes(o, scope.attributes());
                o.str("dropped_attributes_count");
                o.uint(count(scope.droppedAttributesCount(), null));
            } catch (Refused e) {
                throw e.within("scope '" + scope.name() + "'");
            }
        }
        o.str("spans");
        o.array(s.spans().size());
        for (Span span : s.spans()) {
            try {
                span(o, span);
            } catch (Refused e) {
                throw e.within("span '" + span.name() + "'");
            }
        }
        o.str("schema_url");
        o.strOrNil(s.schemaUrl());
    }

    private static void span(Out o, Span s) {
        o.map(16);
        o.str("trace_id");
        id(o, s.traceId(), 32, "trace id");
        o.str("span_id");
        id(o, s.spanId(), 16, "span id");
        o.str("parent_span_id");
        id(o, s.parentSpanId(), 16, "parent span id");
        o.str("trace_state");
        o.strOrNil(s.traceState());
        o.str("name");
        o.strOrNil(s.name());
        o.str("kind");
        o.uint(s.kind() == null ? 0 : s.kind().ordinal());
        o.str("start_time_unix_nano");
        o.uint(count(s.startTimeUnixNano(), "its start time"));
        o.str("end_time_unix_nano");
        o.uint(count(s.endTimeUnixNano(), "its end time"));
        o.str("attributes");
        attributes(o, s.attributes());
        o.str("dropped_attributes_count");
        o.uint(count(s.droppedAttributesCount(), null));
        o.str("dropped_events_count");
        o.uint(count(s.droppedEventsCount(), null));
        o.str("dropped_links_count");
        o.uint(count(s.droppedLinksCount(), null));
        o.str("events");
        o.array(s.events().size());
        for (Span.SpanEvent e : s.events()) {
            try {
                o.map(4);
                o.str("time_unix_nano");
                o.uint(count(e.timeUnixNano(), "its time"));
                o.str("name");
                o.strOrNil(e.name());
                o.str("attributes");
                attributes(o, e.attributes());
                o.str("dropped_attributes_count");
                o.uint(count(e.droppedAttributesCount(), null));
            } catch (Refused r) {
                throw r.within("event '" + e.name() + "'");
            }
        }
        o.str("links");
        o.array(s.links().size());
        for (Span.SpanLink l : s.links()) {
            try {
                o.map(5);
                o.str("trace_id");
                id(o, l.traceId(), 32, "trace id");
                o.str("span_id");
                id(o, l.spanId(), 16, "span id");
                o.str("trace_state");
                o.strOrNil(l.traceState());
                o.str("attributes");
                attributes(o, l.attributes());
                o.str("dropped_attributes_count");
                o.uint(count(l.droppedAttributesCount(), null));
            } catch (Refused r) {
                throw r.within("a link");
            }
        }
        o.str("schema_url");
        o.strOrNil(s.schemaUrl());
        o.str("status");
        o.map(2);
        o.str("code");
        o.uint(s.status() == null || s.status().code() == null ? 0 : s.status().code().ordinal());
        o.str("message");
        o.strOrNil(s.status() == null ? null : s.status().message());
    }

    /** A trace or span id: {@code digits} hex digits (ctraces' decoder turns them back into bytes), or nil. */
    private static void id(Out o, String id, int digits, String what) {
        if (id == null) {
            o.nil();
            return;
        }
        boolean hex = id.length() == digits;
        for (int i = 0; i < id.length() && hex; i++) {
            hex = Character.digit(id.charAt(i), 16) >= 0;
        }
        if (!hex) {
            throw new Refused("the " + what + " must be " + digits + " hex digits or null, not '" + id + "'");
        }
        o.str(id.toLowerCase(java.util.Locale.ROOT));
    }

    /** A count or a time, never negative; {@code what} names a time in the message. */
    private static long count(long v, String what) {
        if (v < 0) {
            throw new Refused((what == null ? "" : what + ": ") + "a count or time cannot be negative (" + v + ")");
        }
        return v;
    }

    /** A cfl kvlist; a map with no entries is written as an empty map, as ctraces writes one. */
    private static void attributes(Out o, Map<String, Object> attributes) {
        o.map(attributes.size());
        attributes.forEach((k, v) -> {
            o.str(k);
            variant(o, v, k);
        });
    }

    private static void variant(Out o, Object v, String key) {
        if (v instanceof String s) {
            o.str(s);
        } else if (v instanceof Boolean b) {
            o.bool(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            o.integer(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            o.dbl(((Number) v).doubleValue());
        } else if (v instanceof byte[] bytes) {
            o.bin(bytes);
        } else if (v instanceof Collection<?> list) {
            o.array(list.size());
            for (Object item : list) {
                variant(o, item, key);
            }
        } else if (v instanceof Map<?, ?> map) {
            o.map(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new Refused("attribute '" + key + "' holds a map whose keys are not all strings");
                }
                o.str(k);
                variant(o, e.getValue(), key + "." + k);
            }
        } else {
            throw new Refused("attribute '" + key + "' is " + (v == null ? "null" : "a " + v.getClass().getName())
                    + "; Fluent Bit's traces take a String, Boolean, Long, Double, byte[], List or Map");
        }
    }

    /** Just the msgpack a cmetrics or ctraces context needs, into a growing array (no locking, ASCII written directly). */
    private static final class Out {
        private byte[] b = new byte[1024];
        private int n;

        private void need(int more) {
            if (n + more > b.length) {
                b = java.util.Arrays.copyOf(b, Math.max(b.length * 2, n + more));
            }
        }

        private void put(int v) {
            b[n++] = (byte) v;
        }

        void map(int count) {
            header(count, 0x80, 0xde, 0xdf);
        }

        void array(int count) {
            header(count, 0x90, 0xdc, 0xdd);
        }

        private void header(int count, int fix, int m16, int m32) {
            need(5);
            if (count < 16) {
                put(fix | count);
            } else if (count < 65536) {
                put(m16);
                be(count, 2);
            } else {
                put(m32);
                be(count, 4);
            }
        }

        void str(String s) {
            String text = s == null ? "" : s;
            int len = text.length();
            boolean ascii = true;
            for (int i = 0; i < len && ascii; i++) {
                ascii = text.charAt(i) < 0x80;
            }
            byte[] bytes = ascii ? null : text.getBytes(StandardCharsets.UTF_8);
            int size = ascii ? len : bytes.length;
            need(size + 5);
            if (size < 32) {
                put(0xa0 | size);
            } else if (size < 256) {
                put(0xd9);
                put(size);
            } else if (size < 65536) {
                put(0xda);
                be(size, 2);
            } else {
                put(0xdb);
                be(size, 4);
            }
            if (ascii) {
                for (int i = 0; i < len; i++) {
                    b[n++] = (byte) text.charAt(i);
                }
            } else {
                System.arraycopy(bytes, 0, b, n, size);
                n += size;
            }
        }

        /** An unsigned integer; a negative long is written as the uint64 of its bits. */
        void uint(long v) {
            need(9);
            if (v >= 0 && v < 128) {
                put((int) v);
            } else if (v >= 0 && v < 256) {
                put(0xcc);
                put((int) v);
            } else if (v >= 0 && v < 65536) {
                put(0xcd);
                be(v, 2);
            } else if (v >= 0 && v < (1L << 32)) {
                put(0xce);
                be(v, 4);
            } else {
                put(0xcf);
                be(v, 8);
            }
        }

        void nil() {
            need(1);
            put(0xc0);
        }

        void bool(boolean v) {
            need(1);
            put(v ? 0xc3 : 0xc2);
        }

        void strOrNil(String s) {
            if (s == null) {
                nil();
            } else {
                str(s);
            }
        }

        /** A signed integer: non-negative ones as unsigned, as mpack's writers do. */
        void integer(long v) {
            if (v >= 0) {
                uint(v);
            } else if (v >= -32) {
                need(1);
                put((int) v & 0xff);
            } else {
                need(9);
                put(0xd3);
                be(v, 8);
            }
        }

        void bin(byte[] bytes) {
            need(bytes.length + 5);
            if (bytes.length < 256) {
                put(0xc4);
                put(bytes.length);
            } else if (bytes.length < 65536) {
                put(0xc5);
                be(bytes.length, 2);
            } else {
                put(0xc6);
                be(bytes.length, 4);
            }
            System.arraycopy(bytes, 0, b, n, bytes.length);
            n += bytes.length;
        }

        void dbl(double v) {
            need(9);
            put(0xcb);
            be(Double.doubleToRawLongBits(v), 8);
        }

        void doubles(List<Double> values) {
            array(values.size());
            values.forEach(this::dbl);
        }

        private void be(long v, int bytes) {
            for (int i = bytes - 1; i >= 0; i--) {
                b[n++] = (byte) (v >>> (8 * i));
            }
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(b, n);
        }
    }
}
