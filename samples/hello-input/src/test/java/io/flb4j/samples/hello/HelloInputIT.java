package io.flb4j.samples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flb4j.api.Event;
import io.flb4j.codec.ChunkDecoder;
import io.flb4j.testkit.TestHost;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built hello.so, loaded and collected through the C test host as Fluent Bit would. */
class HelloInputIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @Test
    void recordsReachFluentBitEveryInterval() throws Exception {
        TestHost host = TestHost.build(TARGET.resolve("it-host"));
        Path out = TARGET.resolve("it-hello.bin");
        List<String> lines = host.run(Map.of(), "input", TARGET.resolve("hello.so").toString(), out.toString(), "250", "20000",
                "foo=from-it", "interval=50ms");
        assertTrue(lines.contains("init rc=1"), lines.toString());
        List<Event> events = new ArrayList<>();
        ChunkDecoder.events(ByteBuffer.wrap(Files.readAllBytes(out))).forEach(events::add);
        assertTrue(events.size() >= 3, lines.toString());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(Map.of("message", "hello from hello", "foo", "from-it"), events.get(i).record());
            if (i > 0) {
                assertTrue(events.get(i).time().isAfter(events.get(i - 1).time()));
            }
        }
        assertTrue(lines.contains("done"), lines.toString());
    }

    @Test
    void badIntervalFailsInitWithTheKeyAndValue() throws Exception {
        TestHost host = TestHost.build(TARGET.resolve("it-host"));
        List<String> lines = host.run(Map.of(), "init", TARGET.resolve("hello.so").toString(), "interval=soon");
        assertTrue(lines.contains("init rc=0"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("log 1 [flb4j:hello#1] plugin 'hello': invalid configuration: "
                + "key 'interval' has value 'soon', expected a duration")), lines.toString());
    }
}
