package io.flb4j.samples.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flb4j.testkit.Chunk;
import io.flb4j.testkit.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built prometheus_text_java.so, flushed a captured metrics chunk through the C test host. */
class PrometheusTextOutputIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @Test
    void aMetricsChunkComesOutAsPrometheusText() throws Exception {
        TestHost host = TestHost.build(TARGET.resolve("it-host"));
        Path file = TARGET.resolve("it-metrics.bin");
        Files.write(file, Chunk.captured(Chunk.Captured.PROMETHEUS_ALL_TYPES).bytes());
        List<String> lines = host.run(Map.of(), "output", TARGET.resolve("prometheus_text_java.so").toString(),
                file.toString(), "1", "1");
        assertTrue(lines.contains("registered name=prometheus_text_java type=2 proxy=11 description=Prints the metrics it "
                + "receives in Prometheus text form"), lines.toString());
        assertTrue(lines.contains("request_seconds_bucket{le=\"+Inf\"} 144320"), lines.toString());
        assertTrue(lines.contains("flush ok=1 retry=0 error=0"), lines.toString());
    }
}
