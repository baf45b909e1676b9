package io.flb4j.reliability;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitInput;
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
 * {@code record_size} bytes a second. At close it logs what it emitted and what Fluent Bit took.
 */
@FluentBitInput(name = "stress_in", description = "Emits as fast as it may, throws, or emits huge records")
public final class StressInput implements InputPlugin {
    enum Mode { BUSY, THROW, BIG, RATE }

    @ConfigKey(defaultValue = "busy", description = "busy, throw, big or rate") Mode mode;
    @ConfigKey(defaultValue = "10000", description = "Events per second in rate mode") int rate;
    @ConfigKey(defaultValue = "10M", description = "Size of the one field of a big record") ByteSize recordSize;
    @MetricCounter(name = "emitted_total", help = "Events emitted") Counter emitted;

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
        log.info("stress_in %s: emitted %d events, Fluent Bit took %d", name, count.get(), taken.get());
        if (mode == Mode.THROW) {
            throw new IllegalStateException("stress_in throws from close, as configured");
        }
    }
}
