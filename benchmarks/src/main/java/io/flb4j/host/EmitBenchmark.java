package io.flb4j.host;

import io.flb4j.api.Event;
import io.flb4j.codec.EventEncoder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * An input's emit path on one thread, as {@code EventSink.emit} runs it: encode a 5-field record,
 * copy it into the open off-heap batch; a full batch is handed over at once (as if Fluent Bit
 * took it immediately). The caller's map is built once, so the allocation is emit's own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EmitBenchmark {
    private final EventEncoder encoder = new EventEncoder();
    private BatchQueue queue;
    private Event event;

    @Setup
    public void setUp() {
        queue = new BatchQueue(64L << 20, 4 << 20);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("message", "GET /api/v1/orders/100042 completed with status 200 for client 10.0.0.7");
        record.put("level", "info");
        record.put("host", "web-3.eu-west-1");
        record.put("pid", 4042L);
        record.put("latency_ms", 12.5);
        event = Event.of(Instant.parse("2026-11-24T22:00:00.123456789Z"), record);
    }

    /** What InputInstance.emit does: this thread's buffer from a ThreadLocal, an encoder over it, the buffer kept. */
    private final ThreadLocal<byte[][]> buffers = ThreadLocal.withInitial(() -> new byte[][] {new byte[4096]});

    @Benchmark
    public long emit() throws InterruptedException {
        int length = encoder.encodeInPlace(event);
        return put(encoder.buffer(), length);
    }

    /** As InputInstance's emit: an encoder per event over the thread's kept buffer (no encoder in the ThreadLocal). */
    @Benchmark
    public long emitThroughThreadBuffer() throws InterruptedException {
        byte[][] slot = buffers.get();
        EventEncoder e = new EventEncoder(slot[0]);
        int length = e.encodeInPlace(event);
        slot[0] = e.buffer();
        return put(slot[0], length);
    }

    private long put(byte[] bytes, int length) throws InterruptedException {
        long seq = queue.put(bytes, length, 0);
        if (seq == 0) {   // both batches full: Fluent Bit takes them
            BatchQueue.Batch b;
            while ((b = queue.nextNow()) != null) {
                queue.taken(b);
            }
            seq = queue.put(bytes, length, 0);
        }
        return seq;
    }
}
