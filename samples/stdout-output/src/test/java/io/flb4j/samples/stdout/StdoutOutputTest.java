package io.flb4j.samples.stdout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flb4j.api.Event;
import io.flb4j.api.FlushResult;
import io.flb4j.testkit.PluginTester;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StdoutOutputTest {
    @Test
    void printsOneLinePerEventWithTagAndTime() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (PluginTester output = PluginTester.of(StdoutOutput.class).start()) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("message", "say \"hi\"");
            record.put("n", 1);
            record.put("tags", List.of("a", true));
            Instant t = Instant.parse("2026-11-24T22:00:00.123456789Z");
            assertEquals(FlushResult.OK, output.flush("dummy.0", Event.of(t, record), Event.of(t, Map.of("x", 2.5))));
            assertEquals(2.0, output.metric("printed_total", "dummy.0"));
        } finally {
            System.setOut(stdout);
        }
        assertEquals("dummy.0 2026-11-24T22:00:00.123456789Z {\"message\":\"say \\\"hi\\\"\",\"n\":1,\"tags\":[\"a\",true]}\n"
                + "dummy.0 2026-11-24T22:00:00.123456789Z {\"x\":2.5}\n", captured.toString(StandardCharsets.UTF_8));
    }

    /** A hot reload ends the generation and starts the next in a new class loader; the old one is collected. */
    @Test
    void survivesHotReloads() throws Exception {
        try (PluginTester output = PluginTester.reloadable(StdoutOutput.class).start()) {
            for (int i = 0; i < 3; i++) {
                assertEquals(FlushResult.OK, output.flush("dummy.0", Event.of(Map.of("n", i))));
                output.reload();
            }
            output.assertEndedGenerationsUnloaded();
        }
    }
}
