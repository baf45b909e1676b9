package io.flb4j.benchmarks;

import io.flb4j.api.Event;
import io.flb4j.api.Events;
import io.flb4j.codec.ChunkDecoder;
import io.flb4j.codec.EventEncoder;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The codec on a realistic chunk: 1,000 v2 events of about 150 bytes with 5 fields, in a
 * direct buffer as Fluent Bit hands it over. Scores are per event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(CodecBenchmark.EVENTS)
public class CodecBenchmark {
    static final int EVENTS = 1000;

    private ByteBuffer chunk;
    private List<Event> events;
    private final EventEncoder encoder = new EventEncoder();
    private final MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();

    @Setup
    public void setUp() {
        events = new ArrayList<>();
        Instant t = Instant.parse("2026-11-24T22:00:00.123456789Z");
        String[] levels = {"info", "warn", "error", "debug"};
        for (int i = 0; i < EVENTS; i++) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("message", "GET /api/v1/orders/" + (100000 + i) + " completed with status 200 for client 10.0.0." + (i % 250));
            record.put("level", levels[i % levels.length]);
            record.put("host", "web-" + (i % 16) + ".eu-west-1");
            record.put("pid", 4000L + i % 64);
            record.put("latency_ms", 12.5 + i % 100);
            events.add(Event.of(t.plusNanos(i), record));
        }
        packer.clear();
        for (Event e : events) {
            encoder.write(e, packer);
        }
        byte[] bytes = packer.toByteArray();
        chunk = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        System.out.printf("%nchunk: %d events, %d bytes, %.1f bytes/event%n", EVENTS, bytes.length, bytes.length / (double) EVENTS);
    }

    /** Walks every event reading only its time: what routing or counting costs. */
    @Benchmark
    public long scanLazily() {
        long sum = 0;
        for (Event e : ChunkDecoder.events(chunk)) {
            sum += e.epochSecond() + e.nano();
        }
        return sum;
    }

    /** Counts events without creating them. */
    @Benchmark
    public int count() {
        return ChunkDecoder.events(chunk).count();
    }

    /** Decodes every record into a Java map. */
    @Benchmark
    public void decodeToMaps(Blackhole bh) {
        Events all = ChunkDecoder.events(chunk);
        for (Event e : all) {
            bh.consume(e.record());
        }
    }

    /** Encodes 1,000 events into one reused buffer, as an input's collect does. */
    @Benchmark
    public int encode() {
        packer.clear();
        for (Event e : events) {
            encoder.write(e, packer);
        }
        return packer.getBufferSize();
    }
}
