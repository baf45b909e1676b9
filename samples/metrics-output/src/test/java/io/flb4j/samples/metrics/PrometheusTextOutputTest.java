package io.flb4j.samples.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flb4j.api.FlushResult;
import io.flb4j.testkit.Chunk;
import io.flb4j.testkit.PluginTester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output fed metrics chunks captured from Fluent Bit 5.1.1. */
class PrometheusTextOutputTest {
    @TempDir
    Path dir;

    private List<String> print(Chunk.Captured payload) throws Exception {
        Path file = dir.resolve("metrics.txt");
        try (PluginTester output = PluginTester.of(PrometheusTextOutput.class).config("path", file.toString()).start()) {
            assertEquals(FlushResult.OK, output.flush("metrics", Chunk.captured(payload)));
        }
        return Files.readAllLines(file);
    }

    @Test
    void everyTypeOfAPrometheusScrape() throws Exception {
        List<String> text = print(Chunk.Captured.PROMETHEUS_ALL_TYPES);
        assertEquals(List.of(
                "# HELP http_requests_total Requests served.",
                "# TYPE http_requests_total counter",
                "http_requests_total{method=\"get\",code=\"200\"} 1027",
                "http_requests_total{method=\"post\",code=\"500\"} 3",
                "# HELP queue_depth Items waiting.",
                "# TYPE queue_depth gauge",
                "queue_depth 42.5",
                "# HELP temperature_celsius Untyped reading.",
                "# TYPE temperature_celsius untyped",
                "temperature_celsius{room=\"lab\"} 21.25",
                "# HELP rpc_seconds RPC latency.",
                "# TYPE rpc_seconds summary",
                "rpc_seconds{quantile=\"0.5\"} 0.0042",
                "rpc_seconds{quantile=\"0.9\"} 0.012",
                "rpc_seconds{quantile=\"0.99\"} 0.098",
                "rpc_seconds_sum 17.5",
                "rpc_seconds_count 2693",
                "# HELP request_seconds Request latency.",
                "# TYPE request_seconds histogram",
                "request_seconds_bucket{le=\"0.05\"} 24054",
                "request_seconds_bucket{le=\"0.1\"} 33444",
                "request_seconds_bucket{le=\"0.5\"} 129389",
                "request_seconds_bucket{le=\"1\"} 133988",
                "request_seconds_bucket{le=\"+Inf\"} 144320",
                "request_seconds_sum 53423.5",
                "request_seconds_count 144320"), text);
    }

    @Test
    void fluentBitsOwnMetrics() throws Exception {
        List<String> text = print(Chunk.Captured.FLUENTBIT_METRICS);
        assertTrue(text.contains("# TYPE fluentbit_uptime counter"), text.toString());
        assertTrue(text.stream().anyMatch(l -> l.startsWith("fluentbit_input_records_total{name=\"fluentbit_metrics.0\"} ")),
                text.toString());
        assertTrue(text.stream().filter(l -> !l.startsWith("#")).allMatch(l -> l.startsWith("fluentbit_")), text.toString());
    }

    @Test
    void logsAreNotWhatItTakes() throws Exception {
        try (PluginTester output = PluginTester.of(PrometheusTextOutput.class).start()) {
            assertEquals(FlushResult.ERROR, output.flush("logs", io.flb4j.api.Event.of(java.util.Map.of("a", 1))));
            assertTrue(output.logs().stream().anyMatch(l -> l.message().contains("does not implement flush(String, Events)")),
                    output.logs().toString());
        }
    }
}
