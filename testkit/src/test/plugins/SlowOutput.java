package io.flb4j.testplugins;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.api.Event;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.OutputPlugin;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Waits in its flush, as an output waiting on a database or an HTTP server does; with
 * {@code hang} it ignores interrupts, as a library stuck in a socket read can. At close it logs
 * how many flushes it saw at once. PLUGIN_NAME is set by the test.
 */
@FluentBitOutput(name = "PLUGIN_NAME", description = "waits in its flush", concurrentFlush = true)
public final class SlowOutput implements OutputPlugin {
    @ConfigKey(defaultValue = "0ms") Duration wait;
    @ConfigKey(defaultValue = "false") boolean hang;
    /** How long init waits (a connect slow to answer); interrupted, it throws. */
    @ConfigKey(defaultValue = "0ms") Duration initWait;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger most = new AtomicInteger();
    private final AtomicLong events = new AtomicLong();
    private final AtomicInteger interrupted = new AtomicInteger();
    private FluentBit fbit;

    @Override
    public void init(FluentBit fbit) throws InterruptedException {
        this.fbit = fbit;
        if (!initWait.isZero()) {
            Thread.sleep(initWait.toMillis());
            fbit.logger().info("init done after %s", initWait);
        }
    }

    @Override
    public FlushResult flush(String tag, Events chunk) {
        int now = running.incrementAndGet();
        most.accumulateAndGet(now, Math::max);
        try {
            long until = System.nanoTime() + wait.toNanos();
            for (long left = wait.toNanos(); left > 0; left = until - System.nanoTime()) {
                try {
                    Thread.sleep(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    if (!hang) {
                        return FlushResult.RETRY;
                    }
                }
            }
            long n = 0;
            for (Event e : chunk) {
                n++;
            }
            events.addAndGet(n);
            return FlushResult.OK;
        } finally {
            running.decrementAndGet();
        }
    }

    @Override
    public void close() {
        fbit.logger().info("most flushes at once: %d, events: %d, interrupted: %d", most.get(), events.get(),
                interrupted.get());
    }
}
