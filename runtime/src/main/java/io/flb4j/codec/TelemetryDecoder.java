package io.flb4j.codec;

import io.flb4j.api.MalformedChunkException;
import io.flb4j.api.telemetry.ExponentialHistogramValue;
import io.flb4j.api.telemetry.HistogramValue;
import io.flb4j.api.telemetry.InstrumentationScope;
import io.flb4j.api.telemetry.Metric;
import io.flb4j.api.telemetry.MetricSet;
import io.flb4j.api.telemetry.MetricType;
import io.flb4j.api.telemetry.ResourceSpans;
import io.flb4j.api.telemetry.Sample;
import io.flb4j.api.telemetry.ScopeSpans;
import io.flb4j.api.telemetry.Span;
import io.flb4j.api.telemetry.SpanKind;
import io.flb4j.api.telemetry.StatusCode;
import io.flb4j.api.telemetry.SummaryValue;
import io.flb4j.api.telemetry.TraceSet;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the metrics and traces chunks Fluent Bit hands an output: concatenated cmetrics
 * contexts ({@code {"meta": ..., "metrics": [...]}}) or ctraces contexts
 * ({@code {"resourceSpans": [...]}}), as cmetrics' and ctraces' msgpack encoders write them
 * (checked against payloads captured from Fluent Bit 5.1.1). Fields a release does not send are
 * left empty, zero or {@code null}; a field of the wrong type, or bytes that are not msgpack,
 * is a {@link MalformedChunkException} naming the field and the offset of its context.
 *
 * <pre>{@code
 * switch (TelemetryDecoder.kindOf(chunk)) {
 *     case METRICS -> TelemetryDecoder.metrics(chunk).forEach(System.out::println);
 *     ...
 * }
 * }</pre>
 */
public final class TelemetryDecoder {
    /** What a chunk holds. */
    public enum Kind { LOGS, METRICS, TRACES }

    private TelemetryDecoder() {}

    /**
     * Tells a chunk's kind from its first value: log events are arrays, metrics and traces
     * contexts are maps whose first key is {@code meta} or {@code metrics}, or {@code resourceSpans}.
     * An empty chunk, or one that starts otherwise, is {@link Kind#LOGS} (the log decoder then
     * reports what is wrong with it).
     */
    public static Kind kindOf(ByteBuffer chunk) {
        ByteBuffer buf = chunk.slice().order(ByteOrder.BIG_ENDIAN);
        if (!buf.hasRemaining()) {
            return Kind.LOGS;
        }
        try {
            MsgpackCursor c = new MsgpackCursor(buf, 0);
            if (c.mapHeader() <= 0) {
                return Kind.LOGS;
            }
            Object key = c.readValue(1);
            if ("resourceSpans".equals(key)) {
                return Kind.TRACES;
            }
            return "meta".equals(key) || "metrics".equals(key) ? Kind.METRICS : Kind.LOGS;
        } catch (MalformedChunkException e) {
            return Kind.LOGS;
        }
    }

    /** The cmetrics contexts of a metrics chunk, in order. */
    public static List<MetricSet> metrics(ByteBuffer chunk) {
        List<MetricSet> sets = new ArrayList<>();
        for (Context c : contexts(chunk)) {
            sets.add(metricSet(c));
        }
        return sets;
    }

    /** The ctraces contexts of a traces chunk, in order. */
    public static List<TraceSet> traces(ByteBuffer chunk) {
        List<TraceSet> sets = new ArrayList<>();
        for (Context c : contexts(chunk)) {
            List<ResourceSpans> resources = new ArrayList<>();
            for (Object r : c.list(c.root, "resourceSpans")) {
                resources.add(resourceSpans(c, c.map(r, "resourceSpans[]")));
            }
            sets.add(new TraceSet(resources));
        }
        return sets;
    }

    /** One top-level map of the chunk, with its offset for error messages. */
    private record Context(Map<String, Object> root, int offset) {
        MalformedChunkException wrong(String field, String expected, Object got) {
            return new MalformedChunkException("field '" + field + "' must be " + expected + ", not "
                    + (got == null ? "nil" : got.getClass().getSimpleName()), offset);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(Object v, String field) {
            if (v instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
            throw wrong(field, "a map", v);
        }

        /** A map, or an empty one when the field is missing or nil. */
        Map<String, Object> optionalMap(Map<String, Object> m, String field) {
            Object v = m.get(field);
            return v == null ? Map.of() : map(v, field);
        }

        @SuppressWarnings("unchecked")
        List<Object> list(Map<String, Object> m, String field) {
            Object v = m.get(field);
            if (v == null) {
                return List.of();
            }
            if (v instanceof List<?> l) {
                return (List<Object>) l;
            }
            throw wrong(field, "an array", v);
        }

        String string(Map<String, Object> m, String field) {
            Object v = m.get(field);
            if (v == null || v instanceof String) {
                return (String) v;
            }
            throw wrong(field, "a string", v);
        }

        long integer(Map<String, Object> m, String field) {
            return integer(m.get(field), field);
        }

        long integer(Object v, String field) {
            if (v == null) {
                return 0;
            }
            if (v instanceof Long l) {
                return l;
            }
            if (v instanceof BigInteger b) {
                return b.longValue();   // a uint64 above Long.MAX_VALUE: its two's-complement bits
            }
            throw wrong(field, "an integer", v);
        }

        double number(Map<String, Object> m, String field) {
            return number(m.get(field), field);
        }

        double number(Object v, String field) {
            if (v == null) {
                return 0;
            }
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            throw wrong(field, "a number", v);
        }

        /** A double cmetrics keeps as the uint64 of its bits (summary quantiles and sums, exponential sums). */
        double bits(Object v, String field) {
            return Double.longBitsToDouble(integer(v, field));
        }
    }

    private static List<Context> contexts(ByteBuffer chunk) {
        ByteBuffer buf = chunk.slice().order(ByteOrder.BIG_ENDIAN);
        MsgpackCursor cursor = new MsgpackCursor(buf, 0);
        List<Context> contexts = new ArrayList<>();
        while (!cursor.atEnd()) {
            int at = cursor.pos;
            Object v = cursor.readValue(0);
            if (!(v instanceof Map<?, ?>)) {
                throw new MalformedChunkException("a metrics or traces chunk holds maps, not "
                        + (v == null ? "nil" : v.getClass().getSimpleName()), at);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> root = (Map<String, Object>) v;
            contexts.add(new Context(root, at));
        }
        return contexts;
    }

    // ---- metrics ------------------------------------------------------------------------------

    private static MetricSet metricSet(Context c) {
        Map<String, Object> meta = c.optionalMap(c.root, "meta");
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (String k : new String[] {"cmetrics", "external"}) {
            if (meta.containsKey(k)) {
                metadata.put(k, meta.get(k));
            }
        }
        Map<String, String> staticLabels = new LinkedHashMap<>();
        for (Object pair : c.list(c.optionalMap(meta, "processing"), "static_labels")) {
            if (pair instanceof List<?> kv && kv.size() == 2 && kv.get(0) instanceof String k
                    && kv.get(1) instanceof String v) {
                staticLabels.put(k, v);
            } else {
                throw c.wrong("static_labels[]", "a [key, value] pair of strings", pair);
            }
        }
        List<Metric> metrics = new ArrayList<>();
        for (Object m : c.list(c.root, "metrics")) {
            metrics.add(metric(c, c.map(m, "metrics[]")));
        }
        return new MetricSet(metadata, staticLabels, metrics);
    }

    private static Metric metric(Context c, Map<String, Object> m) {
        Map<String, Object> meta = c.map(m.get("meta"), "metrics[].meta");
        MetricType type;
        try {
            type = MetricType.of((int) c.integer(meta, "type"));
        } catch (IllegalArgumentException e) {
            throw new MalformedChunkException(e.getMessage(), c.offset());
        }
        Map<String, Object> opts = c.optionalMap(meta, "opts");
        List<String> keys = strings(c, c.list(meta, "labels"), "labels");
        List<Double> bounds = doubles(c, c.list(meta, "buckets"), "buckets");
        List<Double> quantiles = doubles(c, c.list(meta, "quantiles"), "quantiles");
        List<Sample> samples = new ArrayList<>();
        for (Object v : c.list(m, "values")) {
            samples.add(sample(c, type, keys, c.map(v, "values[]")));
        }
        return new Metric(type, orEmpty(c.string(opts, "ns")), orEmpty(c.string(opts, "ss")),
                orEmpty(c.string(opts, "name")), orEmpty(c.string(opts, "desc")), orEmpty(c.string(opts, "unit")),
                keys, bounds, quantiles, samples);
    }

    private static Sample sample(Context c, MetricType type, List<String> keys, Map<String, Object> v) {
        List<String> values = strings(c, c.list(v, "labels"), "values[].labels");
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < keys.size() && i < values.size(); i++) {
            labels.put(keys.get(i), values.get(i));
        }
        HistogramValue histogram = null;
        SummaryValue summary = null;
        ExponentialHistogramValue exponential = null;
        double value = Double.NaN;
        switch (type) {
            case HISTOGRAM -> {
                Map<String, Object> h = c.optionalMap(v, "histogram");
                histogram = new HistogramValue(longs(c, c.list(h, "buckets"), "histogram.buckets"),
                        c.number(h, "sum"), c.integer(h, "count"));
            }
            case SUMMARY -> {
                Map<String, Object> s = c.optionalMap(v, "summary");
                List<Double> q = new ArrayList<>();
                if (c.integer(s, "quantiles_set") != 0) {
                    for (Object o : c.list(s, "quantiles")) {
                        q.add(c.bits(o, "summary.quantiles"));
                    }
                }
                summary = new SummaryValue(q, c.bits(s.get("sum"), "summary.sum"), c.integer(s, "count"));
            }
            case EXPONENTIAL_HISTOGRAM -> {
                Map<String, Object> e = c.optionalMap(v, "exp_histogram");
                boolean sumSet = c.integer(e, "sum_set") != 0;
                exponential = new ExponentialHistogramValue((int) c.integer(e, "scale"), c.integer(e, "zero_count"),
                        c.number(e, "zero_threshold"), (int) c.integer(e, "positive_offset"),
                        longs(c, c.list(e, "positive_buckets"), "exp_histogram.positive_buckets"),
                        (int) c.integer(e, "negative_offset"),
                        longs(c, c.list(e, "negative_buckets"), "exp_histogram.negative_buckets"),
                        c.integer(e, "count"), sumSet, sumSet ? c.bits(e.get("sum"), "exp_histogram.sum") : 0);
            }
            default -> value = c.number(v, "value");
        }
        return new Sample(c.integer(v, "ts"), c.integer(v, "start_ts"), labels, value, histogram, summary, exponential);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static List<String> strings(Context c, List<Object> values, String field) {
        List<String> out = new ArrayList<>(values.size());
        for (Object o : values) {
            if (o != null && !(o instanceof String)) {
                throw c.wrong(field + "[]", "a string", o);
            }
            out.add(o == null ? "" : (String) o);
        }
        return out;
    }

    private static List<Double> doubles(Context c, List<Object> values, String field) {
        List<Double> out = new ArrayList<>(values.size());
        for (Object o : values) {
            out.add(c.number(o, field + "[]"));
        }
        return out;
    }

    private static List<Long> longs(Context c, List<Object> values, String field) {
        List<Long> out = new ArrayList<>(values.size());
        for (Object o : values) {
            out.add(c.integer(o, field + "[]"));
        }
        return out;
    }

    // ---- traces -------------------------------------------------------------------------------

    private static ResourceSpans resourceSpans(Context c, Map<String, Object> r) {
        Map<String, Object> resource = c.optionalMap(r, "resource");
        List<ScopeSpans> scopes = new ArrayList<>();
        for (Object s : c.list(r, "scope_spans")) {
            Map<String, Object> scopeSpans = c.map(s, "scope_spans[]");
            InstrumentationScope scope = null;
            if (scopeSpans.get("scope") != null) {
                Map<String, Object> sc = c.map(scopeSpans.get("scope"), "scope");
                scope = new InstrumentationScope(c.string(sc, "name"), c.string(sc, "version"),
                        c.optionalMap(sc, "attributes"), c.integer(sc, "dropped_attributes_count"));
            }
            List<Span> spans = new ArrayList<>();
            for (Object sp : c.list(scopeSpans, "spans")) {
                spans.add(span(c, c.map(sp, "spans[]")));
            }
            scopes.add(new ScopeSpans(scope, c.string(scopeSpans, "schema_url"), spans));
        }
        return new ResourceSpans(c.optionalMap(resource, "attributes"), c.integer(resource, "dropped_attributes_count"),
                c.string(r, "schema_url"), scopes);
    }

    private static Span span(Context c, Map<String, Object> s) {
        List<Span.SpanEvent> events = new ArrayList<>();
        for (Object o : c.list(s, "events")) {
            Map<String, Object> e = c.map(o, "events[]");
            events.add(new Span.SpanEvent(c.integer(e, "time_unix_nano"), c.string(e, "name"),
                    c.optionalMap(e, "attributes"), c.integer(e, "dropped_attributes_count")));
        }
        List<Span.SpanLink> links = new ArrayList<>();
        for (Object o : c.list(s, "links")) {
            Map<String, Object> l = c.map(o, "links[]");
            links.add(new Span.SpanLink(c.string(l, "trace_id"), c.string(l, "span_id"), c.string(l, "trace_state"),
                    c.optionalMap(l, "attributes"), c.integer(l, "dropped_attributes_count")));
        }
        Map<String, Object> status = c.optionalMap(s, "status");
        return new Span(c.string(s, "trace_id"), c.string(s, "span_id"), c.string(s, "parent_span_id"),
                c.string(s, "trace_state"), c.string(s, "name"), SpanKind.of(c.integer(s, "kind")),
                c.integer(s, "start_time_unix_nano"), c.integer(s, "end_time_unix_nano"), c.optionalMap(s, "attributes"),
                c.integer(s, "dropped_attributes_count"), c.integer(s, "dropped_events_count"),
                c.integer(s, "dropped_links_count"), events, links, c.string(s, "schema_url"),
                new Span.SpanStatus(StatusCode.of(c.integer(status, "code")), c.string(status, "message")));
    }
}
