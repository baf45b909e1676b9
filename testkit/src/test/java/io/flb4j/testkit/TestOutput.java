package io.flb4j.testkit;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.annotations.MetricCounter;
import io.flb4j.api.Counter;
import io.flb4j.api.Event;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.OutputPlugin;
import io.flb4j.api.RetryableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** An output whose behaviour the tests choose through its configuration. */
@FluentBitOutput(name = "test_out")
public final class TestOutput implements OutputPlugin {
    enum Mode { OK, RETRY, ERROR, NULL, THROW, THROW_RETRYABLE, THROW_LONG, BLOCK, READ_FIELD, WRAP_FIELD, WRAP_RETRYABLE, REJECT, REJECT_COPY, HUGE, RECURSE }

    /** What a JDBC driver says when a batch fails: the statement with the record's values. */
    static final String LONG_MESSAGE = "Batch entry 0 INSERT INTO logs VALUES ('" + "secret-value ".repeat(40) + "') was aborted";

    @ConfigKey(defaultValue = "ok") Mode mode;
    @ConfigKey(defaultValue = "1") int httpPort;
    @ConfigKey boolean failInit;
    @ConfigKey boolean leakThread;
    /** Starts a thread that waits for work until interrupted, as a library's worker does, and never stops it. */
    @ConfigKey boolean libraryThread;
    /** The system property that ends the threads leak_thread started. */
    static final String RELEASE_LEAKS = "flb4j.test.release-leaks";
    /** What close() waits for: none; sleep (a minute, until interrupted); stubborn (ignores interrupts until RELEASE_CLOSE). */
    @ConfigKey(defaultValue = "none") String closeWaits;
    static final String RELEASE_CLOSE = "flb4j.test.release-close";
    static final AtomicInteger closesStarted = new AtomicInteger();
    static final AtomicInteger closesInterrupted = new AtomicInteger();
    /** How many inits throw RetryableException before one succeeds (a database away at start). */
    @ConfigKey int initFailures;
    /**
     * What those inits throw: retryable (RetryableException); connect (a pool's own exception
     * caused by a refused connection); sql_08001 or sql_28P01 (a driver's SQLException of that
     * SQLState: no connection; wrong password); no_driver (DriverManager's "No suitable driver",
     * 08001 too); cycle (an exception whose causes loop back to it).
     */
    @ConfigKey(defaultValue = "retryable") String initFailsWith;
    static final AtomicInteger inits = new AtomicInteger();
    /** What an init tried again (after init_failures) waits for before it throws: as close_waits. */
    @ConfigKey(defaultValue = "none") String retryWaits;
    /** How long the first init waits before it goes on (a connect to a host slow to answer). */
    @ConfigKey(defaultValue = "0s") java.time.Duration initTakes;
    /** A JNI library init loads from its path, as a plugin with native code of its own does. */
    @ConfigKey(defaultValue = "") String jniLibrary;
    /** The system property init counts JNI loads in (each generation has its own copy of this class). */
    static final String JNI_LOADS = "flb4j.test.jni-loads";
    static final AtomicInteger initsInterrupted = new AtomicInteger();
    private int initsOfThis;
    static final AtomicInteger retriesInterrupted = new AtomicInteger();
    @MetricCounter(name = "seen_total", help = "Events seen", labels = "tag") Counter seen;

    /** How long the constructor waits (a connect in a field initializer, to a host that does not answer). */
    static volatile java.time.Duration constructorWaits = java.time.Duration.ZERO;
    static final AtomicInteger constructorsInterrupted = new AtomicInteger();

    /** Whether the constructor throws as a pool made in a field initializer does when the database is away. */
    static volatile boolean constructorCannotConnect;

    /** What a pool throws when made while its database refuses connections: its own exception around the connect's. */
    private static IllegalStateException poolCouldNotStart() {
        return new IllegalStateException("pool could not start", new java.net.ConnectException("Connection refused"));
    }

    {
        if (constructorCannotConnect) {
            throw poolCouldNotStart();
        }
        if (!constructorWaits.isZero()) {
            try {
                Thread.sleep(constructorWaits.toMillis());
            } catch (InterruptedException e) {
                constructorsInterrupted.incrementAndGet();
                Thread.currentThread().interrupt();
            }
        }
    }

    final List<Map<String, Object>> records = new ArrayList<>();
    /** The users mode=read_field wrote: a flush's whole batch, once it has read every event. */
    final List<String> users = new ArrayList<>();
    static final List<String> tags = java.util.Collections.synchronizedList(new ArrayList<>());
    static final AtomicInteger interrupted = new AtomicInteger();
    /** What reading its events again gave a flush interrupted at its deadline. */
    static final java.util.concurrent.atomic.AtomicReference<Throwable> lateRead =
            new java.util.concurrent.atomic.AtomicReference<>();
    static final AtomicInteger inside = new AtomicInteger();
    static final java.util.Set<String> flushThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    static final AtomicInteger maxInside = new AtomicInteger();
    static volatile CountDownLatch release = new CountDownLatch(0);
    static volatile TestOutput last;
    static volatile Thread initThread;
    static volatile io.flb4j.api.Config lastConfig;

    /** A driver's own SQLException, as PSQLException is. */
    static final class DriverException extends java.sql.SQLException {
        DriverException(String message, String state) {
            super(message, state);
        }
    }

    @Override
    public void init(FluentBit fbit) throws RetryableException, InterruptedException, java.sql.SQLException {
        int attempt = inits.incrementAndGet();
        boolean retried = ++initsOfThis > 1;
        if (attempt == 1 && !initTakes.isZero()) {
            try {
                Thread.sleep(initTakes.toMillis());
            } catch (InterruptedException e) {
                initsInterrupted.incrementAndGet();
                throw e;
            }
        }
        if (attempt <= initFailures) {
            if (retried) {
                waitAsAsked(retryWaits, retriesInterrupted);
            }
            switch (initFailsWith) {
                case "connect" -> throw poolCouldNotStart();
                case "sql_08001" -> throw new RuntimeException(new DriverException("Connection refused", "08001"));
                case "sql_28P01" -> throw new RuntimeException(new DriverException("password authentication failed", "28P01"));
                case "no_driver" -> throw new java.sql.SQLException("No suitable driver", "08001");   // as DriverManager
                case "cycle" -> {   // a chain of causes that loops back, as initCause allows
                    IllegalStateException wrapped = new IllegalStateException("wrapped");
                    IllegalArgumentException bad = new IllegalArgumentException("bad value");
                    wrapped.initCause(bad);
                    bad.initCause(wrapped);
                    throw wrapped;
                }
                default -> throw new RetryableException("database away", new java.net.ConnectException("Connection refused"));
            }
        }
        if (failInit) {
            throw new IllegalStateException("cannot reach port " + httpPort);
        }
        if (!jniLibrary.isEmpty()) {
            System.load(jniLibrary);
            System.setProperty(JNI_LOADS, String.valueOf(Integer.getInteger(JNI_LOADS, 0) + 1));
        }
        last = this;
        lastConfig = fbit.config();
        initThread = Thread.currentThread();
        if (libraryThread) {
            Thread t = new Thread(() -> {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    // asked to end
                }
            }, "library-worker");
            t.setDaemon(true);
            t.start();
        }
        if (leakThread) {
            Thread t = new Thread(() -> {   // ignores the interrupt at the generation's end, until the test lets it go
                while (!Boolean.getBoolean(RELEASE_LEAKS)) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        // not a reason to end
                    }
                }
            }, "leaked-by-test_out");
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closesStarted.incrementAndGet();
        if (closeWaits.equals("throw")) {
            throw new IllegalStateException("nothing to close");   // what init did not make
        }
        waitAsAsked(closeWaits, closesInterrupted);
    }

    /** none; sleep (a minute, until interrupted); stubborn (ignores interrupts until RELEASE_CLOSE). */
    private static void waitAsAsked(String how, AtomicInteger interrupts) throws InterruptedException {
        switch (how) {
            case "sleep" -> {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupts.incrementAndGet();
                    throw e;
                }
            }
            case "stubborn" -> {
                while (!Boolean.getBoolean(RELEASE_CLOSE)) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        interrupts.incrementAndGet();   // and waits on, as a library that swallows it
                    }
                }
            }
            default -> { }
        }
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    @Override
    public FlushResult flush(String tag, Events events) throws Exception {
        tags.add(tag);
        flushThreads.add(Thread.currentThread().getName());
        int now = inside.incrementAndGet();
        maxInside.accumulateAndGet(now, Math::max);
        try {
            for (Event e : events) {
                records.add(e.record());
                seen.inc(tag);
            }
            switch (mode) {
                case RETRY: return FlushResult.RETRY;
                case ERROR: return FlushResult.ERROR;
                case NULL: return null;
                case THROW: throw new IllegalStateException("boom");
                case READ_FIELD:
                    List<String> batch = new ArrayList<>();   // written at the end, as a JDBC batch is
                    for (Event e : events) {
                        batch.add(e.string("user"));
                    }
                    users.addAll(batch);
                    return FlushResult.OK;
                case WRAP_FIELD:   // a plugin that wraps what it cannot write in an exception of its own
                    List<String> rows = new ArrayList<>();
                    for (Event e : events) {
                        try {
                            rows.add(e.string("user"));
                        } catch (RuntimeException bad) {
                            throw new java.io.IOException("cannot write row", bad);
                        }
                    }
                    users.addAll(rows);
                    return FlushResult.OK;
                case WRAP_RETRYABLE:   // a plugin that calls every failure retryable, a misfit too
                    List<String> kept = new ArrayList<>();
                    for (Event e : events) {
                        try {
                            kept.add(e.string("user"));
                        } catch (RuntimeException bad) {
                            throw new RetryableException("cannot write row", bad);
                        }
                    }
                    users.addAll(kept);
                    return FlushResult.OK;
                case REJECT:   // a destination that refuses a row as data, found as the batch is written
                case REJECT_COPY:  // the same, naming a copy of the event instead of the flush's own
                    List<String> written = new ArrayList<>();
                    for (Event e : events) {
                        if (e.record().containsKey("bad")) {
                            Event named = mode == Mode.REJECT ? e : Event.of(e.record());
                            throw new io.flb4j.api.RejectedEventException(named, "value too long for column \"user\"");
                        }
                        written.add(e.string("user"));
                    }
                    users.addAll(written);
                    return FlushResult.OK;
                case HUGE: return new long[Integer.MAX_VALUE - 16].length > 0 ? FlushResult.OK : FlushResult.ERROR;
                case RECURSE: return recurse(0) > 0 ? FlushResult.OK : FlushResult.ERROR;
                case THROW_RETRYABLE: throw new RetryableException("endpoint down");
                case THROW_LONG: throw new RetryableException(LONG_MESSAGE);
                case BLOCK:
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        try {
                            events.iterator().hasNext();
                        } catch (IllegalStateException late) {
                            lateRead.set(late);
                        }
                        interrupted.incrementAndGet();
                        throw e;
                    }
                    return FlushResult.OK;
                default: return FlushResult.OK;
            }
        } finally {
            inside.decrementAndGet();
        }
    }
}
