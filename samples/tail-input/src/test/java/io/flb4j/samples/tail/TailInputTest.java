package io.flb4j.samples.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flb4j.api.Event;
import io.flb4j.testkit.PluginTester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailInputTest {
    @TempDir Path dir;

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<Object> logs(List<Event> events) {
        return events.stream().map(e -> e.get("log")).toList();
    }

    private PluginTester tail(Path file, Path db) {
        PluginTester t = PluginTester.of(TailInput.class).config("path", file.toString()).config("refresh_interval", "10ms");
        return db == null ? t : t.config("db", db.toString());
    }

    @Test
    void readsLinesWrittenAfterStartAndWaitsForTheEndOfAPartialOne() throws Exception {
        Path file = dir.resolve("app.log");
        append(file, "before start\n");
        try (PluginTester input = tail(file, null).start()) {
            append(file, "one\ntwo\nthr");
            assertEquals(List.of("one", "two"), logs(input.collect(2, Duration.ofSeconds(10))));
            append(file, "ee\n");
            assertEquals(List.of("three"), logs(input.collect(1, Duration.ofSeconds(10))));
            assertEquals(3.0, input.metric("lines_total"));
        }
    }

    @Test
    void readFromHeadReadsWhatIsThere() throws Exception {
        Path file = dir.resolve("app.log");
        append(file, "a\nb\n");
        try (PluginTester input = tail(file, null).config("read_from_head", "on").start()) {
            assertEquals(List.of("a", "b"), logs(input.collect(2, Duration.ofSeconds(10))));
        }
    }

    /** Started again with the same db, the input goes on after the last line Fluent Bit took. */
    @Test
    void goesOnFromTheOffsetFluentBitTook() throws Exception {
        Path file = dir.resolve("app.log");
        Path db = dir.resolve("offset");
        append(file, "old\n");
        try (PluginTester input = tail(file, db).start()) {
            append(file, "1\n2\n");
            assertEquals(List.of("1", "2"), logs(input.collect(2, Duration.ofSeconds(10))));
        }
        append(file, "3\n4\n");   // while Fluent Bit is down
        try (PluginTester input = tail(file, db).start()) {
            append(file, "5\n");
            assertEquals(List.of("3", "4", "5"), logs(input.collect(3, Duration.ofSeconds(10))));
        }
    }

    @Test
    void aRotatedFileIsReadToItsEndThenTheNewOneFromItsStart() throws Exception {
        Path file = dir.resolve("app.log");
        append(file, "");
        try (PluginTester input = tail(file, null).start()) {
            append(file, "a\n");
            assertEquals(List.of("a"), logs(input.collect(1, Duration.ofSeconds(10))));
            append(file, "b\nlast");
            Files.move(file, dir.resolve("app.log.1"));
            append(file, "new\n");
            assertEquals(List.of("b", "last", "new"), logs(input.collect(3, Duration.ofSeconds(10))));
            assertEquals(1.0, input.metric("rotations_total"));
        }
    }

    @Test
    void aTruncatedFileIsReadFromItsStart() throws Exception {
        Path file = dir.resolve("app.log");
        append(file, "");
        try (PluginTester input = tail(file, null).start()) {
            append(file, "a long first line\n");
            assertEquals(List.of("a long first line"), logs(input.collect(1, Duration.ofSeconds(10))));
            Files.writeString(file, "x\n", StandardOpenOption.TRUNCATE_EXISTING);
            assertEquals(List.of("x"), logs(input.collect(1, Duration.ofSeconds(10))));
        }
    }

    @Test
    void aLineLongerThanTheBufferIsCut() throws Exception {
        Path file = dir.resolve("app.log");
        append(file, "");
        try (PluginTester input = tail(file, null).config("buffer_max_size", "16").start()) {
            append(file, "0123456789abcdefXYZ\n");
            assertEquals(List.of("0123456789abcdef", "XYZ"), logs(input.collect(2, Duration.ofSeconds(10))));
        }
    }
}
