package io.flb4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flb4j.api.Event;
import io.flb4j.api.MalformedChunkException;
import io.flb4j.codec.EventEncoder;
import io.flb4j.codec.TelemetryDecoder;
import io.flb4j.api.telemetry.ExponentialHistogramValue;
import io.flb4j.api.telemetry.HistogramValue;
import io.flb4j.api.telemetry.Metric;
import io.flb4j.api.telemetry.MetricSet;
import io.flb4j.api.telemetry.MetricType;
import io.flb4j.api.telemetry.ResourceSpans;
import io.flb4j.api.telemetry.Sample;
import io.flb4j.api.telemetry.Span;
import io.flb4j.api.telemetry.SpanKind;
import io.flb4j.api.telemetry.StatusCode;
import io.flb4j.api.telemetry.TraceSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link TelemetryDecoder} on payloads captured from Fluent Bit 5.1.1 (see captured/CAPTURED.md). */
class TelemetryDecoderTest {
    private static ByteBuffer captured(Chunk.Captured which) {
        byte[] bytes = Chunk.captured(which).bytes();
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);   // as Fluent Bit's memory arrives
        return direct.put(bytes).flip();
    }

    private static Metric metric(MetricSet set, String fullName) {
        return set.metrics().stream().filter(m -> m.fullName().equals(fullName)).findFirst().orElseThrow(
                () -> new AssertionError(fullName + " not in " + set.metrics().stream().map(Metric::fullName).toList()));
    }

    @Test
    void everyPrometheusTypeFromAScrape() throws IOException {
        ByteBuffer chunk = captured(Chunk.Captured.PROMETHEUS_ALL_TYPES);
        assertEquals(TelemetryDecoder.Kind.METRICS, TelemetryDecoder.kindOf(chunk));
        List<MetricSet> sets = TelemetryDecoder.metrics(chunk);
        assertEquals(1, sets.size());
        MetricSet set = sets.get(0);

        Metric counter = metric(set, "http_requests_total");
        assertEquals(MetricType.COUNTER, counter.type());
        assertEquals("Requests served.", counter.help());
        assertEquals(List.of("method", "code"), counter.labelKeys());
        assertEquals(2, counter.samples().size());
        Sample get = counter.samples().get(0);
        assertEquals(Map.of("method", "get", "code", "200"), get.labels());
        assertEquals(1027.0, get.value());
        assertTrue(get.timestampNanos() > 1_700_000_000_000_000_000L, "a nanosecond timestamp: " + get.timestampNanos());

        Metric gauge = metric(set, "queue_depth");
        assertEquals(MetricType.GAUGE, gauge.type());
        assertEquals(42.5, gauge.samples().get(0).value());
        assertEquals(Map.of(), gauge.samples().get(0).labels());

        Metric histogram = metric(set, "request_seconds");
        assertEquals(MetricType.HISTOGRAM, histogram.type());
        assertEquals(List.of(0.05, 0.1, 0.5, 1.0), histogram.bucketBounds());
        HistogramValue h = histogram.samples().get(0).histogram();
        assertEquals(List.of(24054L, 33444L, 129389L, 133988L, 144320L), h.bucketCounts());
        assertEquals(List.of(24054L, 9390L, 95945L, 4599L, 10332L), h.perBucket());
        assertEquals(53423.5, h.sum());
        assertEquals(144320L, h.count());
        assertTrue(Double.isNaN(histogram.samples().get(0).value()));

        Metric summary = metric(set, "rpc_seconds");
        assertEquals(MetricType.SUMMARY, summary.type());
        assertEquals(List.of(0.5, 0.9, 0.99), summary.quantiles());
        assertEquals(List.of(0.0042, 0.012, 0.098), summary.samples().get(0).summary().quantileValues());
        assertEquals(17.5, summary.samples().get(0).summary().sum());
        assertEquals(2693L, summary.samples().get(0).summary().count());

        Metric untyped = metric(set, "temperature_celsius");
        assertEquals(MetricType.UNTYPED, untyped.type());
        assertEquals(Map.of("room", "lab"), untyped.samples().get(0).labels());
        assertEquals(21.25, untyped.samples().get(0).value());
    }

    @Test
    void fluentBitsOwnMetrics() throws IOException {
        List<MetricSet> sets = TelemetryDecoder.metrics(captured(Chunk.Captured.FLUENTBIT_METRICS));
        assertEquals(1, sets.size());
        List<Metric> metrics = sets.get(0).metrics();
        assertTrue(metrics.size() > 20, "fluentbit_metrics sends dozens: " + metrics.size());
        assertTrue(metrics.stream().allMatch(m -> m.fullName().startsWith("fluentbit_")), "all fluentbit_*");
        Metric uptime = metric(sets.get(0), "fluentbit_uptime");
        assertEquals(MetricType.COUNTER, uptime.type());
        assertEquals(List.of("hostname"), uptime.labelKeys());
        assertTrue(uptime.samples().get(0).value() >= 0);
        Metric inputRecords = metric(sets.get(0), "fluentbit_input_records_total");
        assertEquals(List.of("name"), inputRecords.labelKeys());
        assertTrue(inputRecords.samples().stream().anyMatch(s -> "fluentbit_metrics.0".equals(s.labels().get("name"))),
                "one sample per input instance: " + inputRecords.samples());
    }

    @Test
    void anExponentialHistogramFromOpenTelemetry() throws IOException {
        List<MetricSet> sets = TelemetryDecoder.metrics(captured(Chunk.Captured.OTLP_EXPONENTIAL_HISTOGRAM));
        Metric m = metric(sets.get(0), "payload_bytes");
        assertEquals(MetricType.EXPONENTIAL_HISTOGRAM, m.type());
        assertEquals("Payload sizes.", m.help());
        assertEquals("By", m.unit());
        Sample s = m.samples().get(0);
        assertEquals(1_764_072_060_000_000_000L, s.timestampNanos());
        // 5.1.1 does not pass on this data point's OTLP start time: no start_ts in the payload.
        assertEquals(0L, s.startTimestampNanos());
        assertEquals(Map.of("route", "/checkout"), s.labels());
        ExponentialHistogramValue e = s.exponentialHistogram();
        assertEquals(2, e.scale());
        assertEquals(1L, e.zeroCount());
        assertEquals(3, e.positiveOffset());
        assertEquals(List.of(1L, 2L, 2L), e.positiveBucketCounts());
        assertEquals(List.of(), e.negativeBucketCounts());
        assertEquals(6L, e.count());
        assertTrue(e.sumSet());
        assertEquals(1234.5, e.sum());
        assertTrue(sets.get(0).metadata().containsKey("external"), "OpenTelemetry resource and scope: " + sets.get(0).metadata());
    }

    @Test
    void aSpanWithEverythingFromOpenTelemetry() throws IOException {
        ByteBuffer chunk = captured(Chunk.Captured.OTLP_TRACES);
        assertEquals(TelemetryDecoder.Kind.TRACES, TelemetryDecoder.kindOf(chunk));
        List<TraceSet> sets = TelemetryDecoder.traces(chunk);
        assertEquals(1, sets.size());
        ResourceSpans resource = sets.get(0).resourceSpans().get(0);
        assertEquals("checkout", resource.attributes().get("service.name"));
        assertEquals(8L, resource.attributes().get("host.cpus"));
        assertEquals("io.flb4j.capture", resource.scopeSpans().get(0).scope().name());
        assertEquals("1.0.0", resource.scopeSpans().get(0).scope().version());
        assertEquals(Map.of("scope.kind", "manual"), resource.scopeSpans().get(0).scope().attributes());
        Span span = resource.scopeSpans().get(0).spans().get(0);
        assertEquals("5b8efff798038103d269b633813fc60c", span.traceId());
        assertEquals("eee19b7ec3c1b174", span.spanId());
        assertEquals("eee19b7ec3c1b173", span.parentSpanId());
        assertEquals("POST /checkout", span.name());
        assertEquals(SpanKind.SERVER, span.kind());
        assertEquals(250_000_000L, span.durationNanos());
        assertEquals(200L, span.attributes().get("http.status_code"));
        assertEquals(false, span.attributes().get("retry"));
        assertEquals(0.25, span.attributes().get("ratio"));
        assertEquals(1, span.events().size());
        assertEquals("cache miss", span.events().get(0).name());
        assertEquals(1_764_072_000_100_000_000L, span.events().get(0).timeUnixNano());
        assertEquals(Map.of("cache.key", "cart:42"), span.events().get(0).attributes());
        assertEquals("0af7651916cd43dd8448eb211c80319c", span.links().get(0).traceId());
        assertEquals("b7ad6b7169203331", span.links().get(0).spanId());
        assertEquals(StatusCode.OK, span.status().code());
        assertEquals("ok", span.status().message());
        assertNull(span.traceState());
    }

    @Test
    void logsAreTold() {
        ByteBuffer logs = ByteBuffer.wrap(new EventEncoder().encode(Event.of(Map.of("a", 1))));
        assertEquals(TelemetryDecoder.Kind.LOGS, TelemetryDecoder.kindOf(logs));
        assertEquals(TelemetryDecoder.Kind.LOGS, TelemetryDecoder.kindOf(ByteBuffer.allocate(0)));
    }

    @Test
    void aTruncatedOrWrongPayloadIsMalformedNeverAnotherException() throws IOException {
        ByteBuffer whole = captured(Chunk.Captured.PROMETHEUS_ALL_TYPES);
        byte[] bytes = new byte[whole.remaining()];
        whole.get(bytes);
        for (int cut = 1; cut < bytes.length; cut += 7) {
            ByteBuffer part = ByteBuffer.wrap(Arrays.copyOf(bytes, cut));
            assertThrows(MalformedChunkException.class, () -> TelemetryDecoder.metrics(part), "cut at " + cut);
        }
        // {"meta": {}, "metrics": [{"meta": {"type": "counter"}}]}: a string where an integer belongs
        byte[] wrong = {(byte) 0x82, (byte) 0xa4, 'm', 'e', 't', 'a', (byte) 0x80, (byte) 0xa7, 'm', 'e', 't', 'r', 'i', 'c',
                's', (byte) 0x91, (byte) 0x81, (byte) 0xa4, 'm', 'e', 't', 'a', (byte) 0x81, (byte) 0xa4, 't', 'y', 'p', 'e',
                (byte) 0xa7, 'c', 'o', 'u', 'n', 't', 'e', 'r'};
        MalformedChunkException e = assertThrows(MalformedChunkException.class,
                () -> TelemetryDecoder.metrics(ByteBuffer.wrap(wrong)));
        assertTrue(e.getMessage().contains("'type' must be an integer, not String"), e.getMessage());
    }
}
