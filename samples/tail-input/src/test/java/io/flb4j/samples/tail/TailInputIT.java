package io.flb4j.samples.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flb4j.api.Event;
import io.flb4j.codec.ChunkDecoder;
import io.flb4j.codec.EventEncoder;
import io.flb4j.testkit.TestHost;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built tail_java.so, collected through the C test host as Fluent Bit would. */
class TailInputIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @Test
    void theFileComesOutLineByLineAndTheOffsetIsKept() throws Exception {
        TestHost host = TestHost.build(TARGET.resolve("it-host"));
        Path file = TARGET.resolve("it-app.log");
        Path db = TARGET.resolve("it-offset");
        Files.deleteIfExists(db);
        StringBuilder text = new StringBuilder();
        EventEncoder encoder = new EventEncoder();
        long expectedBytes = 0;   // the host stops once it has this much: all 1000 events, not the first batches
        for (int i = 0; i < 1000; i++) {
            text.append("line ").append(i).append('\n');
            expectedBytes += encoder.encodeInPlace(Event.of(Map.of("log", "line " + i)));
        }
        Files.writeString(file, text);
        Path out = TARGET.resolve("it-tail.bin");
        List<String> lines = host.run(Map.of(), "input", TARGET.resolve("tail_java.so").toString(), out.toString(),
                String.valueOf(expectedBytes), "20000", "path=" + file, "db=" + db, "read_from_head=on");
        assertTrue(lines.contains("init rc=1"), lines.toString());
        List<Event> events = new ArrayList<>();
        ChunkDecoder.events(ByteBuffer.wrap(Files.readAllBytes(out))).forEach(events::add);
        assertEquals(1000, events.size(), lines.toString());
        for (int i = 0; i < events.size(); i++) {
            assertEquals("line " + i, events.get(i).get("log"));
        }
        String kept = Files.readString(db).trim();
        assertTrue(kept.endsWith(" " + Files.size(file)), kept);   // every line taken: the offset is the file's end
    }
}
