package io.flb4j.codec;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every metric type an input can send, and spans with events, links and every attribute type,
 * encoded by flb4j and decoded by flb4j. The same bytes are left in
 * target/telemetry-encoded.msgpack and target/traces-encoded.msgpack for a check with Fluent Bit's
 * own cmetrics and ctraces decoders (README, "Inputs of metrics and traces").
 */
class TelemetryEncoderTest {
    static final long T = 1_764_547_200_123_456_789L;

    /** One metric of each type an input can send, with and without labels, and a static label. */
    static MetricSet everyType() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("pool", "G1 Old Gen");
        a.put("area", "heap");
        return new MetricSet(Map.of(), Map.of("host", "vm1"), List.of(
                new Metric(MetricType.COUNTER, "jvm", "gc", "collections_total", "GC runs", "", List.of("pool"),
                        List.of(), List.of(), List.of(sample(Map.of("pool", "young"), 42), sample(Map.of("pool", "old"), 3))),
                new Metric(MetricType.GAUGE, "jvm", "memory", "used_bytes", "Bytes used", "", List.of("pool", "area"),
                        List.of(), List.of(), List.of(sample(a, 1.5e9))),
                new Metric(MetricType.UNTYPED, "", "", "uptime_seconds", "Uptime", "", List.of(), List.of(), List.of(),
                        List.of(sample(Map.of(), 12.25))),
                new Metric(MetricType.HISTOGRAM, "app", "", "latency_seconds", "Latency", "", List.of("route"),
                        List.of(0.1, 0.5, 1.0), List.of(), List.of(new Sample(T, 0, Map.of("route", "/a"), Double.NaN,
                                new HistogramValue(List.of(3L, 7L, 9L, 10L), 4.75, 10), null, null))),
                new Metric(MetricType.SUMMARY, "app", "", "size_bytes", "Sizes", "", List.of(), List.of(),
                        List.of(0.5, 0.99), List.of(new Sample(T, 0, Map.of(), Double.NaN, null,
                                new SummaryValue(List.of(512.0, 4096.5), 81920.0, 100), null)))));
    }

    /**
     * The encoded bytes, written to target/{@code file} for Fluent Bit's own decoders
     * (benchmarks/e2e/telemetry-decode-check.sh), after checking that they read as {@code kind}.
     */
    private static byte[] leftForFluentBit(byte[] bytes, String file, TelemetryDecoder.Kind kind) throws Exception {
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", file), bytes);
        assertThat(TelemetryDecoder.kindOf(ByteBuffer.wrap(bytes))).isEqualTo(kind);
        return bytes;
    }

    private static Sample sample(Map<String, String> labels, double value) {
        return new Sample(T, 0, labels, value, null, null, null);
    }

    @Test
    void everyTypeRoundTrips() throws Exception {
        MetricSet set = everyType();
        byte[] bytes = leftForFluentBit(TelemetryEncoder.metrics(set), "telemetry-encoded.msgpack",
                TelemetryDecoder.Kind.METRICS);
        List<MetricSet> decoded = TelemetryDecoder.metrics(ByteBuffer.wrap(bytes));
        assertThat(decoded).hasSize(1);
        MetricSet back = decoded.get(0);
        assertThat(back.staticLabels()).isEqualTo(set.staticLabels());
        assertThat(back.metrics()).hasSize(set.metrics().size());
        for (int i = 0; i < set.metrics().size(); i++) {
            Metric sent = set.metrics().get(i);
            Metric got = back.metrics().get(i);
            assertThat(got.type()).isEqualTo(sent.type());
            assertThat(got.fullName()).isEqualTo(sent.fullName());
            assertThat(got.help()).isEqualTo(sent.help());
            assertThat(got.labelKeys()).isEqualTo(sent.labelKeys());
            assertThat(got.bucketBounds()).isEqualTo(sent.bucketBounds());
            assertThat(got.quantiles()).isEqualTo(sent.quantiles());
            assertThat(got.samples()).hasSize(sent.samples().size());
            for (int j = 0; j < sent.samples().size(); j++) {
                Sample s = sent.samples().get(j);
                Sample g = got.samples().get(j);
                assertThat(g.timestampNanos()).isEqualTo(s.timestampNanos());
                assertThat(g.labels()).isEqualTo(s.labels());
                if (sent.type() == MetricType.HISTOGRAM) {
                    assertThat(g.histogram()).isEqualTo(s.histogram());
                } else if (sent.type() == MetricType.SUMMARY) {
                    assertThat(g.summary()).isEqualTo(s.summary());
                } else {
                    assertThat(g.value()).isEqualTo(s.value());
                }
            }
        }
    }

    @Test
    void whatCmetricsCannotTakeIsRefusedNamingTheMetric() {
        Metric exp = new Metric(MetricType.EXPONENTIAL_HISTOGRAM, "", "", "x", "", "", List.of(), List.of(), List.of(),
                List.of(new Sample(T, 0, Map.of(), Double.NaN, null, null,
                        new ExponentialHistogramValue(0, 0, 0, 0, List.of(), 0, List.of(), 0, false, 0))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TelemetryEncoder.metrics(new MetricSet(Map.of(), Map.of(), List.of(exp))));
        assertThat(e).hasMessageThat().contains("metric 'x': exponential histograms cannot be sent by an input");
        Metric missing = new Metric(MetricType.GAUGE, "", "", "g", "", "", List.of("a", "b"), List.of(), List.of(),
                List.of(sample(Map.of("a", "1"), 1)));
        e = assertThrows(IllegalArgumentException.class,
                () -> TelemetryEncoder.metrics(new MetricSet(Map.of(), Map.of(), List.of(missing))));
        assertThat(e).hasMessageThat().contains("metric 'g': a sample has no value for label 'b'");
        Metric hist = new Metric(MetricType.HISTOGRAM, "", "", "h", "", "", List.of(), List.of(1.0), List.of(),
                List.of(new Sample(T, 0, Map.of(), Double.NaN, new HistogramValue(List.of(1L), 1, 1), null, null)));
        e = assertThrows(IllegalArgumentException.class,
                () -> TelemetryEncoder.metrics(new MetricSet(Map.of(), Map.of(), List.of(hist))));
        assertThat(e).hasMessageThat().contains("metric 'h': a histogram sample needs 2 bucket counts");
    }

    /** Two resources; spans with a parent, events, links, every attribute type, a nil scope. */
    static TraceSet spans() {
        Map<String, Object> every = new LinkedHashMap<>();
        every.put("s", "text é");
        every.put("b", true);
        every.put("i", -42L);
        every.put("u", 1L << 40);
        every.put("d", 2.5);
        every.put("bytes", new byte[] {1, 2, (byte) 0xff});
        every.put("list", List.of("a", 1L, false));
        every.put("map", Map.of("k", "v"));
        Span root = Span.builder("GET /orders").kind(SpanKind.SERVER).start(T).end(T + 5_000_000)
                .attribute("http.status_code", 200L).status(StatusCode.OK, null).build();
        Span child = new Span(root.traceId(), "00f067aa0ba902b7", root.spanId(), "vendor=1", "db.query", SpanKind.CLIENT,
                T + 1_000, T + 4_000_000, every, 1, 2, 3,
                List.of(new Span.SpanEvent(T + 2_000, "retry", Map.of("attempt", 2L), 0),
                        new Span.SpanEvent(T + 3_000, "done", Map.of(), 4)),
                List.of(new Span.SpanLink("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "x=y",
                        Map.of("why", "batch"), 1)),
                "https://opentelemetry.io/schemas/1.21.0", new Span.SpanStatus(StatusCode.ERROR, "timeout"));
        Span bare = new Span(null, null, null, null, "bare", SpanKind.UNSPECIFIED, 0, 0, Map.of(), 0, 0, 0, List.of(),
                List.of(), null, new Span.SpanStatus(StatusCode.UNSET, null));
        return new TraceSet(List.of(
                new ResourceSpans(Map.of("service.name", "orders"), 1, "https://schema/resource", List.of(
                        new ScopeSpans(new InstrumentationScope("io.example", "1.0", Map.of("lib", "x"), 2),
                                "https://schema/scope", List.of(root, child)))),
                new ResourceSpans(Map.of(), 0, null, List.of(new ScopeSpans(null, null, List.of(bare))))));
    }

    @Test
    void spansWithEventsAndLinksRoundTrip() throws Exception {
        TraceSet set = spans();
        byte[] bytes = leftForFluentBit(TelemetryEncoder.traces(set), "traces-encoded.msgpack",
                TelemetryDecoder.Kind.TRACES);
        List<TraceSet> decoded = TelemetryDecoder.traces(ByteBuffer.wrap(bytes));
        assertThat(decoded).hasSize(1);
        assertThat(comparable(decoded.get(0))).isEqualTo(comparable(set));
        // byte[] compares by identity in records: checked on its own
        Object got = decoded.get(0).resourceSpans().get(0).scopeSpans().get(0).spans().get(1).attributes().get("bytes");
        assertThat(Arrays.equals((byte[]) got, new byte[] {1, 2, (byte) 0xff})).isTrue();
    }

    /** The set with byte arrays replaced by lists, so that records compare by value. */
    private static String comparable(TraceSet set) {
        return set.toString().replaceAll("\\[B@[0-9a-f]+", "bytes");
    }

    @Test
    void whatCtracesCannotTakeIsRefusedNamingTheSpan() {
        Span badId = Span.builder("op").traceId("xyz").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TelemetryEncoder.traces(TraceSet.of(Map.of(), null, List.of(badId))));
        assertThat(e).hasMessageThat().contains("span 'op': the trace id must be 32 hex digits or null, not 'xyz'");
        Span nullValue = Span.builder("op2").attribute("k", null).build();
        e = assertThrows(IllegalArgumentException.class,
                () -> TelemetryEncoder.traces(TraceSet.of(Map.of(), "scope", List.of(nullValue))));
        assertThat(e).hasMessageThat().contains("span 'op2': attribute 'k' is null");
        Span negative = Span.builder("op3").start(-1).build();
        e = assertThrows(IllegalArgumentException.class,
                () -> TelemetryEncoder.traces(TraceSet.of(Map.of(), "scope", List.of(negative))));
        assertThat(e).hasMessageThat().contains("span 'op3': its start time: a count or time cannot be negative");
        java.util.HashMap<String, Object> nullValue2 = new java.util.HashMap<>();
        nullValue2.put("k", null);
        Span inEvent = Span.builder("op4").event("e", 1, nullValue2).build();
        e = assertThrows(IllegalArgumentException.class,
                () -> TelemetryEncoder.traces(TraceSet.of(Map.of(), "scope", List.of(inEvent))));
        assertThat(e).hasMessageThat().startsWith("span 'op4', event 'e': attribute 'k' is null;");
    }

    @Test
    void builtSpansHaveFreshIdsAndTheirParentsTrace() {
        Span parent = Span.builder("a").build();
        Span child = Span.builder("b").parent(parent).build();
        assertThat(parent.traceId()).matches("[0-9a-f]{32}");
        assertThat(parent.spanId()).matches("[0-9a-f]{16}");
        assertThat(child.traceId()).isEqualTo(parent.traceId());
        assertThat(child.parentSpanId()).isEqualTo(parent.spanId());
        assertThat(child.spanId()).isNotEqualTo(parent.spanId());
    }
}
