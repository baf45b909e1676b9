package io.flb4j.host;

import io.flb4j.api.Config;
import io.flb4j.api.FlushResult;
import io.flb4j.api.Logger;
import io.flb4j.api.MalformedChunkException;
import io.flb4j.api.OutputPlugin;
import io.flb4j.api.RetryableException;
import io.flb4j.codec.RecordMappers;
import io.flb4j.codec.ChunkDecoder;
import io.flb4j.codec.ChunkMemory;
import io.flb4j.codec.SkippedEvents;
import io.flb4j.codec.TelemetryDecoder;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * An output instance. Each flush runs on a thread of the instance's own, so the caller returns at
 * once and Fluent Bit's thread runs on (the shim yields the flush coroutine meanwhile). The chunk
 * is read in place, in Fluent Bit's memory (valid until the flush is answered), through a
 * {@link ChunkMemory} guard: before an answer lets Fluent Bit free the chunk, the reads in progress
 * end, and later ones (a flush still running past its deadline, a plugin that kept its events)
 * throw instead of reading freed memory. At most {@link FlushLimits#maxFlushes()} run at once; the rest
 * wait in the order Fluent Bit started them. A flush not answered within
 * {@link FlushLimits#timeout()} of its start, waiting included, is answered RETRY, its thread
 * interrupted, and its late answer dropped.
 *
 * <p>A chunk goes to the flush method of its kind (logs, metrics or traces), told from its first
 * bytes when the plugin takes more than logs: the proxy ABI does not say which kind a chunk is.
 */
final class OutputInstance extends Instance {
    private final OutputPlugin plugin;
    private final RecordMappers mappers;
    /** The plugin takes logs only: every chunk is a log chunk, nothing to tell apart. */
    private final boolean logsOnly;
    private final FlushLimits limits;
    private final ScheduledExecutorService deadlines;
    private final FlushThreads flushers;
    private final RepeatedFailures failures;

    OutputInstance(int id, long nativeInstance, String pluginName, HostApi api, Config config, ClassLoader loader,
                   OutputPlugin plugin, int eventTypes, FlushLimits limits, ScheduledExecutorService deadlines,
                   RecordMappers mappers) {
        super(id, nativeInstance, pluginName, api, config, loader);
        this.plugin = plugin;
        this.mappers = mappers;
        this.logsOnly = (eventTypes & ~1) == 0;
        this.limits = limits;
        this.deadlines = deadlines;
        this.failures = new RepeatedFailures(logger);
        AtomicInteger threads = new AtomicInteger();
        String threadName = "flb4j-flush-" + pluginName + "#" + id + "-";
        this.flushers = new FlushThreads(limits.maxFlushes(), r -> {
            Thread t = new Thread(r, threadName + threads.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        });
    }

    /**
     * The instance's flush threads: one is started only when a flush arrives and every thread
     * there is busy, up to the instance's limit, and one idle for 30 s ends. An instance whose
     * flushes come one after another keeps one thread, not its limit: each Java thread costs about
     * 0.4 MB of Fluent Bit's RSS (its stack, its JVM structures, its allocator cache). Flushes
     * beyond the limit wait in one queue, taken in order.
     */
    static final class FlushThreads extends ThreadPoolExecutor {
        /** Flushes handed to the pool whose thread is not released yet: queued, or in the plugin's code. */
        private final AtomicInteger outstanding = new AtomicInteger();

        FlushThreads(int max, ThreadFactory factory) {
            super(0, max, 30, TimeUnit.SECONDS, new GrowFirst(), factory, (r, pool) -> {
                if (pool.isShutdown()) {
                    throw new RejectedExecutionException("the instance is closing");
                }
                ((GrowFirst) pool.getQueue()).enqueue(r);   // the pool reached its limit meanwhile: wait in line
            });
            ((GrowFirst) getQueue()).pool = this;
        }

        @Override
        public void execute(Runnable flush) {
            outstanding.incrementAndGet();
            try {
                super.execute(flush);
            } catch (RejectedExecutionException e) {
                outstanding.decrementAndGet();
                throw e;
            }
        }

        /**
         * A flush's thread is free for the next one: called once per flush, when the plugin's code
         * has returned (or never ran) and before the answer, which may bring Fluent Bit's next flush.
         */
        void released() {
            outstanding.decrementAndGet();
        }

        /** Refuses a flush while there are more flushes than threads and room for a thread: the pool then starts one for it. */
        private static final class GrowFirst extends LinkedBlockingQueue<Runnable> {
            private FlushThreads pool;

            @Override
            public boolean offer(Runnable flush) {
                int threads = pool.getPoolSize();
                return threads < pool.getMaximumPoolSize() && pool.outstanding.get() > threads ? false : super.offer(flush);
            }

            void enqueue(Runnable flush) {
                super.offer(flush);
            }
        }
    }

    @Override
    void init() throws Exception {
        plugin.init(this);
    }

    /**
     * Starts a flush of {@code chunk} (read until {@code done} is called, never after) and answers
     * {@code done} exactly once, from another thread, with Fluent Bit's return code.
     */
    void flush(ByteBuffer chunk, String tag, IntConsumer done, Runner runner) {
        PendingFlush f = new PendingFlush(tag, chunk, done);
        f.deadline = deadlines.schedule(f::expire, limits.timeout().toNanos(), TimeUnit.NANOSECONDS);
        try {
            flushers.execute(() -> f.run(runner));
        } catch (RejectedExecutionException e) {
            f.deadline.cancel(false);
            logger.error("flush of tag '%s' arrived after the instance was closed; Fluent Bit will retry it", tag);
            done.accept(FlushResult.RETRY.code());
        }
    }

    /** A flush while init is still being retried: RETRY, said once a minute. */
    int notReady(String tag) {
        failures.report(Logger.Level.WARN, "not ready " + tag, "flush of tag '" + tag + "' answered RETRY: the plugin's "
                + "init has not succeeded yet (it still runs or is tried again)", "flush of tag '" + tag + "' answered RETRY: not ready");
        return FlushResult.RETRY.code();
    }

    /** How the host runs plugin code: with the plugin's class loader and the instance's logger. */
    interface Runner {
        int run(OutputInstance instance, ChunkMemory chunk, String tag) throws Exception;
    }

    /** The plugin's flush of one chunk, with its exceptions turned into Fluent Bit's codes. */
    int flushNow(ChunkMemory chunk, String tag) {
        SkippedEvents skipped = new SkippedEvents();
        try {
            FlushResult result = switch (logsOnly ? TelemetryDecoder.Kind.LOGS : chunk.read(TelemetryDecoder::kindOf)) {
                case LOGS -> flushLogs(chunk, tag, skipped);
                case METRICS -> plugin.flushMetrics(tag, chunk.read(TelemetryDecoder::metrics));
                case TRACES -> plugin.flushTraces(tag, chunk.read(TelemetryDecoder::traces));
            };
            if (result == null) {
                logger.error("flush of tag '%s' returned null; treating it as ERROR (return OK, RETRY or ERROR)", tag);
                return FlushResult.ERROR.code();
            }
            return result.code();
        } catch (RetryableException e) {
            if (skipped.eventOf(e) > 0) {   // an event it cannot take, past the limit: a retry meets it again
                return dropped(chunk, tag, skipped, e);
            }
            judged(chunk, tag, Logger.Level.WARN, "flush of tag '" + tag + "' will be retried", e);
            return FlushResult.RETRY.code();
        } catch (MalformedChunkException e) {
            judged(chunk, tag, Logger.Level.ERROR, "chunk for tag '" + tag + "' is malformed, dropped", e);
            return FlushResult.ERROR.code();
        } catch (OutOfMemoryError | StackOverflowError e) {
            // The plugin's own: its allocation or its recursion. The thread and the JVM carry on.
            judged(chunk, tag, Logger.Level.ERROR, "flush of tag '" + tag + "' failed, will be retried: "
                    + Instance.exhausted(e), e);
            return FlushResult.RETRY.code();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            if (cannotSucceed(e) || skipped.eventOf(e) > 0) {   // the latter: a misfit the plugin wrapped, past the limit
                return dropped(chunk, tag, skipped, e);
            }
            judged(chunk, tag, Logger.Level.WARN, "flush of tag '" + tag + "' failed, will be retried", e);
            return FlushResult.RETRY.code();
        }
    }

    /** A chunk a retry cannot deliver: dropped, with one error line. */
    private int dropped(ChunkMemory chunk, String tag, SkippedEvents skipped, Throwable e) {
        String after = skipped.count() == 0 ? "" : " (after " + skipped.count() + " of its events were skipped)";
        judged(chunk, tag, Logger.Level.ERROR, "flush of tag '" + tag + "' failed and a retry cannot succeed, chunk "
                + "dropped" + after, e);
        return FlushResult.ERROR.code();
    }

    /**
     * A flush's failure, logged once as {@link RepeatedFailures} says; but when the flush was
     * answered RETRY at its deadline already (its chunk closed), what it ended with is dropped, as
     * its answer is: most often the deadline's own interrupt, or a read of the closed chunk. Only
     * at debug, so that the deadline's warning is the one line of such a flush.
     */
    private void judged(ChunkMemory chunk, String tag, Logger.Level level, String what, Throwable e) {
        if (chunk.isClosed()) {
            logger.debug("%s", "flush of tag '" + tag + "' ended after its deadline had answered RETRY; what it ended "
                    + "with is dropped: " + Logger.causes(e));
            return;
        }
        failures.report(level, what, e);
    }

    /** The most events of one chunk a flush is run again without; past it the chunk is dropped as before. */
    static final int MOST_SKIPPED = 16;

    /**
     * The plugin's flush of a chunk of logs. When it throws a misfit that a getter of one of the
     * chunk's events threw ({@code event.string("user")} on a record without {@code user}), that
     * event is left out, with one error line naming it, and the flush runs again on the others (up
     * to {@link #MOST_SKIPPED} events): one bad record costs itself, not the chunk, as with
     * {@code events.as}. The events before it reach the flush a second time, as they would on a
     * retry; a flush that writes its batch at the end wrote nothing the first time.
     */
    private FlushResult flushLogs(ChunkMemory chunk, String tag, SkippedEvents skipped) throws Exception {
        ChunkDecoder.Misfits misfits = (type, event, why) -> misfit(tag, type, event, why);
        while (true) {
            try {
                return plugin.flush(tag, ChunkDecoder.events(chunk, mappers, misfits, skipped));
            } catch (Exception e) {
                int event = skipped.eventOf(e);
                if (event == 0 || skipped.count() >= MOST_SKIPPED || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                skipped.skip(event);
                String what = "flush of tag '" + tag + "' failed on event " + event + " of the chunk, which the flush "
                        + "cannot take; that event is skipped and the flush runs again without it (the events before it "
                        + "reach it a second time)";
                failures.report(Logger.Level.ERROR, "ERROR skipped " + tag + " " + e.getClass().getName(), what, e);
            }
        }
    }

    /**
     * An event {@code events.as(type)} skipped: its record lacks a field the type needs, or holds
     * another type there. Logged as an error naming the event, the type and the field (the first
     * of a kind in a minute; the rest counted), and the flush goes on with the next event: one bad
     * record costs itself, not the chunk's other events.
     */
    private void misfit(String tag, String type, int event, RuntimeException why) {
        String what = "flush of tag '" + tag + "' skipped event " + event + " of the chunk, which does not fit " + type;
        failures.report(Logger.Level.ERROR, "ERROR misfit " + tag + " " + type + " " + why.getClass().getName(), what, why);
    }

    /**
     * Whether a flush that threw {@code e} would throw it again on the same chunk: a record that
     * lacks a field the plugin reads as required, or holds another type there, or a kind of chunk
     * the plugin does not take, or an event the destination refused that flb4j could not leave out
     * (one of another flush, or past the limit). Any other exception (a database or endpoint away, a library's
     * failure, a bug the next generation may fix) is answered RETRY: Fluent Bit then retries the
     * chunk as its {@code Retry_Limit} says, and drops it with its own message after the last try.
     */
    static boolean cannotSucceed(Throwable e) {
        return ChunkDecoder.misfit(e) || e instanceof UnsupportedOperationException
                || e instanceof io.flb4j.api.RejectedEventException;
    }

    /**
     * Stops taking flushes, answers RETRY for those not started, and waits for the running ones
     * until their deadlines (they are interrupted there), so the plugin is closed with no flush
     * of its own still running when that can be had.
     */
    @Override
    void stop() throws Exception {
        flushers.shutdown();
        for (Runnable queued : flushers.getQueue().toArray(new Runnable[0])) {
            if (flushers.remove(queued)) {
                queued.run();   // a PendingFlush that sees the instance closing: answers RETRY
            }
        }
        if (!flushers.awaitTermination(limits.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
            logger.warn("closing with a flush still running after %s (%s); it was interrupted",
                    limits.timeout(), FlushLimits.TIMEOUT_KEY);
        }
    }

    @Override
    void closePlugin() throws Exception {
        plugin.close();
    }

    /** One flush: answered once, by whichever comes first of its end and its deadline. */
    private final class PendingFlush {
        final String tag;
        /** Fluent Bit's memory, read in place while the flush is not answered. */
        private final ChunkMemory chunk;
        private final IntConsumer done;
        private final long started = System.nanoTime();
        ScheduledFuture<?> deadline;
        private boolean answered;
        private Thread runner;

        PendingFlush(String tag, ByteBuffer chunk, IntConsumer done) {
            this.tag = tag;
            this.chunk = ChunkMemory.borrowed(chunk);
            this.done = done;
        }

        void run(Runner how) {
            synchronized (this) {
                if (answered || flushers.isShutdown()) {
                    flushers.released();
                    if (!answered) {
                        answer(FlushResult.RETRY.code());
                    }
                    return;
                }
                runner = Thread.currentThread();
                chunk.ownedBy(runner);
            }
            int code;
            try {
                code = how.run(OutputInstance.this, chunk, tag);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                judged(chunk, tag, Logger.Level.WARN, "flush of tag '" + tag + "' failed, will be retried", e);
                code = FlushResult.RETRY.code();
            } finally {
                synchronized (this) {
                    runner = null;
                    Thread.interrupted();   // an interrupt meant for this flush stays with it
                }
            }
            deadline.cancel(false);
            flushers.released();
            synchronized (this) {
                if (!answered) {
                    answer(code);
                }
            }
        }

        /** The deadline: RETRY now; the plugin's thread is interrupted and its answer dropped. */
        synchronized void expire() {
            if (answered) {
                return;
            }
            answer(FlushResult.RETRY.code());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            String what = "flush of tag '" + tag + "' did not finish within " + limits.timeout() + " ("
                    + FlushLimits.TIMEOUT_KEY + "); answered RETRY";
            String line = what + " after " + ms + " ms" + (runner == null ? " before it started" : "");
            failures.report(Logger.Level.WARN, "deadline " + what, line, line);
            if (runner != null) {
                runner.interrupt();
            }
        }

        /** Under the lock. After it Fluent Bit may free the chunk: nothing reads it any more, later reads throw. */
        private void answer(int code) {
            answered = true;
            chunk.close();
            done.accept(code);
        }
    }
}
