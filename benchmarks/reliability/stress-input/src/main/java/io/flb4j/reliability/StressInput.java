package io.flb4j.reliability;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.EventType;
import io.flb4j.annotations.FluentBitInput;
import io.flb4j.api.telemetry.MetricSet;
import io.flb4j.annotations.MetricCounter;
import io.flb4j.api.ByteSize;
import io.flb4j.api.Counter;
import io.flb4j.api.EventSink;
import io.flb4j.api.FluentBit;
import io.flb4j.api.InputPlugin;
import io.flb4j.api.Logger;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An input that stresses Fluent Bit: {@code busy} emits a 5-field record as fast as it may,
 * {@code throw} throws from every callback it has, {@code big} emits one record of
 * {@code record_size} bytes a second, {@code metrics} emits {@code rate} metric sets of 100 samples
 * a second (5 counters and 5 gauges of 10 series each). At close it logs what it emitted and what
 * Fluent Bit took.
 */
@FluentBitInput(name = "stress_in", description = "Emits as fast as it may, throws, or emits huge records",
        events = {EventType.LOGS, EventType.METRICS})
public final class StressInput implements InputPlugin {
    enum Mode { BUSY, THROW, BIG, RATE, METRICS }

    @ConfigKey(defaultValue = "busy", description = "busy, throw, big, rate or metrics") Mode mode;
    @ConfigKey(defaultValue = "10000", description = "Events per second in rate mode, sets per second in metrics mode") int rate;
    @ConfigKey(defaultValue = "10M", description = "Size of the one field of a big record") ByteSize recordSize;
    @MetricCounter(name = "emitted_total", help = "Events emitted") Counter emitted;

    private static final String[] SERIES = {"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"};
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong taken = new AtomicLong();
    private Logger log;
    private String name;

    @Override
    public void init(FluentBit fbit) {
        log = fbit.logger();
        name = fbit.instanceName();
        log.info("mode %s", mode);
    }

    @Override
    public void collect(EventSink sink) throws InterruptedException {
        switch (mode) {
            case THROW -> throw new IllegalStateException("stress_in throws from collect, as configured");
            case BIG -> {
                String payload = "x".repeat((int) recordSize.bytes());
                while (!sink.cancelled()) {
                    sink.emit(Map.of("seq", count.get() + 1, "payload", payload));
                    count.incrementAndGet();
                    emitted.inc();
                    Thread.sleep(1000);
                }
            }
            case METRICS -> {
                long interval = 1_000_000_000L / Math.max(1, rate);
                long next = System.nanoTime();
                while (!sink.cancelled()) {
                    long n = count.incrementAndGet();
                    MetricSet.Builder b = MetricSet.builder();
                    for (int family = 0; family < 5; family++) {
                        for (int series = 0; series < 10; series++) {
                            Map<String, String> labels = Map.of("series", SERIES[series]);
                            b.counter("stress_requests_" + family + "_total", "Requests", labels, n + series);
                            b.gauge("stress_queue_" + family + "_depth", "Queued", labels, series * 0.5);
                        }
                    }
                    sink.emitMetrics(b.build());
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
            }
            case RATE -> {
                long interval = 1_000_000_000L / Math.max(1, rate);
                long next = System.nanoTime();
                while (!sink.cancelled()) {
                    sink.emit(Map.of("seq", count.incrementAndGet(), "source", name, "level", "info",
                            "message", "stress event", "bytes", 145));
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
            }
            default -> {
                while (!sink.cancelled()) {
                    long n = count.incrementAndGet();
                    sink.emit(Map.of("seq", n, "source", name, "level", "info", "message", "stress event",
                            "bytes", 145));
                    if ((n & 1023) == 0) {
                        emitted.add(1024);
                    }
                }
            }
        }
    }

    @Override
    public void handedOff(long sequence) {
        if (mode == Mode.THROW) {
            throw new IllegalStateException("stress_in throws from handedOff, as configured");
        }
        taken.accumulateAndGet(sequence, Math::max);
    }

    @Override
    public void close() {
        log.info("stress_in %s: emitted %d %s, Fluent Bit took %d", name, count.get(),
                mode == Mode.METRICS ? "metric sets of 100 samples" : "events", taken.get());
        if (mode == Mode.THROW) {
            throw new IllegalStateException("stress_in throws from close, as configured");
        }
    }
}
