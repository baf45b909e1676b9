package io.flb4j.host;

import io.flb4j.api.Config;
import io.flb4j.api.Event;
import io.flb4j.api.EventSink;
import io.flb4j.api.InputPlugin;
import io.flb4j.codec.RecordMapper;
import io.flb4j.codec.RecordMappers;
import io.flb4j.api.telemetry.MetricSet;
import io.flb4j.api.telemetry.TraceSet;
import io.flb4j.codec.EventEncoder;
import io.flb4j.codec.TelemetryEncoder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An input instance: its collect loop on a thread of its own emitting into a {@link BatchQueue},
 * and a hand-off thread that gives each batch to Fluent Bit as soon as it is ready
 * ({@link HostApi#submit}). Where the host has no such path, Fluent Bit's 1-second collect
 * callback drains the queue instead ({@link #collect()}).
 */
final class InputInstance extends Instance implements EventSink {
    static final long STOP_WAIT_MILLIS = 5_000;
    private static final long FIRST_RESTART_DELAY_MILLIS = 1_000;
    private static final long MAX_RESTART_DELAY_MILLIS = 30_000;
    private static final long REFUSED_RETRY_MILLIS = 100;
    /**
     * A threaded input reaches Fluent Bit's engine through a ring buffer of 1024 entries, one per
     * append, and the engine wakes when 5 % of it is used, or else every 250 ms (src/flb_engine.c,
     * INPUT-PATH.md). A batch sealed by its linger is therefore appended in this many pieces, so
     * that it wakes the engine at once instead of waiting up to 250 ms. (The shim also wakes the
     * engine through the ring's signal pipe while batches are in the ring, where it recognises
     * the ring; the pieces still serve where it does not.)
     */
    static final int APPENDS_TO_WAKE_THE_ENGINE = 52;
    /** How often the hand-off asks whether the engine has put appended batches into chunks, while some are not. */
    static final long SETTLE_NANOS = 2_000_000;
    /** How long a stopping hand-off waits for the engine to put its last appended batches into chunks. */
    static final long FINAL_SETTLE_NANOS = 50_000_000;

    private enum Path { UNKNOWN, EVENTS, COLLECT }

    private final InputPlugin plugin;
    private final BatchQueue queue;
    private final boolean emitsMetrics;
    private final boolean emitsTraces;
    private final HostApi api;
    private final long lingerNanos;
    /**
     * Each emitting thread's encoding buffer, kept between calls. A JDK array, never an encoder:
     * the value of a ThreadLocal stays on its thread, and an encoder (the generation's class)
     * would keep the generation in memory from every thread that emitted and outlives it (a
     * pool the JDK made, the executor of a receiver on the JDK's HttpServer on JDK 21+).
     */
    private final ThreadLocal<byte[][]> buffers = ThreadLocal.withInitial(() -> new byte[][] {new byte[4096]});
    private volatile Path path = Path.UNKNOWN;
    /** The batch the last collect handed out, until Fluent Bit's cleanup says it took it. */
    private BatchQueue.Batch collected;
    private Thread collector;
    private Thread handOff;
    private long acknowledged;
    /**
     * The hand-off's appended batches (and pieces) that Fluent Bit's engine has not yet put into
     * a chunk: {ticket, last sequence}, oldest first. Tickets count the appends from 1, as the
     * host's {@link HostApi#inChunks} does.
     */
    private final ArrayDeque<long[]> appended = new ArrayDeque<>();
    private long tickets;

    private final RecordMappers mappers;

    InputInstance(int id, long nativeInstance, String pluginName, HostApi api, Config config, ClassLoader loader,
                  InputPlugin plugin, InputLimits limits,
                  RecordMappers mappers, int eventTypes) {
        super(id, nativeInstance, pluginName, api, config, loader);
        this.emitsMetrics = (eventTypes & 2) != 0;
        this.emitsTraces = (eventTypes & 4) != 0;
        this.mappers = mappers;
        this.plugin = plugin;
        this.api = api;
        this.queue = new BatchQueue(limits.bufferBytes(), limits.batchBytes());
        this.lingerNanos = limits.linger().toNanos();
    }

    @Override
    void init() throws Exception {
        plugin.init(this);
    }

    /** Starts the collect loop and the hand-off once; at pre-run or, should that never come, the first collect. */
    synchronized void start() {
        if (collector != null || queue.cancelled() || !ready) {
            return;
        }
        collector = thread(this::collectLoop, "collect");
        handOff = thread(this::handOffLoop, "hand-off");
    }

    private Thread thread(Runnable body, String role) {
        Runnable withLogger = () -> {
            try {
                LogBridge.with(logger, () -> {
                    body.run();
                    return null;
                });
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Thread t = new Thread(withLogger, "flb4j-" + pluginName + "-" + role + "-" + id);
        t.setDaemon(true);
        t.setContextClassLoader(loader);
        t.start();
        return t;
    }

    private void collectLoop() {
        long delay = FIRST_RESTART_DELAY_MILLIS;
        while (!queue.cancelled()) {
            try {
                plugin.collect(this);
                if (!queue.cancelled()) {
                    logger.info("collect returned; this instance emits no more events");
                }
                return;
            } catch (InterruptedException | CancellationException e) {
                if (queue.cancelled()) {
                    return;
                }
                logger.error("collect was interrupted; restarting in %d ms", delay);
            } catch (OutOfMemoryError | StackOverflowError e) {
                logger.error("collect failed; restarting in " + delay + " ms: " + exhausted(e), e);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                if (queue.cancelled()) {
                    return;
                }
                logger.error("collect failed; restarting in " + delay + " ms", e);
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return;
            }
            delay = Math.min(delay * 2, MAX_RESTART_DELAY_MILLIS);
        }
    }

    /**
     * Gives each batch to Fluent Bit as soon as it is ready, and waits until it is appended; its
     * events are handed off once Fluent Bit's engine has put them into a chunk ({@link #settle}).
     */
    private void handOffLoop() {
        try {
            handOffBatches();
        } catch (InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            logger.error("handing batches to Fluent Bit failed; the 1-second collect takes over", e);
            path = Path.COLLECT;
        }
        // However the loop ended (the stop, also for a submit that a paused collector held until
        // the stop came; or no event path): what the engine has put into chunks by now is handed
        // off, the rest is not. Before, a submit ended by the stop skipped this.
        // The plugin's handedOff may write a file: not with the stop's interrupt pending.
        // The engine, woken by the shim, usually drains the ring within a millisecond or two:
        // waiting that long spares an at-least-once source from sending those events again.
        boolean interrupted = Thread.interrupted();
        long until = System.nanoTime() + FINAL_SETTLE_NANOS;
        settle();
        while (!appended.isEmpty() && System.nanoTime() < until) {
            LockSupport.parkNanos(SETTLE_NANOS);
            settle();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The hand-off until the queue ends, a submit is refused for the stop, or the event path is not there. */
    private void handOffBatches() throws InterruptedException {
        BatchQueue.Batch batch;
        while ((batch = queue.next(lingerNanos, appended.isEmpty() ? -1 : SETTLE_NANOS)) != null) {
            settle();
            if (batch == BatchQueue.NONE) {
                continue;
            }
            int pieces = batch.lingered() ? Math.min(batch.events(), APPENDS_TO_WAKE_THE_ENGINE) : 1;
            int done = 0;
            while (done < pieces) {
                int from = done * batch.events() / pieces;
                int to = (done + 1) * batch.events() / pieces;
                int start = pieces == 1 ? 0 : batch.slot().start(from);
                int end = pieces == 1 ? batch.bytes() : batch.slot().start(to);
                int rc = api.submit(nativeInstance, batch.buffer(), start, end - start);
                if (rc == HostApi.SUBMIT_TAKEN) {
                    path = Path.EVENTS;
                    done++;
                    appended.add(new long[] {++tickets, batch.firstSequence() + to - 1});
                } else if (rc == HostApi.SUBMIT_REFUSED) {
                    logger.error("Fluent Bit did not append %d events; trying again in %d ms", to - from,
                            REFUSED_RETRY_MILLIS);
                    Thread.sleep(REFUSED_RETRY_MILLIS);
                } else if (done == 0) {
                    queue.putBack(batch);
                    if (rc == HostApi.SUBMIT_NO_PATH) {
                        path = Path.COLLECT;   // Fluent Bit's collect callback drains the queue from now on
                    }
                    return;
                } else {
                    return;   // stopping in the middle of a batch: what was taken is counted, the rest is not
                }
            }
            queue.recycle(batch);
            settle();
        }
    }

    /** Hands off the events of every appended batch Fluent Bit's engine has put into a chunk. */
    private void settle() {
        if (appended.isEmpty()) {
            return;
        }
        long inChunks = api.inChunks(nativeInstance);
        long upTo = -1;
        while (!appended.isEmpty() && (inChunks < 0 || appended.peekFirst()[0] <= inChunks)) {
            upTo = appended.pollFirst()[1];
        }
        if (upTo >= 0) {
            queue.takenUpTo(upTo);
            acknowledge(upTo);
        }
    }

    @Override
    public long emit(Event event) throws InterruptedException {
        return put(event, -1);
    }

    @Override
    public <R extends Record> long emit(R record) throws InterruptedException {
        @SuppressWarnings("unchecked")
        RecordMapper<R> mapper = mappers.of((Class<R>) record.getClass());
        Instant now = Instant.now();
        byte[][] slot = openSlot();
        EventEncoder encoder = new EventEncoder(slot[0]);
        int length = encoder.encodeInPlace(now.getEpochSecond(), now.getNano(), mapper, record);
        return queue.put(slot[0] = encoder.buffer(), length, -1);   // kept: it may have grown
    }

    @Override
    public long emit(Event event, Duration timeout) throws InterruptedException {
        return put(event, Math.max(0, timeout.toNanos()));
    }

    /**
     * Emits made after the instance began stopping: refused, each with a CancellationException. One
     * that was waiting for room then is not counted: it is a source told to stop, as it should be.
     */
    private final AtomicLong refused = new AtomicLong();

    private long put(Event event, long timeoutNanos) throws InterruptedException {
        byte[][] slot = openSlot();
        EventEncoder encoder = new EventEncoder(slot[0]);
        int length = encoder.encodeInPlace(event);
        return queue.put(slot[0] = encoder.buffer(), length, timeoutNanos);   // kept: it may have grown
    }

    /** This thread's buffer slot, once it is known that the input still takes events. */
    private byte[][] openSlot() {
        requireRunning();
        return buffers.get();
    }

    @Override
    public long emitMetrics(MetricSet metrics) throws InterruptedException {
        requireDeclared(emitsMetrics, "metrics", "METRICS");
        return putContext(TelemetryEncoder.metrics(metrics));
    }

    @Override
    public long emitTraces(TraceSet traces) throws InterruptedException {
        requireDeclared(emitsTraces, "traces", "TRACES");
        return putContext(TelemetryEncoder.traces(traces));
    }

    private void requireDeclared(boolean declared, String what, String eventType) {
        if (!declared) {
            throw new IllegalStateException("plugin '" + pluginName + "' emits " + what + " but does not declare them: "
                    + "@FluentBitInput(events = {EventType.LOGS, EventType." + eventType + "})");
        }
    }

    /** A cmetrics or ctraces context: a batch of its own, which the shim tells from a log batch by its first bytes. */
    private long putContext(byte[] context) throws InterruptedException {
        requireRunning();
        return queue.put(context, context.length, -1, true);
    }

    private void requireRunning() {
        if (queue.cancelled()) {
            refused.incrementAndGet();
            throw new CancellationException(BatchQueue.STOPPING);
        }
    }

    @Override
    public boolean paused() {
        return queue.paused();
    }

    @Override
    public boolean awaitHandedOff(long sequence, Duration timeout) throws InterruptedException {
        return queue.awaitTaken(sequence, timeout.toNanos());
    }

    @Override
    public boolean cancelled() {
        return queue.cancelled();
    }

    /**
     * Fluent Bit's 1-second collect, when batches do not go by the event path: the next batch,
     * read in place (a view of its direct buffer) until {@link #handedOff}, or null. A batch handed
     * out that Fluent Bit never took (no cleanup came) is still the plugin's: it goes back to the
     * head of the line here, and no one is told it was taken.
     */
    ByteBuffer collect() {
        start();
        if (path != Path.COLLECT) {
            return null;
        }
        synchronized (this) {
            if (collected != null) {
                queue.putBack(collected);
                collected = null;
            }
        }
        BatchQueue.Batch batch = queue.nextNow();
        if (batch == null) {
            return null;
        }
        synchronized (this) {
            collected = batch;
        }
        return batch.buffer().duplicate().flip().slice();
    }

    void pause(boolean pause) {
        queue.pause(pause);
    }

    /** Fluent Bit appended what the last collect handed out: its events are taken now, and the plugin told. */
    void handedOff() throws Exception {
        BatchQueue.Batch batch;
        synchronized (this) {
            batch = collected;
            collected = null;
        }
        if (batch != null) {
            queue.taken(batch);
            acknowledge(batch.lastSequence());
        }
    }

    private void acknowledge(long upTo) {
        synchronized (this) {
            if (upTo <= acknowledged) {
                return;
            }
            acknowledged = upTo;
        }
        try {
            plugin.handedOff(upTo);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            logger.error("handedOff failed", e);
        }
    }

    @Override
    void stop() throws InterruptedException {
        queue.cancel();
        Thread c;
        Thread h;
        synchronized (this) {
            c = collector;
            h = handOff;
        }
        for (Thread t : new Thread[] {c, h}) {
            if (t != null) {
                t.interrupt();
                t.join(STOP_WAIT_MILLIS);
                if (t.isAlive()) {
                    logger.warn("%s did not stop within %d ms of being cancelled; leaving its thread behind", t.getName(),
                            STOP_WAIT_MILLIS);
                }
            }
        }
        long left = queue.notTaken();
        if (left > 0) {
            logger.warn("stopping with %d event(s) not taken by Fluent Bit; waiting sources were told", left);
        }
    }

    @Override
    void closePlugin() throws Exception {
        plugin.close();
    }

    @Override
    void closed() {
        long late = refused.get();
        if (late > 0) {
            logger.warn("refused %d event(s) emitted after the instance began stopping (emit threw "
                    + "CancellationException); a source that reads on after that loses what it reads: stop reading "
                    + "(close the connection, leave the offset) once emit throws or sink.cancelled() is true", late);
        }
    }
}
