package io.flb4j.testkit;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitInput;
import io.flb4j.api.EventSink;
import io.flb4j.api.InputPlugin;
import java.util.Map;

/**
 * The input of the host tests. A module holds one annotated plugin ({@link TestOutput} in the
 * test sources), so the tests compile this one apart, with the flb4j processor, and load it in
 * a class loader of its own; it reports through {@link InputProbe}, which both loaders share.
 */
@FluentBitInput(name = "test_in")
public final class TestInput implements InputPlugin {
    @ConfigKey(defaultValue = "flood") String mode;
    private final InputProbe probe = InputProbe.created();
    private boolean failed;
    private int inits;
    private volatile EventSink sink;

    {
        // What a library's static initializer or a field's constructor logs, before init.
        io.flb4j.host.LogBridge.logger().log(io.flb4j.api.Logger.Level.DEBUG, "constructed");
    }

    /** In mode init_retry, the first init finds its source away; in init_slow, init takes a second. */
    @Override
    public void init(io.flb4j.api.FluentBit fbit) throws io.flb4j.api.RetryableException, InterruptedException {
        if (mode.equals("init_retry") && ++inits == 1) {
            throw new io.flb4j.api.RetryableException("source away");
        }
        if (mode.equals("init_slow")) {
            Thread.sleep(1_000);
        }
    }

    @Override
    public void collect(EventSink sink) throws Exception {
        this.sink = sink;
        if (mode.equals("fail_once") && !failed) {
            failed = true;
            throw new IllegalStateException("source unavailable");
        }
        if (mode.equals("undeclared")) {
            // LOGS only: metrics and traces are refused, naming the plugin and what to declare.
            for (Runnable r : new Runnable[] {
                    () -> call(() -> sink.emitMetrics(io.flb4j.api.telemetry.MetricSet.builder().build())),
                    () -> call(() -> sink.emitTraces(io.flb4j.api.telemetry.TraceSet.of(Map.of(), null,
                            java.util.List.of(io.flb4j.api.telemetry.Span.builder("s").build()))))}) {
                try {
                    r.run();
                } catch (IllegalStateException e) {
                    probe.refusals.add(e.getMessage());
                }
            }
        }
        int limit = mode.equals("five") || mode.equals("undeclared") || mode.equals("reads_on") || mode.equals("init_retry")
                || mode.equals("init_slow")
                ? 5 : Integer.MAX_VALUE;
        for (int i = 0; i < limit && !sink.cancelled(); i++) {
            sink.emit(Map.of("n", (long) i, "padding", "x".repeat(100)));
            probe.emitted.incrementAndGet();
        }
        while (!sink.cancelled()) {
            if (mode.equals("five")) {
                // What a source answering its client would do: wait for Fluent Bit to take the last event.
                if (sink.awaitHandedOff(5, java.time.Duration.ofMillis(20))) {
                    probe.lastTaken.set(true);
                } else {
                    probe.waitsForTaken.incrementAndGet();
                }
            }
            Thread.sleep(10);
        }
    }

    private interface Emit {
        long run() throws InterruptedException;
    }

    private static void call(Emit e) {
        try {
            e.run();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    /** In mode reads_on, a source that reads on after the instance began stopping (a server's connections still open). */
    @Override
    public void close() throws InterruptedException {
        if (mode.equals("reads_on")) {
            for (int i = 0; i < 3; i++) {
                try {
                    sink.emit(Map.of("late", (long) i));
                } catch (java.util.concurrent.CancellationException e) {
                    probe.refusals.add(e.getMessage());
                }
            }
        }
    }

    @Override
    public void handedOff(long sequence) {
        probe.handedOff.add(sequence);
    }
}
