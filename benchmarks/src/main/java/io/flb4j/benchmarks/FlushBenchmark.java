package io.flb4j.benchmarks;

import io.flb4j.api.Event;
import io.flb4j.codec.EventEncoder;
import io.flb4j.host.HostApi;
import io.flb4j.host.PluginHost;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * An output's flush path as the host runs it, per event: {@code PluginHost.flush} of a chunk in
 * native memory (a direct buffer, as the JVM engine wraps Fluent Bit's chunk), through the
 * output instance's lock and the chunk decoder into {@link DecodingOutput}, which decodes every
 * record to a {@code Map} (or, with {@code mode record}, to a generated record type). The chunk: {@value #EVENTS} events of the end-to-end harness's
 * 145-byte, 5-field record in Fluent Bit's v2 form.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FlushBenchmark {
    static final int EVENTS = 1000;

    /** {@code map}: every record to a Map; {@code record}: every record to a generated {@code @EventRecord}. */
    @Param({"map", "record"})
    public String mode;

    private PluginHost host;
    private long handle;
    private ByteBuffer chunk;

    @Setup
    public void setUp() throws IOException {
        host = PluginHost.load(new NullHostApi(mode), FlushBenchmark.class.getClassLoader());
        handle = host.initInstance(1);
        if (handle <= 0) {
            throw new IllegalStateException("the benchmark output did not start");
        }
        EventEncoder encoder = new EventEncoder();
        byte[] one = null;
        chunk = ByteBuffer.allocateDirect(EVENTS * 200);
        for (int i = 0; i < EVENTS; i++) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("seq", 1_234_567L + i);
            record.put("source", "dummy.0");
            record.put("level", "info");
            record.put("message", "an event of the output benchmark, about one hundred bytes long in all");
            record.put("bytes", 145L);
            one = encoder.encode(Event.of(Instant.parse("2026-11-25T12:00:00.123456789Z"), record));
            chunk.put(one);
        }
        chunk.flip();
    }

    @TearDown
    public void tearDown() {
        host.exitInstance(handle);
        host.unregister();
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int flush() {
        return host.flush(handle, chunk, "bench");
    }

    /** Fluent Bit as seen by a plugin with no keys set and logs off. */
    private record NullHostApi(String mode) implements HostApi {
        @Override public int submit(long instance, ByteBuffer batch, int offset, int length) { return SUBMIT_NO_PATH; }
        @Override public String property(long instance, String key) { return "mode".equals(key) ? mode : null; }
        @Override public String instanceName(long instance) { return "decoding_out.0"; }
        @Override public boolean logEnabled(long instance, int level) { return false; }
        @Override public void log(long instance, int level, String message) { }
        @Override public long counterCreate(long i, String ns, String s, String n, String h, String[] k) { return 1; }
        @Override public long gaugeCreate(long i, String ns, String s, String n, String h, String[] k) { return 1; }
        @Override public void counterAdd(long counter, double value, String[] labelValues) { }
        @Override public void gaugeSet(long gauge, double value, String[] labelValues) { }
        @Override public void gaugeAdd(long gauge, double value, String[] labelValues) { }
    }
}
