package io.flb4j.samples.stdout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flb4j.api.Event;
import io.flb4j.codec.EventEncoder;
import io.flb4j.testkit.TestHost;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built stdout_java.so, flushed through the C test host as Fluent Bit would. */
class StdoutOutputIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @Test
    void chunksComeOutAsOneLinePerEvent() throws Exception {
        TestHost host = TestHost.build(TARGET.resolve("it-host"));
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        EventEncoder encoder = new EventEncoder();
        Instant t = Instant.parse("2026-11-24T22:00:00.000000001Z");
        chunk.writeBytes(encoder.encode(Event.of(t, Map.of("message", "one"))));
        chunk.writeBytes(EventEncoder.groupStart(Map.of(), Map.of("resource", "r")));
        chunk.writeBytes(encoder.encode(Event.of(t.plusSeconds(1), Map.of("message", "two"))));
        chunk.writeBytes(EventEncoder.groupEnd());
        Path file = TARGET.resolve("it-chunk.bin");
        Files.write(file, chunk.toByteArray());
        List<String> lines = host.run(Map.of(),
                "output", TARGET.resolve("stdout_java.so").toString(), file.toString(), "3", "2");
        List<String> printed = lines.stream().filter(l -> l.startsWith("test.tag ")).toList();
        assertEquals(12, printed.size(), lines.toString());
        assertEquals(6, printed.stream().filter(l -> l.equals("test.tag 2026-11-24T22:00:00.000000001Z {\"message\":\"one\"}")).count());
        assertEquals(6, printed.stream().filter(l -> l.equals("test.tag 2026-11-24T22:00:01.000000001Z {\"message\":\"two\"}")).count());
        assertTrue(lines.contains("flush ok=6 retry=0 error=0"), lines.toString());
        assertTrue(lines.contains("metric fluentbit_stdout_java_printed_total{name=stdout_java.0,tag=test.tag} 12"), lines.toString());
    }
}
