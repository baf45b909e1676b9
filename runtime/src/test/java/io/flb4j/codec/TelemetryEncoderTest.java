package io.flb4j.codec;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flb4j.api.telemetry.ExponentialHistogramValue;
import io.flb4j.api.telemetry.HistogramValue;
import io.flb4j.api.telemetry.Metric;
import io.flb4j.api.telemetry.MetricSet;
import io.flb4j.api.telemetry.MetricType;
import io.flb4j.api.telemetry.Sample;
import io.flb4j.api.telemetry.SummaryValue;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every metric type an input can send, encoded by flb4j and decoded by flb4j. The same bytes are
 * left in target/telemetry-encoded.msgpack for a check with Fluent Bit's own cmetrics decoder
 * (README, "Inputs of metrics").
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

    private static Sample sample(Map<String, String> labels, double value) {
        return new Sample(T, 0, labels, value, null, null, null);
    }

    @Test
    void everyTypeRoundTrips() throws Exception {
        MetricSet set = everyType();
        byte[] bytes = TelemetryEncoder.metrics(set);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/telemetry-encoded.msgpack"), bytes);
        assertThat(TelemetryDecoder.kindOf(ByteBuffer.wrap(bytes))).isEqualTo(TelemetryDecoder.Kind.METRICS);
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
}
