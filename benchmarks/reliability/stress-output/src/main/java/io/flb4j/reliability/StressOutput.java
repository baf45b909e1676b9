package io.flb4j.reliability;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.annotations.MetricCounter;
import io.flb4j.api.Counter;
import io.flb4j.api.Event;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.Logger;
import io.flb4j.api.OutputPlugin;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An output that counts what it receives ({@code count}: events, chunks, the largest record's
 * payload) or throws from every callback ({@code throw}). With {@code wait} each flush first
 * waits that long, as an output waiting on a database or an HTTP server does (an interrupt ends
 * the wait and answers RETRY). At close it logs its counts.
 */
@FluentBitOutput(name = "stress_out", description = "Counts events, or throws from every callback",
        concurrentFlush = true)
public final class StressOutput implements OutputPlugin {
    enum Mode { COUNT, THROW, LATENCY }

    @ConfigKey(defaultValue = "count", description = "count, throw or latency") Mode mode;
    @ConfigKey(defaultValue = "0ms", description = "How long each flush waits before it counts") Duration wait;
    @MetricCounter(name = "received_total", help = "Events received") Counter received;

    private final AtomicLong events = new AtomicLong();
    private final AtomicLong chunks = new AtomicLong();
    private final AtomicLong largest = new AtomicLong();
    /** Latency mode: milliseconds from each event's time to its flush, counted per millisecond up to 10 s. */
    private final long[] latencyMillis = new long[10_001];
    private Logger log;
    private String name;

    @Override
    public void init(FluentBit fbit) {
        log = fbit.logger();
        name = fbit.instanceName();
    }

    @Override
    public FlushResult flush(String tag, Events batch) {
        if (mode == Mode.THROW) {
            throw new IllegalStateException("stress_out throws from flush, as configured");
        }
        if (!wait.isZero()) {
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                return FlushResult.RETRY;
            }
        }
        long n = 0;
        long now = System.currentTimeMillis();
        for (Event e : batch) {
            n++;
            if (mode == Mode.LATENCY) {
                long ms = Math.max(0, Math.min(10_000, now - e.time().toEpochMilli()));
                synchronized (latencyMillis) {
                    latencyMillis[(int) ms]++;
                }
                continue;
            }
            if (e.record().get("payload") instanceof String payload) {
                largest.accumulateAndGet(payload.length(), Math::max);
            }
        }
        events.addAndGet(n);
        chunks.incrementAndGet();
        received.add(n);
        return FlushResult.OK;
    }

    private long percentile(double p, long total) {
        long seen = 0;
        for (int ms = 0; ms < latencyMillis.length; ms++) {
            seen += latencyMillis[ms];
            if (seen >= p * total) {
                return ms;
            }
        }
        return latencyMillis.length - 1;
    }

    @Override
    public void close() {
        if (mode == Mode.LATENCY && events.get() > 0) {
            synchronized (latencyMillis) {
                log.info("stress_out %s: latency p50 %d ms, p99 %d ms over %d events", name,
                        percentile(0.5, events.get()), percentile(0.99, events.get()), events.get());
            }
        }
        log.info("stress_out %s: received %d events in %d chunks, largest payload %d bytes", name, events.get(),
                chunks.get(), largest.get());
        if (mode == Mode.THROW) {
            throw new IllegalStateException("stress_out throws from close, as configured");
        }
    }
}
