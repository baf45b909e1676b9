package io.flb4j.benchmarks;

import io.flb4j.api.Event;
import io.flb4j.api.Events;
import io.flb4j.codec.ChunkDecoder;
import io.flb4j.codec.EventEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
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
            try {
                packer.writePayload(encoder.buffer(), 0, encoder.encodeInPlace(e));
            } catch (IOException x) {
                throw new java.io.UncheckedIOException(x);
            }
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
    public int encode() throws IOException {
        packer.clear();
        for (Event e : events) {
            int n = encoder.encodeInPlace(e);
            packer.writePayload(encoder.buffer(), 0, n);
        }
        return packer.getBufferSize();
    }

    // --- baselines: msgpack-java's MessageUnpacker on the same chunk ---------------------------

    /** The same walk as {@link #scanLazily} with msgpack-java: time read, metadata and record skipped. */
    @Benchmark
    public long baselineUnpackerScan() throws IOException {
        long sum = 0;
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(chunk.duplicate())) {
            while (in.hasNext()) {
                in.unpackArrayHeader();
                in.unpackArrayHeader();
                sum += eventTime(in);
                in.skipValue();
                in.skipValue();
            }
        }
        return sum;
    }

    /** The same work as {@link #decodeToMaps} with msgpack-java: every record into a Java map. */
    @Benchmark
    public void baselineUnpackerToMaps(Blackhole bh) throws IOException {
        try (MessageUnpacker in = MessagePack.newDefaultUnpacker(chunk.duplicate())) {
            while (in.hasNext()) {
                in.unpackArrayHeader();
                in.unpackArrayHeader();
                bh.consume(eventTime(in));
                bh.consume(value(in));
                bh.consume(value(in));
            }
        }
    }

    private static long eventTime(MessageUnpacker in) throws IOException {
        ExtensionTypeHeader h = in.unpackExtensionTypeHeader();
        byte[] payload = in.readPayload(h.getLength());
        return ((payload[0] & 0xffL) << 24 | (payload[1] & 0xff) << 16 | (payload[2] & 0xff) << 8 | (payload[3] & 0xff))
                + ((payload[4] & 0xffL) << 24 | (payload[5] & 0xff) << 16 | (payload[6] & 0xff) << 8 | (payload[7] & 0xff));
    }

    private static Object value(MessageUnpacker in) throws IOException {
        switch (in.getNextFormat().getValueType()) {
            case MAP -> {
                int n = in.unpackMapHeader();
                Map<String, Object> m = new LinkedHashMap<>(n * 2);
                for (int i = 0; i < n; i++) {
                    m.put(in.unpackString(), value(in));
                }
                return m;
            }
            case ARRAY -> {
                int n = in.unpackArrayHeader();
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(value(in));
                }
                return l;
            }
            case STRING -> {
                return in.unpackString();
            }
            case INTEGER -> {
                return in.unpackLong();
            }
            case FLOAT -> {
                return in.unpackDouble();
            }
            case BOOLEAN -> {
                return in.unpackBoolean();
            }
            case NIL -> {
                in.unpackNil();
                return null;
            }
            default -> {
                return in.unpackValue();
            }
        }
    }
}
