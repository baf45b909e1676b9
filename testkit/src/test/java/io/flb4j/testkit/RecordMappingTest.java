package io.flb4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flb4j.api.Event;
import io.flb4j.api.Events;
import io.flb4j.api.FlushResult;
import io.flb4j.binding.PluginBinding;
import io.flb4j.binding.PluginDescriptor;
import io.flb4j.codec.ChunkDecoder;
import io.flb4j.codec.ChunkMemory;
import io.flb4j.codec.EventEncoder;
import io.flb4j.codec.RecordMappers;
import io.flb4j.processor.PluginProcessor;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An @EventRecord compiled by the real processor, read by an output through events.as. */
class RecordMappingTest {
    private static PluginBinding<?> binding;
    private static PluginDescriptor descriptor;
    private static Path classes;

    @BeforeAll
    static void compile() throws Exception {
        classes = PluginCompiler.compile(List.of(Path.of("src/test/plugins/records/RecordOutput.java")),
                Path.of("target/test-plugins/record_out"), new PluginProcessor());
        descriptor = PluginCompiler.descriptor(classes);
        URLClassLoader loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()},
                RecordMappingTest.class.getClassLoader());
        for (PluginBinding<?> b : ServiceLoader.load(PluginBinding.class, loader)) {
            if (b.pluginClass().getName().equals(descriptor.pluginClass())) {
                binding = b;   // the test classes' own bindings come first from the parent loader
            }
        }
    }

    @BeforeEach
    void clear() {
        RecordProbe.SEEN.clear();
        RecordProbe.constructing = () -> {};
        RecordProbe.refusing = null;
    }

    @Test
    void theProcessorGeneratedAMapperAndTheBindingListsIt() throws Exception {
        assertTrue(Files.isRegularFile(classes.resolve("io/flb4j/testplugins/records/RecordOutput_AccessLog_Flb4jMapper.class")));
        assertEquals(1, binding.recordMappers().size());
    }

    @Test
    void eventsReadAsRecordsSkippingUnknownFields() {
        try (PluginTester output = PluginTester.of(binding, descriptor).start()) {
            FlushResult r = output.flush("t",
                    Event.of(Map.of("method", "GET", "path", "/", "status", 200L, "latency_ms", 1.5, "host", "web-1",
                            "labels", Map.of("app", "shop"))),
                    Event.of(Map.of("method", "POST", "path", "/cart", "status", 503L, "latency_ms", 12L, "cached", true)));
            assertEquals(FlushResult.OK, r);
        }
        assertEquals(List.of("AccessLog[method=GET, path=/, status=200, latency=1.5, cached=null, labels={app=shop}]",
                "AccessLog[method=POST, path=/cart, status=503, latency=12.0, cached=true, labels=null]"), RecordProbe.SEEN);
    }

    /**
     * A record's constructor is plugin code and may block: the chunk it was read from is let go
     * before it runs, so the end of a flush (its answer, or its deadline) never waits for it.
     */
    @Test
    void theChunkIsLetGoBeforeTheRecordIsBuilt() throws Exception {
        EventEncoder encoder = new EventEncoder();
        ByteBuffer chunk = ByteBuffer.allocateDirect(1024);
        chunk.put(encoder.encode(Event.of(Map.of("method", "GET", "path", "/", "status", 200L, "latency_ms", 1.5))));
        chunk.put(encoder.encode(Event.of(Map.of("method", "PUT", "path", "/a", "status", 201L, "latency_ms", 2.5))));
        ChunkMemory mem = ChunkMemory.borrowed(chunk.flip());
        Events events = ChunkDecoder.events(mem, RecordMappers.of(binding.recordMappers()));
        AtomicReference<Boolean> closedWhileBuilding = new AtomicReference<>();
        RecordProbe.constructing = () -> {
            if (closedWhileBuilding.get() == null) {
                Thread owner = new Thread(mem::close);   // what a flush's answer does before Fluent Bit frees the chunk
                owner.start();
                try {
                    owner.join(5000);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                closedWhileBuilding.set(!owner.isAlive());
            }
        };
        Iterator<?> records = events.as(binding.recordMappers().get(0).type()).iterator();
        assertTrue(records.next().toString().startsWith("AccessLog[method=GET"));
        assertEquals(Boolean.TRUE, closedWhileBuilding.get());
        IllegalStateException e = assertThrows(IllegalStateException.class, records::hasNext);   // the chunk is gone now
        assertTrue(e.getMessage().contains("Events are valid only during the flush"), e.getMessage());
    }

    /** A record's constructor that throws is an error for that event; the events after it are still read. */
    @Test
    void aConstructorThatThrowsSkipsOnlyItsEvent() {
        RecordProbe.constructing = () -> {
            if (RecordProbe.SEEN.isEmpty()) {
                RecordProbe.SEEN.add("constructor threw");
                throw new IllegalArgumentException("no GETs here");
            }
        };
        EventEncoder encoder = new EventEncoder();
        ByteBuffer chunk = ByteBuffer.allocate(1024);
        chunk.put(encoder.encode(Event.of(Map.of("method", "GET", "path", "/", "status", 200L, "latency_ms", 1.5))));
        chunk.put(encoder.encode(Event.of(Map.of("method", "PUT", "path", "/a", "status", 201L, "latency_ms", 2.5))));
        Events events = ChunkDecoder.events(chunk.flip(), RecordMappers.of(binding.recordMappers()));
        Iterator<?> records = events.as(binding.recordMappers().get(0).type()).iterator();
        assertThrows(IllegalArgumentException.class, records::next);
        assertTrue(records.next().toString().startsWith("AccessLog[method=PUT"));
        assertFalse(records.hasNext());
    }

    @Test
    void aRecordWithAMissingOrIllTypedFieldIsSkippedWithAnErrorNamingItAndTheRestOfTheChunkIsDelivered() {
        try (PluginTester output = PluginTester.of(binding, descriptor).start()) {
            FlushResult r = output.flush("t",
                    Event.of(Map.of("method", "GET", "status", 200L, "latency_ms", 1.0)),
                    Event.of(Map.of("method", "GET", "latency_ms", 1.0)),
                    Event.of(Map.of("method", "PUT", "status", 201L, "latency_ms", 2.0)),
                    Event.of(Map.of("status", "200", "latency_ms", 1.0)),
                    Event.of(Map.of("method", "DELETE", "status", 204L, "latency_ms", 3.0)),
                    Event.of(Map.of("method", "HEAD", "latency_ms", 1.0)));   // last: the loop still ends cleanly
            assertEquals(FlushResult.OK, r, output.logs().toString());
            assertEquals(3, RecordProbe.SEEN.size(), RecordProbe.SEEN.toString());
            assertTrue(RecordProbe.SEEN.get(0).startsWith("AccessLog[method=GET, path=null, status=200"), RecordProbe.SEEN.toString());
            assertTrue(RecordProbe.SEEN.get(1).startsWith("AccessLog[method=PUT"), RecordProbe.SEEN.toString());
            assertTrue(RecordProbe.SEEN.get(2).startsWith("AccessLog[method=DELETE"), RecordProbe.SEEN.toString());
            assertEquals(List.of(
                    "error [flb4j:record_out#1] flush of tag 't' skipped event 2 of the chunk, which does not fit AccessLog: "
                            + "io.flb4j.api.MissingFieldException: the record has no field 'status', which AccessLog needs",
                    "error [flb4j:record_out#1] flush of tag 't' skipped event 4 of the chunk, which does not fit AccessLog: "
                            + "io.flb4j.api.FieldTypeException: field 'status' of AccessLog is a String (200), not an integer",
                    // the same kind again within a minute: counted, and said at debug
                    "debug [flb4j:record_out#1] flush of tag 't' skipped event 6 of the chunk, which does not fit AccessLog: "
                            + "io.flb4j.api.MissingFieldException: the record has no field 'status', which AccessLog needs"),
                    output.logs().stream().map(Object::toString).toList());
        }
    }

    /**
     * A batch of records whose destination refuses two of them (RejectedEventException naming the
     * record): their events are found by reading the records again, left out, and the flush runs
     * again on the others. One refused record holds a byte array (its equals is identity), and
     * one event that fits no record comes first: the numbers are the chunk's events.
     */
    @Test
    void aRecordTheDestinationRefusesIsFoundAndOnlyItsEventIsLeftOut() {
        RecordProbe.refusing = log -> log.toString().contains("status=999") ? log : null;
        try (PluginTester output = PluginTester.of(binding, descriptor).start()) {
            FlushResult r = output.flush("t",
                    Event.of(Map.of("method", "GET", "path", "/a", "status", 200L, "latency_ms", 1.0)),
                    Event.of(Map.of("method", "GET", "latency_ms", 1.0)),
                    Event.of(Map.of("method", "POST", "path", "/b", "status", 999L, "latency_ms", 2.0)),
                    Event.of(Map.of("method", "GET", "path", "/a", "status", 200L, "latency_ms", 1.0)),
                    Event.of(Map.of("method", "PUT", "path", "/c", "status", 999L, "latency_ms", 3.0,
                            "labels", Map.of("raw", new byte[] {1, 2, 3}))),
                    Event.of(Map.of("method", "HEAD", "path", "/d", "status", 204L, "latency_ms", 4.0)));
            assertEquals(FlushResult.OK, r, output.logs().toString());
            assertEquals(List.of("GET /a", "GET /a", "HEAD /d"), RecordProbe.SEEN.stream()
                    .map(s -> s.replaceAll("AccessLog\\[method=(\\w+), path=([^,]+),.*", "$1 $2")).toList());
            List<String> refused = output.logs().stream().map(Object::toString)
                    .filter(line -> line.contains("failed on event")).toList();
            assertEquals(2, refused.size(), output.logs().toString());
            assertTrue(refused.get(0).startsWith("error [flb4j:record_out#1] flush of tag 't' failed on event 3 of the "
                    + "chunk, which the flush cannot take; that event is skipped and the flush runs again without it"), refused.get(0));
            assertTrue(refused.get(0).endsWith("io.flb4j.api.RejectedEventException: status 999 is out of range; caused by "
                    + "java.sql.BatchUpdateException: check constraint \"status_range\""), refused.get(0));
            assertTrue(refused.get(1).contains("failed on event 5 of the chunk"), refused.get(1));
        }
    }

    /** Records the same to the type are one to the flush: the first not yet left out goes, then the next. */
    @Test
    void recordsTheSameToTheTypeAreLeftOutOneAtATime() {
        RecordProbe.refusing = log -> log.toString().contains("status=999") ? log : null;
        try (PluginTester output = PluginTester.of(binding, descriptor).start()) {
            Event bad = Event.of(Map.of("method", "POST", "path", "/b", "status", 999L, "latency_ms", 2.0));
            FlushResult r = output.flush("t", bad, Event.of(Map.of("method", "GET", "path", "/a", "status", 200L,
                    "latency_ms", 1.0)), Event.of(Map.of("method", "POST", "path", "/b", "status", 999L, "latency_ms", 2.0,
                    "host", "another field the type does not read")));
            assertEquals(FlushResult.OK, r, output.logs().toString());
            assertEquals(1, RecordProbe.SEEN.size(), RecordProbe.SEEN.toString());
            assertTrue(output.logs().toString().contains("failed on event 3 of the chunk"), output.logs().toString());
        }
    }

    /** A record the flush changed (or built) is none of the chunk's: not known, so the chunk is dropped. */
    @Test
    void aChangedRecordIsNotKnownAndTheChunkIsDropped() {
        RecordProbe.refusing = log -> log.toString().contains("status=999") ? copyWithStatus(log, 1000) : null;
        try (PluginTester output = PluginTester.of(binding, descriptor).start()) {
            FlushResult r = output.flush("t", Event.of(Map.of("method", "GET", "path", "/a", "status", 200L,
                    "latency_ms", 1.0)), Event.of(Map.of("method", "POST", "path", "/b", "status", 999L, "latency_ms", 2.0)));
            assertEquals(FlushResult.ERROR, r, output.logs().toString());
            assertTrue(RecordProbe.SEEN.isEmpty(), RecordProbe.SEEN.toString());
            assertEquals(List.of("error [flb4j:record_out#1] flush of tag 't' failed and a retry cannot succeed, chunk "
                    + "dropped: io.flb4j.api.RejectedEventException: status 999 is out of range; caused by "
                    + "java.sql.BatchUpdateException: check constraint \"status_range\""),
                    output.logs().stream().map(Object::toString).toList());
        }
    }

    /** The plugin's own record, with another status: what a flush that changed its record names. */
    private static Object copyWithStatus(Object log, int status) {
        try {
            var components = log.getClass().getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = components[i].getName().equals("status") ? status : components[i].getAccessor().invoke(log);
            }
            return log.getClass().getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRecordWhoseConstructorThrowsFailsTheFlushAsPluginCodeDoes() {
        RecordProbe.constructing = () -> {
            throw new IllegalStateException("refused by the compact constructor");
        };
        try (PluginTester output = PluginTester.of(binding, descriptor).start()) {
            assertEquals(FlushResult.RETRY, output.flush("t", Event.of(Map.of("method", "GET", "status", 200L, "latency_ms", 1.0))));
            assertTrue(output.logs().toString().contains("refused by the compact constructor"), output.logs().toString());
        }
    }

    @Test
    void anInputEmitsRecordsWrittenByTheirMapper() throws Exception {
        Path inputClasses = PluginCompiler.compile(List.of(Path.of("src/test/plugins/recordinput/RecordInput.java")),
                Path.of("target/test-plugins/record_in"), new PluginProcessor());
        PluginDescriptor d = PluginCompiler.descriptor(inputClasses);
        URLClassLoader loader = new URLClassLoader(new java.net.URL[] {inputClasses.toUri().toURL()},
                RecordMappingTest.class.getClassLoader());
        PluginBinding<?> input = null;
        for (PluginBinding<?> b : ServiceLoader.load(PluginBinding.class, loader)) {
            if (b.pluginClass().getName().equals(d.pluginClass())) {
                input = b;
            }
        }
        try (PluginTester tester = PluginTester.of(input, d).start()) {
            List<Event> events = tester.collect(3, java.time.Duration.ofSeconds(5));
            assertEquals(Map.of("sensor", "lab", "value_c", 21.5, "seq", 1L, "ok", true), events.get(0).record());
            assertEquals(22.5, events.get(1).doubleValue("value_c"));
            assertTrue(events.get(1).record().containsKey("ok"));
            assertEquals(null, events.get(1).get("ok"));
            assertEquals(3L, events.get(2).longValue("seq"));
        }
    }
}
