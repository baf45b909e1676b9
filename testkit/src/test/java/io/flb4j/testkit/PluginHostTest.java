package io.flb4j.testkit;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flb4j.api.Counter;
import io.flb4j.api.Event;
import io.flb4j.api.FlushResult;
import io.flb4j.api.Gauge;
import io.flb4j.binding.PluginKind;
import io.flb4j.binding.PluginDescriptor;
import io.flb4j.host.PluginHost;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The host's behaviour through its public entry points, as Fluent Bit drives it. */
class PluginHostTest {
    private static final Duration GUARD = Duration.ofSeconds(20);
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        TestOutput.release.countDown();
        pool.shutdownNow();
    }

    private static List<String> lines(PluginTester t) {
        return t.logs().stream().map(Object::toString).toList();
    }

    @Test
    void outputReceivesDecodedEventsAndCountsThem() {
        try (PluginTester out = PluginTester.of(TestOutput.class).start()) {
            Instant t = Instant.ofEpochSecond(1_700_000_000L, 5);
            assertThat(out.flush("app", Event.of(t, Map.of("message", "a")), Event.of(t, Map.of("message", "b"))))
                    .isEqualTo(FlushResult.OK);
            assertThat(TestOutput.last.records).containsExactly(Map.of("message", "a"), Map.of("message", "b")).inOrder();
            assertThat(out.metric("seen_total", "app")).isEqualTo(2.0);
            assertThat(out.logs()).isEmpty();
        }
    }

    @Test
    void flushResultsAndFailuresBecomeCodesLoggedOnceWithPluginInstanceAndTag() {
        assertThat(flushWith("retry")).isEqualTo(FlushResult.RETRY);
        assertThat(flushWith("error")).isEqualTo(FlushResult.ERROR);
        try (PluginTester out = PluginTester.of(TestOutput.class).config("mode", "throw_retryable").start()) {
            assertThat(out.flush("app.x", Event.of(Map.of()))).isEqualTo(FlushResult.RETRY);
            assertThat(lines(out)).containsExactly("warn [flb4j:test_out#1] flush of tag 'app.x' will be retried: "
                    + "io.flb4j.api.RetryableException: endpoint down");
        }
        try (PluginTester out = PluginTester.of(TestOutput.class).config("mode", "throw").start()) {
            assertThat(out.flush("app.y", Event.of(Map.of()))).isEqualTo(FlushResult.RETRY);
            assertThat(lines(out)).containsExactly("warn [flb4j:test_out#1] flush of tag 'app.y' failed, will be retried: "
                    + "java.lang.IllegalStateException: boom");
        }
        // The plugin's own OutOfMemoryError or StackOverflowError: RETRY at once, saying what to mend.
        try (PluginTester out = PluginTester.of(TestOutput.class).config("mode", "huge").start()) {
            assertThat(out.flush("app.m", Event.of(Map.of()))).isEqualTo(FlushResult.RETRY);
            assertThat(lines(out)).hasSize(1);
            assertThat(lines(out).get(0)).startsWith("error [flb4j:test_out#1] flush of tag 'app.m' failed, will be "
                    + "retried: the JVM's heap is full (its limit: ");
            assertThat(lines(out).get(0)).contains("FLB4J_JVM_OPTIONS=-Xmx…: java.lang.OutOfMemoryError");
        }
        try (PluginTester out = PluginTester.of(TestOutput.class).config("mode", "recurse").start()) {
            assertThat(out.flush("app.s", Event.of(Map.of()))).isEqualTo(FlushResult.RETRY);
            assertThat(lines(out).get(0)).startsWith("error [flb4j:test_out#1] flush of tag 'app.s' failed, will be "
                    + "retried: the plugin's code recursed deeper than its thread's stack allows (-Xss, 1m by default): "
                    + "java.lang.StackOverflowError");
        }
        // A record the flush cannot take (event.string("user") throws): that event is skipped, and
        // the flush runs again on the chunk's other events, which all reach the plugin's batch.
        try (PluginTester out = PluginTester.of(TestOutput.class).config("mode", "read_field").start()) {
            assertThat(out.flush("app.z", Event.of(Map.of("user", "ann")), Event.of(Map.of("level", "info")),
                    Event.of(Map.of("user", "bob")), Event.of(Map.of("user", 7L)), Event.of(Map.of("user", "cy"))))
                    .isEqualTo(FlushResult.OK);
            assertThat(TestOutput.last.users).containsExactly("ann", "bob", "cy").inOrder();
            assertThat(lines(out)).containsExactly(
                    "error [flb4j:test_out#1] flush of tag 'app.z' failed on event 2 of the chunk, which the flush cannot "
                            + "take; that event is skipped and the flush runs again without it (the events before it "
                            + "reach it a second time): io.flb4j.api.MissingFieldException: the record has no field 'user'",
                    "error [flb4j:test_out#1] flush of tag 'app.z' failed on event 4 of the chunk, which the flush cannot "
                            + "take; that event is skipped and the flush runs again without it (the events before it "
                            + "reach it a second time): io.flb4j.api.FieldTypeException: field 'user' is a Long (7), not a "
                            + "string");
            // A chunk of nothing but such records: each skipped, nothing written, nothing retried.
            assertThat(out.flush("app.z", Event.of(Map.of("level", "info")))).isEqualTo(FlushResult.OK);
            assertThat(TestOutput.last.users).hasSize(3);
        }
        // The same when the plugin wraps the getter's exception in one of its own.
        try (PluginTester out = PluginTester.of(TestOutput.class).config("mode", "wrap_field").start()) {
            assertThat(out.flush("app.v", Event.of(Map.of("user", "ann")), Event.of(Map.of("user", false)),
                    Event.of(Map.of("user", "cy")))).isEqualTo(FlushResult.OK);
            assertThat(TestOutput.last.users).containsExactly("ann", "cy").inOrder();
            assertThat(lines(out)).containsExactly("error [flb4j:test_out#1] flush of tag 'app.v' failed on event 2 of "
                    + "the chunk, which the flush cannot take; that event is skipped and the flush runs again without it "
                    + "(the events before it reach it a second time): java.io.IOException: cannot write row; caused by "
                    + "io.flb4j.api.FieldTypeException: field 'user' is a Boolean (false), not a string");
        }
        // An event the destination refuses as data (RejectedEventException naming it): skipped the same way.
        try (PluginTester out = PluginTester.of(TestOutput.class).config("mode", "reject").start()) {
            assertThat(out.flush("app.r", Event.of(Map.of("user", "ann")), Event.of(Map.of("user", "x", "bad", true)),
                    Event.of(Map.of("user", "cy")))).isEqualTo(FlushResult.OK);
            assertThat(TestOutput.last.users).containsExactly("ann", "cy").inOrder();
            assertThat(lines(out)).containsExactly("error [flb4j:test_out#1] flush of tag 'app.r' failed on event 2 of "
                    + "the chunk, which the flush cannot take; that event is skipped and the flush runs again without it "
                    + "(the events before it reach it a second time): io.flb4j.api.RejectedEventException: value too long "
                    + "for column \"user\"");
        }
        // Naming an event that is not one of the flush's (a copy): not known, so the chunk is dropped.
        try (PluginTester out = PluginTester.of(TestOutput.class).config("mode", "reject_copy").start()) {
            assertThat(out.flush("app.q", Event.of(Map.of("user", "ann")), Event.of(Map.of("user", "x", "bad", true))))
                    .isEqualTo(FlushResult.ERROR);
            assertThat(TestOutput.last.users).isEmpty();
            assertThat(lines(out)).containsExactly("error [flb4j:test_out#1] flush of tag 'app.q' failed and a retry "
                    + "cannot succeed, chunk dropped: io.flb4j.api.RejectedEventException: value too long for column \"user\"");
        }
        // More than 16 of them in one chunk: the chunk is dropped, as a record layout the
        // plugin does not read at all.
        try (PluginTester out = PluginTester.of(TestOutput.class).config("mode", "read_field").start()) {
            Event[] none = new Event[17];   // OutputInstance.MOST_SKIPPED is 16
            java.util.Arrays.fill(none, Event.of(Map.of("level", "info")));
            assertThat(out.flush("app.w", none)).isEqualTo(FlushResult.ERROR);
            assertThat(lines(out).get(lines(out).size() - 1)).isEqualTo("error [flb4j:test_out#1] flush of tag 'app.w' "
                    + "failed and a retry cannot succeed, chunk dropped (after 16 of its events were skipped): "
                    + "io.flb4j.api.MissingFieldException: the record has no field 'user'");
        }
        // The same when the plugin calls it retryable: a retry would meet the same events, so dropped too.
        try (PluginTester out = PluginTester.of(TestOutput.class).config("mode", "wrap_retryable").start()) {
            Event[] none = new Event[17];
            java.util.Arrays.fill(none, Event.of(Map.of("level", "info")));
            assertThat(out.flush("app.u", none)).isEqualTo(FlushResult.ERROR);
            assertThat(lines(out).get(lines(out).size() - 1)).isEqualTo("error [flb4j:test_out#1] flush of tag 'app.u' "
                    + "failed and a retry cannot succeed, chunk dropped (after 16 of its events were skipped): "
                    + "io.flb4j.api.RetryableException: cannot write row; caused by io.flb4j.api.MissingFieldException: "
                    + "the record has no field 'user'");
            assertThat(out.flush("app.u", Event.of(Map.of("user", "ann")), Event.of(Map.of("level", "info"))))
                    .isEqualTo(FlushResult.OK);
            assertThat(TestOutput.last.users).containsExactly("ann");
        }
        try (PluginTester out = PluginTester.of(TestOutput.class).config("mode", "null").start()) {
            assertThat(out.flush("t", Event.of(Map.of()))).isEqualTo(FlushResult.ERROR);
            assertThat(lines(out)).hasSize(1);
            assertThat(lines(out).get(0)).contains("returned null");
        }
    }

    /** A reload starts a new generation in a new class loader, and the old one is collected. */
    @Test
    void aReloadableTesterReloadsAndTheOldGenerationUnloads() throws Exception {
        try (PluginTester out = PluginTester.reloadable(TestOutput.class).start()) {
            ClassLoader first = out.pluginClassLoader();
            assertThat(first).isNotSameInstanceAs(TestOutput.class.getClassLoader());
            assertThat(out.flush("a", Event.of(Map.of("n", 1)))).isEqualTo(FlushResult.OK);
            out.reload();
            assertThat(out.pluginClassLoader()).isNotSameInstanceAs(first);
            first = null;
            assertThat(out.flush("b", Event.of(Map.of("n", 2)))).isEqualTo(FlushResult.OK);
            out.reload();
            out.assertEndedGenerationsUnloaded();
        }
    }

    /**
     * ... and a generation that leaks a thread fails that assertion, naming the thread: one that
     * ignores the interrupt the end of a generation gives it, as in Fluent Bit.
     */
    @Test
    void aGenerationThatLeaksFailsTheUnloadAssertion() throws Exception {
        try (PluginTester out = PluginTester.reloadable(TestOutput.class).config("leak_thread", "on").start()) {
            out.reload();
            AssertionError e = assertThrows(AssertionError.class, out::assertEndedGenerationsUnloaded);
            assertThat(e).hasMessageThat().contains("a generation of plugin 'test_out' was not unloaded; held by "
                    + "thread 'leaked-by-test_out'");
        } finally {
            System.setProperty(TestOutput.RELEASE_LEAKS, "true");
        }
    }

    /** A thread a generation leaves waiting is interrupted at its end, as the JVM engine does, and the generation unloads. */
    @Test
    void theEndOfAGenerationInterruptsTheThreadsItLeft() throws Exception {
        try (PluginTester out = PluginTester.reloadable(TestOutput.class).config("library_thread", "on").start()) {
            out.reload();
            out.assertEndedGenerationsUnloaded();
        }
    }

    /** Init runs on the generation's own thread, which ends with it: nothing left on it outlives the generation. */
    @Test
    void initRunsOnAThreadThatEndsWithTheGeneration() throws Exception {
        Thread t;
        try (PluginTester out = PluginTester.of(TestOutput.class).start()) {
            t = TestOutput.initThread;
            assertThat(t.getName()).isEqualTo("flb4j-test_out-generation");
            assertThat(t.getContextClassLoader()).isSameInstanceAs(TestOutput.class.getClassLoader());
        }
        t.join(GUARD.toMillis());
        assertThat(t.isAlive()).isFalse();
    }

    @Test
    void repeatedFailuresAreLoggedOnceAMinuteAndLongMessagesCut() {
        try (PluginTester out = PluginTester.of(TestOutput.class).config("mode", "throw_retryable").start()) {
            for (int i = 0; i < 5; i++) {
                assertThat(out.flush("db", Event.of(Map.of()))).isEqualTo(FlushResult.RETRY);
            }
            assertThat(lines(out).stream().filter(l -> l.startsWith("warn ")).toList()).containsExactly(
                    "warn [flb4j:test_out#1] flush of tag 'db' will be retried: io.flb4j.api.RetryableException: endpoint down");
            assertThat(lines(out).stream().filter(l -> l.startsWith("debug ")).count()).isEqualTo(4);
        }
        try (PluginTester out = PluginTester.of(TestOutput.class).config("mode", "throw_long").start()) {
            assertThat(out.flush("db", Event.of(Map.of()))).isEqualTo(FlushResult.RETRY);
            List<String> warn = lines(out).stream().filter(l -> l.startsWith("warn ")).toList();
            assertThat(warn).hasSize(1);
            assertThat(warn.get(0)).startsWith("warn [flb4j:test_out#1] flush of tag 'db' will be retried: "
                    + "io.flb4j.api.RetryableException: Batch entry 0 INSERT INTO logs VALUES ('secret-value");
            assertThat(warn.get(0)).endsWith("… (" + TestOutput.LONG_MESSAGE.length() + " characters; all at debug)");
            assertThat(warn.get(0).length()).isLessThan(400);
            assertThat(lines(out)).contains("debug [flb4j:test_out#1] flush of tag 'db' will be retried: "
                    + "io.flb4j.api.RetryableException: " + TestOutput.LONG_MESSAGE);
        }
    }

    private static FlushResult flushWith(String mode) {
        try (PluginTester out = PluginTester.of(TestOutput.class).config("mode", mode).start()) {
            FlushResult r = out.flush("t", Event.of(Map.of()));
            assertThat(out.logs()).isEmpty();
            return r;
        }
    }

    @Test
    void malformedChunkIsAnErrorNotACrash() {
        try (PluginTester out = PluginTester.of(TestOutput.class).start()) {
            Chunk chunk = Chunk.builder().event(Map.of("ok", 1)).raw(new byte[] {(byte) 0x92, 0x01}).build();
            assertThat(out.flush("bad", chunk)).isEqualTo(FlushResult.ERROR);
            assertThat(lines(out)).hasSize(1);
            assertThat(lines(out).get(0)).startsWith("error [flb4j:test_out#1] chunk for tag 'bad' is malformed, dropped: ");
            assertThat(lines(out).get(0)).contains("at byte ");
        }
    }

    @Test
    void configAndInitErrorsFailTheInstanceWithOneClearLine() {
        IllegalStateException config = assertThrows(IllegalStateException.class,
                () -> PluginTester.of(TestOutput.class).config("http_port", "http").config("mode", "sideways").start());
        assertThat(config).hasMessageThat().contains("[flb4j:test_out#1] plugin 'test_out': invalid configuration: "
                + "key 'mode' has value 'sideways', expected one of ok, retry, error, null, throw, throw_retryable, throw_long, block, read_field, wrap_field, wrap_retryable, reject, reject_copy, huge, recurse; "
                + "key 'http_port' has value 'http', expected a whole number");
        IllegalStateException init = assertThrows(IllegalStateException.class,
                () -> PluginTester.of(TestOutput.class).config("fail_init", "on").config("http_port", "9").start());
        assertThat(init).hasMessageThat().contains("init failed: java.lang.IllegalStateException: cannot reach port 9");
        // A close() that trips over what the failed init did not make adds no error line of its own.
        IllegalStateException closing = assertThrows(IllegalStateException.class, () -> PluginTester.of(TestOutput.class)
                .config("fail_init", "on").config("http_port", "9").config("close_waits", "throw").start());
        assertThat(closing).hasMessageThat().contains("init failed: java.lang.IllegalStateException: cannot reach port 9");
        assertThat(closing).hasMessageThat().doesNotContain("error [flb4j:test_out#1] close failed");
        assertThat(closing).hasMessageThat().contains("debug [flb4j:test_out#1] close after an init that did not succeed "
                + "failed: java.lang.IllegalStateException: nothing to close");
    }

    @Test
    void instancesAreIndependent() {
        try (PluginTester a = PluginTester.of(TestOutput.class).start()) {
            TestOutput first = TestOutput.last;
            try (PluginTester b = PluginTester.of(TestOutput.class).config("mode", "retry").start()) {
                TestOutput second = TestOutput.last;
                assertThat(a.flush("a", Event.of(Map.of("x", 1)))).isEqualTo(FlushResult.OK);
                assertThat(b.flush("b", Event.of(Map.of("y", 2)))).isEqualTo(FlushResult.RETRY);
                assertThat(first.records).containsExactly(Map.of("x", 1L));
                assertThat(second.records).containsExactly(Map.of("y", 2L));
            }
        }
        PluginHost host = PluginHost.create(new RecordingHostApi(Map.of(), PluginKind.OUTPUT), getClass().getClassLoader(),
                descriptorWithConcurrency(false), new TestOutput_Flb4jBinding());
        long one = host.initInstance(1);
        long two = host.initInstance(2);
        assertThat(one).isNotEqualTo(two);
        assertThat(host.exitInstance(one)).isEqualTo(PluginHost.FLB_OK);
        // a chunk no instance will read is Fluent Bit's to retry, never dropped here
        assertThat(host.flush(one, java.nio.ByteBuffer.allocate(0), "gone")).isEqualTo(PluginHost.FLB_RETRY);
        assertThat(host.flush(two, java.nio.ByteBuffer.allocate(0), "live")).isEqualTo(PluginHost.FLB_OK);
        host.unregister();
    }

    @Test
    void flushesOfOneInstanceNeverOverlapUnlessDeclared() throws Exception {
        assertThat(maxConcurrentFlushes(false)).isEqualTo(1);
        assertThat(maxConcurrentFlushes(true)).isEqualTo(2);
    }

    @Test
    void aThreadIsStartedOnlyWhenEveryFlushThreadIsBusy() throws Exception {
        TestOutput.flushThreads.clear();
        try (PluginTester out = PluginTester.of(descriptorBinding(), descriptorWithConcurrency(true)).start()) {
            for (int i = 0; i < 8; i++) {   // one after another: the first thread takes them all
                assertThat(out.flush("one-by-one", Event.of(Map.of()))).isEqualTo(FlushResult.OK);
            }
        }
        assertThat(TestOutput.flushThreads).hasSize(1);
        TestOutput.flushThreads.clear();
        assertThat(maxConcurrentFlushes(true)).isEqualTo(2);   // two at once: a second thread
        assertThat(TestOutput.flushThreads).hasSize(2);
    }

    private int maxConcurrentFlushes(boolean concurrent) throws Exception {
        TestOutput.maxInside.set(0);
        TestOutput.release = new CountDownLatch(1);
        try (PluginTester out = PluginTester.of(descriptorBinding(), descriptorWithConcurrency(concurrent))
                .config("mode", "block").start()) {
            Future<FlushResult> first = pool.submit(() -> out.flush("a", Event.of(Map.of())));
            awaitInside(1);
            Future<FlushResult> second = pool.submit(() -> out.flush("b", Event.of(Map.of())));
            if (concurrent) {
                awaitInside(2);
            } else {
                awaitWaitingThreads(1);
            }
            TestOutput.release.countDown();
            assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(FlushResult.OK);
            assertThat(second.get(20, TimeUnit.SECONDS)).isEqualTo(FlushResult.OK);
        }
        return TestOutput.maxInside.get();
    }

    @Test
    void oneAtATimeFlushesRunInTheOrderTheyStarted() throws Exception {
        TestOutput.tags.clear();
        try (PluginTester out = PluginTester.of(descriptorBinding(), descriptorWithConcurrency(false)).start()) {
            List<CompletableFuture<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                CompletableFuture<Integer> answer = new CompletableFuture<>();
                int now = out.host().flush(out.handle(), java.nio.ByteBuffer.wrap(Chunk.of(Event.of(Map.of("n", i))).bytes()), "t" + i,
                        answer::complete);
                assertThat(now).isEqualTo(PluginHost.FLUSH_PENDING);
                answers.add(answer);
            }
            for (CompletableFuture<Integer> a : answers) {
                assertThat(a.get(20, TimeUnit.SECONDS)).isEqualTo(PluginHost.FLB_OK);
            }
        }
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("t" + i);
        }
        assertThat(TestOutput.tags).containsExactlyElementsIn(expected).inOrder();
    }

    @Test
    void aFlushPastItsDeadlineIsAnsweredRetryAndInterrupted() throws Exception {
        TestOutput.release = new CountDownLatch(1);
        TestOutput.interrupted.set(0);
        TestOutput.lateRead.set(null);
        PluginTester tester = PluginTester.of(TestOutput.class).config("mode", "block")
                .config("flb4j.flush_timeout", "300ms");
        try (PluginTester out = tester.start()) {
            assertThat(out.flush("slow", Event.of(Map.of()))).isEqualTo(FlushResult.RETRY);
            long deadline = System.nanoTime() + GUARD.toNanos();
            while (TestOutput.interrupted.get() == 0) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(1);
            }
            assertThat(out.logs().stream().map(Object::toString).filter(l -> l.contains("flush of tag 'slow' did not "
                    + "finish within PT0.3S (flb4j.flush_timeout); answered RETRY after")).count()).isEqualTo(1);
            // Answered: Fluent Bit may free the chunk, so the late flush can no longer read its events.
            assertThat(TestOutput.lateRead.get()).hasMessageThat().contains("cannot be read any more");
            TestOutput.release.countDown();
        }
        // The late answer (the interrupted wait's exception) is dropped, as Fluent Bit has RETRY: the
        // deadline's warning is the flush's one line (closing the tester waited for the flush's end).
        assertThat(lines(tester)).containsExactly("warn [flb4j:test_out#1] flush of tag 'slow' did not finish within "
                + "PT0.3S (flb4j.flush_timeout); answered RETRY after " + deadlineMillis(lines(tester).get(0)) + " ms",
                "debug [flb4j:test_out#1] flush of tag 'slow' ended after its deadline had answered RETRY; what it "
                        + "ended with is dropped: java.lang.InterruptedException").inOrder();
    }

    /**
     * A close() that waits past flb4j.close_timeout (a client draining to a broker that is away)
     * is interrupted there, with one warning, and the exit goes on: a hot reload or a SIGTERM is
     * not held by it. Without the deadline this close() would take its whole minute.
     */
    @Test
    void aCloseThatDoesNotReturnIsInterruptedAtItsDeadline() {
        TestOutput.closesInterrupted.set(0);
        long start = System.nanoTime();
        PluginTester out = PluginTester.of(TestOutput.class).config("close_waits", "sleep")
                .config("flb4j.close_timeout", "300ms").start();
        out.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));   // not the minute
        assertThat(TestOutput.closesInterrupted.get()).isEqualTo(1);
        assertThat(lines(out)).containsExactly("warn [flb4j:test_out#1] close() did not return within PT0.3S "
                + "(flb4j.close_timeout); it was interrupted and returned");
    }

    /**
     * A close() that ignores the interrupt too is left behind on its thread; the next instance's
     * close() runs on a new one instead of queueing behind it, and the generation still ends.
     */
    @Test
    void aCloseThatIgnoresTheInterruptIsLeftBehindAndTheNextCloseStillRuns() {
        TestOutput.closesStarted.set(0);
        RecordingHostApi api = new RecordingHostApi(Map.of("close_waits", "stubborn", "flb4j.close_timeout", "200ms"),
                PluginKind.OUTPUT);
        PluginHost host = stubbornHost(api);
        long one = host.initInstance(1);
        long two = host.initInstance(2);
        try {
            assertThat(host.exitInstance(one)).isEqualTo(PluginHost.FLB_ERROR);
            assertThat(host.exitInstance(two)).isEqualTo(PluginHost.FLB_ERROR);
            assertThat(TestOutput.closesStarted.get()).isEqualTo(2);
            for (int id : new int[] {1, 2}) {
                assertThat(said(api)).contains("warn [flb4j:test_out#" + id + "] close() did not return within PT0.2S "
                        + "(flb4j.close_timeout); it was interrupted, still runs, and is left behind: the instance's exit "
                        + "goes on without it");
            }
        } finally {
            release(host);
        }
    }

    /** A host of test_out whose stubborn waits (close_waits, retry_waits) last until {@link #release}. */
    private PluginHost stubbornHost(RecordingHostApi api) {
        System.clearProperty(TestOutput.RELEASE_CLOSE);
        return PluginHost.create(api, getClass().getClassLoader(), descriptorWithConcurrency(false),
                new TestOutput_Flb4jBinding());
    }

    private static void release(PluginHost host) {
        System.setProperty(TestOutput.RELEASE_CLOSE, "true");
        host.unregister();
    }

    private static List<String> said(RecordingHostApi api) {
        return api.logs().stream().map(Object::toString).toList();
    }

    /**
     * A plugin that loads a JNI library from a fixed path reloads in the testkit as in Fluent Bit:
     * the JVM lets one class loader at a time hold the library, so the next generation starts once
     * the ended one is collected. Before, the first reload failed with "already loaded in another
     * classloader".
     */
    @Test
    void aReloadableTesterReloadsAPluginThatLoadsAJniLibrary(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path source = dir.resolve("empty.c");
        java.nio.file.Files.writeString(source, "int flb4j_test_nothing(void) { return 0; }\n");
        java.nio.file.Path library = dir.resolve("libempty.so");
        Process cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-o", library.toString(), source.toString())
                .inheritIO().start();
        assertThat(cc.waitFor()).isEqualTo(0);
        System.clearProperty(TestOutput.JNI_LOADS);
        try (PluginTester out = PluginTester.reloadable(TestOutput.class).config("jni_library", library.toString()).start()) {
            for (int i = 0; i < 3; i++) {
                out.reload();
            }
            assertThat(out.flush("t", Event.of(Map.of("n", 1)))).isEqualTo(FlushResult.OK);
        }
        assertThat(Integer.getInteger(TestOutput.JNI_LOADS)).isEqualTo(4);
    }

    /**
     * An init that throws RetryableException (a database away at start or at a hot reload) starts
     * the instance anyway: its flushes are answered RETRY until init, tried again after 1 s and
     * then 2 s, succeeds. Before, the instance failed, and Fluent Bit with it.
     */
    @Test
    void anInitThatThrowsRetryableIsTriedAgainAndFlushesWaitForIt() throws Exception {
        TestOutput.inits.set(0);
        try (PluginTester out = PluginTester.of(TestOutput.class).config("init_failures", "2").start()) {
            assertThat(out.flush("early", Event.of(Map.of("n", 1)))).isEqualTo(FlushResult.RETRY);
            flushUntilOk(out);
            assertThat(TestOutput.inits.get()).isEqualTo(3);
            assertThat(TestOutput.last.records).containsExactly(Map.of("n", 2L));
            List<String> said = lines(out);
            assertThat(said.get(0)).isEqualTo("warn [flb4j:test_out#1] init failed, tried again in 1 s; until it succeeds "
                    + "the instance takes nothing (its flushes are answered RETRY, an input collects nothing): "
                    + AWAY);
            assertThat(said).contains("warn [flb4j:test_out#1] flush of tag 'early' answered RETRY: the plugin's init "
                    + "has not succeeded yet (it still runs or is tried again)");
            assertThat(said).contains("warn [flb4j:test_out#1] init failed again, tried again in 2 s: "
                    + AWAY);
            assertThat(said).contains("info [flb4j:test_out#1] init succeeded; the instance takes events now");
        }
    }

    /**
     * An init that fails because a connection could not be made (a pool's own exception around a
     * refused connect, a driver's SQLException of SQLState class 08) is tried again as if it had
     * thrown RetryableException; wrong credentials (SQLState 28P01) and DriverManager's "No
     * suitable driver" (08001, but java.sql.SQLException itself) still fail the instance.
     * Before, any of them failed it, and with it Fluent Bit's start or hot reload.
     */
    @Test
    void anInitThatCouldNotConnectIsTriedAgainAndWrongCredentialsFail() throws Exception {
        for (String with : List.of("connect", "sql_08001")) {
            TestOutput.inits.set(0);
            try (PluginTester out = PluginTester.of(TestOutput.class).config("init_failures", "1")
                    .config("init_fails_with", with).start()) {
                assertThat(out.flush("early", Event.of(Map.of("n", 1)))).isEqualTo(FlushResult.RETRY);
                flushUntilOk(out);
                assertThat(TestOutput.inits.get()).isEqualTo(2);
                String first = lines(out).get(0);
                assertThat(first).startsWith("warn [flb4j:test_out#1] init failed, tried again in 1 s (a connection that "
                        + "could not be made, ");
                assertThat(first).contains(with.equals("connect")
                        ? "java.net.ConnectException, counts as RetryableException); until it succeeds the instance takes "
                                + "nothing (its flushes are answered RETRY, an input collects nothing): "
                                + "java.lang.IllegalStateException: pool could not start; caused by "
                                + "java.net.ConnectException: Connection refused"
                        : "io.flb4j.testkit.TestOutput$DriverException (SQLState 08001), counts as RetryableException)");
            }
        }
        TestOutput.inits.set(0);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> PluginTester.of(TestOutput.class)
                .config("init_failures", "1").config("init_fails_with", "sql_28P01").start());
        assertThat(refused).hasMessageThat().contains("init failed: java.lang.RuntimeException: "
                + "io.flb4j.testkit.TestOutput$DriverException: password authentication failed");
        // DriverManager's own SQLException for a URL no driver takes says 08001 too: a mistake, not an outage.
        TestOutput.inits.set(0);
        IllegalStateException noDriver = assertThrows(IllegalStateException.class, () -> PluginTester.of(TestOutput.class)
                .config("init_failures", "1").config("init_fails_with", "no_driver").start());
        assertThat(noDriver).hasMessageThat().contains("init failed: java.sql.SQLException: No suitable driver");
        Thread.sleep(1_500);   // past a retry's time had one been scheduled
        assertThat(TestOutput.inits.get()).isEqualTo(1);
    }

    /** A failure whose causes loop back is reported once around the loop; the walks over it end. */
    @Test
    @Timeout(30)
    void anInitFailureWhoseCausesLoopIsReportedAndEnds() {
        TestOutput.inits.set(0);
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> PluginTester.of(TestOutput.class)
                .config("init_failures", "1").config("init_fails_with", "cycle").start());
        assertThat(failed).hasMessageThat().contains("init failed: java.lang.IllegalStateException: wrapped; caused by "
                + "java.lang.IllegalArgumentException: bad value; caused by [circular reference: "
                + "java.lang.IllegalStateException: wrapped]");
        assertThat(TestOutput.inits.get()).isEqualTo(1);
    }

    /** An instance that exits while its init is being retried is not tried again. */
    @Test
    void anInstanceThatExitsIsNotInitialisedAgain() throws Exception {
        TestOutput.inits.set(0);
        try (PluginTester out = PluginTester.of(TestOutput.class).config("init_failures", "100").start()) {
            assertThat(out.host().exitInstance(out.handle())).isEqualTo(PluginHost.FLB_OK);
            Thread.sleep(1_500);   // past the first retry's time
            assertThat(TestOutput.inits.get()).isEqualTo(1);
        }
    }

    /**
     * An exit that comes while an init tried again still waits (a connect to a host that does not
     * answer, with no timeout of its own) interrupts it and goes on: a SIGTERM or a hot reload
     * during an outage is not held by the attempt. Before, the exit waited for it (here a minute).
     */
    @Test
    void anExitInterruptsAnInitBeingTriedAgain() throws Exception {
        TestOutput.inits.set(0);
        TestOutput.retriesInterrupted.set(0);
        try (PluginTester out = PluginTester.of(TestOutput.class).config("init_failures", "100")
                .config("retry_waits", "sleep").start()) {
            awaitInits(2);   // the first retry, after 1 s, waits
            long start = System.nanoTime();
            assertThat(out.host().exitInstance(out.handle())).isEqualTo(PluginHost.FLB_OK);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));   // not the minute
            assertThat(TestOutput.retriesInterrupted.get()).isEqualTo(1);
            Thread.sleep(2_500);   // past the next retry's time had it been scheduled again
            assertThat(TestOutput.inits.get()).isEqualTo(2);
            assertThat(String.join("\n", lines(out))).doesNotContain("init failed again");
        }
    }

    /**
     * A retried init that ignores the interrupt too is left behind after flb4j.close_timeout, and
     * the instance's close() still runs, on a new generation thread.
     */
    @Test
    void aRetriedInitThatIgnoresTheInterruptIsLeftBehindAtTheExit() throws Exception {
        TestOutput.inits.set(0);
        TestOutput.closesStarted.set(0);
        RecordingHostApi api = new RecordingHostApi(Map.of("init_failures", "100", "retry_waits", "stubborn",
                "flb4j.close_timeout", "200ms"), PluginKind.OUTPUT);
        PluginHost host = stubbornHost(api);
        long one = host.initInstance(1);
        try {
            awaitInits(2);
            assertThat(host.exitInstance(one)).isEqualTo(PluginHost.FLB_OK);
            assertThat(TestOutput.closesStarted.get()).isEqualTo(1);
            assertThat(said(api)).contains("warn [flb4j:test_out#1] init, still running at the instance's exit, was "
                    + "interrupted and did not return within PT0.2S (flb4j.close_timeout): it is left behind and the "
                    + "exit goes on without it");
        } finally {
            release(host);
        }
    }

    /**
     * A retried init that waits (here a minute) runs on a thread of its own: it holds neither the
     * plugin's other instances (their hand-offs and exits run on the generation thread) nor its
     * own instance's exit, which interrupts it. Before, the retries queued on the generation
     * thread one behind the other, and an exit waited behind them.
     */
    @Test
    void aRetriedInitThatWaitsHoldsNeitherTheOtherInstancesNorTheExits() throws Exception {
        TestOutput.inits.set(0);
        TestOutput.retriesInterrupted.set(0);
        RecordingHostApi api = new RecordingHostApi(Map.of("init_failures", "100", "retry_waits", "sleep"),
                PluginKind.OUTPUT);
        PluginHost host = stubbornHost(api);
        long one = host.initInstance(1);
        long two = host.initInstance(2);
        try {
            awaitInits(4);   // both instances' first retries wait, at once
            long start = System.nanoTime();
            assertThat(host.exitInstance(two)).isEqualTo(PluginHost.FLB_OK);
            assertThat(host.exitInstance(one)).isEqualTo(PluginHost.FLB_OK);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));   // not the minute
            assertThat(TestOutput.retriesInterrupted.get()).isEqualTo(2);
        } finally {
            release(host);
        }
    }

    /**
     * A constructor that throws because it cannot connect (a pool in a field initializer) fails
     * init, as there is no plugin object to try init on later, and the error line says to connect
     * in init(), where that is tried again.
     */
    @Test
    void aConstructorThatCannotConnectFailsInitAndSaysToConnectInInit() {
        RecordingHostApi api = new RecordingHostApi(Map.of(), PluginKind.OUTPUT);
        PluginHost host = PluginHost.create(api, getClass().getClassLoader(), descriptorWithConcurrency(false),
                new TestOutput_Flb4jBinding());
        TestOutput.constructorCannotConnect = true;
        try {
            assertThat(host.initInstance(1)).isEqualTo(0);
        } finally {
            TestOutput.constructorCannotConnect = false;
            host.unregister();
        }
        assertThat(said(api).get(0)).isEqualTo("error [flb4j:test_out#1] init failed: java.lang.IllegalStateException: "
                + "pool could not start; caused by java.net.ConnectException: Connection refused (the plugin's constructor "
                + "could not connect, java.net.ConnectException: connect in init(), where a connection that cannot be "
                + "made is tried again instead of failing Fluent Bit)");
    }

    /**
     * A constructor that waits (a connect in a field initializer, to a host that does not answer)
     * fails the instance's init at flb4j.init_timeout instead of holding Fluent Bit's start or hot
     * reload; it is interrupted, and the plugin's next instance is not queued behind it.
     */
    @Test
    void aConstructorPastTheInitTimeoutFailsInitAndHoldsNothing() throws Exception {
        TestOutput.constructorsInterrupted.set(0);
        RecordingHostApi api = new RecordingHostApi(Map.of("flb4j.init_timeout", "200ms"), PluginKind.OUTPUT);
        PluginHost host = PluginHost.create(api, getClass().getClassLoader(), descriptorWithConcurrency(false),
                new TestOutput_Flb4jBinding());
        long start = System.nanoTime();
        long one;
        TestOutput.constructorWaits = Duration.ofSeconds(60);
        try {
            one = host.initInstance(1);
        } finally {
            TestOutput.constructorWaits = Duration.ZERO;
        }
        try {
            assertThat(one).isEqualTo(0);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));   // not the minute
            long two = host.initInstance(2);
            assertThat(two).isGreaterThan(0);
            assertThat(host.flush(two, java.nio.ByteBuffer.allocate(0), "live")).isEqualTo(PluginHost.FLB_OK);
            assertThat(said(api).get(0)).matches("error \\[flb4j:test_out#1\\] init failed: the plugin's constructor "
                    + "\\(with its field initializers and static initializers\\) has not returned within PT0.2S "
                    + "\\(flb4j.init_timeout\\); it was interrupted after \\d+ ms. Connect and load in init\\(\\), "
                    + "which Fluent Bit waits for at most that long and then goes on without, not in the constructor");
            long deadline = System.nanoTime() + GUARD.toNanos();
            while (TestOutput.constructorsInterrupted.get() == 0) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(host.exitInstance(two)).isEqualTo(PluginHost.FLB_OK);
        } finally {
            host.unregister();
        }
    }

    /**
     * An init that has not returned within flb4j.init_timeout (a connect to a host slow to answer)
     * lets Fluent Bit's start or hot reload go on: the instance takes nothing (RETRY) until the
     * init, which runs on, returns; here it then fails, is tried again, and succeeds.
     */
    @Test
    void anInitPastItsTimeoutIsNoLongerWaitedForAndTheInstanceStartsWhenItSucceeds() throws Exception {
        TestOutput.inits.set(0);
        TestOutput.last = null;
        try (PluginTester out = PluginTester.of(TestOutput.class).config("init_takes", "600ms")
                .config("init_failures", "1").config("flb4j.init_timeout", "200ms").start()) {
            assertThat(TestOutput.inits.get()).isEqualTo(1);
            assertThat(TestOutput.last).isNull();   // start() returned while the first init still waits
            assertThat(out.flush("early", Event.of(Map.of("n", 1)))).isEqualTo(FlushResult.RETRY);
            flushUntilOk(out);
            assertThat(TestOutput.inits.get()).isEqualTo(2);
            List<String> said = lines(out);
            assertThat(said.get(0)).isEqualTo("warn [flb4j:test_out#1] init has not returned within PT0.2S "
                    + "(flb4j.init_timeout); Fluent Bit goes on without it, and the instance takes nothing until it "
                    + "succeeds (its flushes are answered RETRY, an input collects nothing)");
            assertThat(said).contains("warn [flb4j:test_out#1] init failed, tried again in 1 s: "
                    + AWAY);
            assertThat(said).contains("info [flb4j:test_out#1] init succeeded; the instance takes events now");
        }
    }

    /** An exit while an init let go still runs interrupts it and goes on. */
    @Test
    void anExitInterruptsAnInitLetGo() throws Exception {
        TestOutput.inits.set(0);
        TestOutput.initsInterrupted.set(0);
        try (PluginTester out = PluginTester.of(TestOutput.class).config("init_takes", "60s")
                .config("flb4j.init_timeout", "200ms").start()) {
            long start = System.nanoTime();
            assertThat(out.host().exitInstance(out.handle())).isEqualTo(PluginHost.FLB_OK);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));   // not the minute
            assertThat(TestOutput.initsInterrupted.get()).isEqualTo(1);
            Thread.sleep(1_500);   // past a retry's time had one been scheduled
            assertThat(TestOutput.inits.get()).isEqualTo(1);
            assertThat(String.join("\n", lines(out))).doesNotContain("init failed");
        }
    }

    /** What TestOutput's init throws while init_failures lasts, as flb4j writes it. */
    private static final String AWAY = "io.flb4j.api.RetryableException: database away; caused by "
            + "java.net.ConnectException: Connection refused";

    /** Flushes one event tagged 'later' until init has succeeded and the flush is answered OK. */
    private static void flushUntilOk(PluginTester out) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (out.flush("later", Event.of(Map.of("n", 2))) != FlushResult.OK) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitInits(int n) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (TestOutput.inits.get() < n) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        Thread.sleep(100);   // inside its wait
    }

    /** An input whose init is retried starts collecting once it succeeds. */
    @Test
    void anInputWhoseInitIsRetriedCollectsOnceItSucceeds() throws Exception {
        try (PluginTester in = InputProbe.tester().config("mode", "init_retry").start()) {
            assertThat(in.collect(5, GUARD)).hasSize(5);
            assertThat(lines(in)).contains("info [flb4j:test_in#1] init succeeded; the instance takes events now");
        }
    }

    /** An input whose init is let go (past flb4j.init_timeout) starts collecting once it returns. */
    @Test
    void anInputWhoseInitIsLetGoCollectsOnceItReturns() throws Exception {
        try (PluginTester in = InputProbe.tester().config("mode", "init_slow").config("flb4j.init_timeout", "200ms").start()) {
            assertThat(in.collect(5, GUARD)).hasSize(5);
            assertThat(lines(in)).contains("info [flb4j:test_in#1] init succeeded; the instance takes events now");
            assertThat(String.join("\n", lines(in))).contains("init has not returned within PT0.2S");
        }
    }

    @Test
    void closeAndInitTimeoutsMustBeDurationsAboveZero() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PluginTester.of(TestOutput.class).config("flb4j.close_timeout", "0s").start());
        assertThat(e).hasMessageThat().contains("plugin 'test_out': invalid configuration: key 'flb4j.close_timeout' has "
                + "value '0s', expected a duration above zero");
        IllegalStateException i = assertThrows(IllegalStateException.class,
                () -> PluginTester.of(TestOutput.class).config("flb4j.init_timeout", "0ms").start());
        assertThat(i).hasMessageThat().contains("plugin 'test_out': invalid configuration: key 'flb4j.init_timeout' has "
                + "value '0ms', expected a duration above zero");
    }

    /** The milliseconds a deadline's warning says the flush had taken. */
    private static String deadlineMillis(String line) {
        return line.replaceAll(".* answered RETRY after (\\d+) ms$", "$1");
    }

    @Test
    void moreThanOneFlushAtOnceNeedsAThreadSafeFlush() {
        var e = assertThrows(IllegalStateException.class, () -> PluginTester.of(descriptorBinding(),
                descriptorWithConcurrency(false)).config("flb4j.max_flushes", "2").start());
        assertThat(e).hasMessageThat().contains("key 'flb4j.max_flushes' has value '2', but the plugin's flush is not "
                + "declared thread-safe (@FluentBitOutput(concurrentFlush = true)); its flushes run one at a time");
    }

    private static TestOutput_Flb4jBinding descriptorBinding() {
        return new TestOutput_Flb4jBinding();
    }

    private static PluginDescriptor descriptorWithConcurrency(boolean concurrent) {
        try {
            PluginDescriptor d = PluginDescriptor.load(PluginHostTest.class.getClassLoader());
            return new PluginDescriptor(d.name(), d.kind(), d.description(), d.pluginClass(), d.eventTypes(), concurrent,
                    d.keys(), d.metrics());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitInside(int n) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (TestOutput.inside.get() < n) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /**
     * Both callers wait for their answers while one flush is inside the plugin: the other is
     * queued, and the instance has one flush thread only.
     */
    private void awaitWaitingThreads(int n) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (Thread.getAllStackTraces().keySet().stream().filter(t -> t.getState() == Thread.State.WAITING
                && List.of(t.getStackTrace()).stream().anyMatch(f -> f.getMethodName().equals("flush")
                        && f.getClassName().endsWith("PluginHost"))).count() < n + 1) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(1);
        }
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("flb4j-flush-test_out")).count()).isEqualTo(1);
        assertThat(TestOutput.inside.get()).isEqualTo(1);
    }

    // --- inputs ---------------------------------------------------------------------------

    /** The test input, its batches taken by the event path (as a current Fluent Bit takes them). */
    private static PluginTester input(String mode, String bufferLimit) {
        return input(mode, bufferLimit, true);
    }

    private static PluginTester input(String mode, String bufferLimit, boolean eventPath) {
        PluginTester t = InputProbe.tester().config("mode", mode);
        if (bufferLimit != null) {
            t.config("flb4j.buffer_limit", bufferLimit);
        }
        if (!eventPath) {
            t.withoutEventPath();
        }
        return t.start();
    }

    private static void awaitEmitted(long n) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (InputProbe.last.emitted.get() < n) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    @Test
    void metricsAndTracesNeedTheirKindDeclared() throws Exception {
        try (PluginTester in = input("undeclared", null)) {
            awaitEmitted(5);
            assertThat(InputProbe.last.refusals).containsExactly(
                    "plugin 'test_in' emits metrics but does not declare them: "
                            + "@FluentBitInput(events = {EventType.LOGS, EventType.METRICS})",
                    "plugin 'test_in' emits traces but does not declare them: "
                            + "@FluentBitInput(events = {EventType.LOGS, EventType.TRACES})").inOrder();
            assertThat(in.collect(5, GUARD)).hasSize(5);
        }
    }

    @Test
    void eventsAreHandedOffOnlyOnceFluentBitsEngineHasThemInAChunk() throws Exception {
        try (PluginTester in = InputProbe.tester().config("mode", "five").holdRing(true).start()) {
            assertThat(in.collect(5, GUARD)).hasSize(5);   // appended: in the input's ring buffer
            long deadline = System.nanoTime() + GUARD.toNanos();
            long waitsBefore = InputProbe.last.waitsForTaken.get();
            while (InputProbe.last.waitsForTaken.get() < waitsBefore + 5) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(InputProbe.last.handedOff).isEmpty();
            assertThat(InputProbe.last.lastTaken.get()).isFalse();
            in.holdRing(false);   // the engine moves them into a chunk
            while (!InputProbe.last.lastTaken.get()) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(InputProbe.last.handedOff).contains(5L);
        }
    }

    @Test
    void aBatchTheCollectCouldNotHandOverIsStillThePlugins() throws Exception {
        try (PluginTester in = input("five", null, false)) {
            awaitEmitted(5);
            byte[] offered = new byte[0];
            long deadline = System.nanoTime() + GUARD.toNanos();
            while (offered.length == 0) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                offered = in.collectNotTaken();   // C got the batch but could not hand it to Fluent Bit
            }
            long waitsBefore = InputProbe.last.waitsForTaken.get();
            while (InputProbe.last.waitsForTaken.get() < waitsBefore + 5) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(InputProbe.last.lastTaken.get()).isFalse();   // awaitHandedOff did not return for it
            assertThat(InputProbe.last.handedOff).isEmpty();
            List<Event> again = in.collect(5, GUARD);                // the next collect offers the same events
            assertThat(again).hasSize(5);
            assertThat(again.get(0).record()).containsEntry("n", 0L);
            while (!InputProbe.last.lastTaken.get()) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(InputProbe.last.handedOff).containsExactly(5L);
        }
    }

    private static Thread collector() throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (true) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("flb4j-test_in-collect-1")) {
                    return t;
                }
            }
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    /** The producer is blocked inside emit: parked, and emitting nothing more. */
    private static void awaitBlockedInEmit(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (!(t.getState() == Thread.State.WAITING
                && List.of(t.getStackTrace()).stream().anyMatch(f -> f.getMethodName().equals("put")
                        && f.getClassName().endsWith("BatchQueue")))) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    @Test
    void fullBufferBlocksTheProducerUntilFluentBitCollects() throws Exception {
        try (PluginTester in = input("flood", "2K", false)) {
            Thread producer = collector();
            awaitBlockedInEmit(producer);
            long before = InputProbe.last.emitted.get();
            assertThat(before).isAtMost(20L);
            List<Event> got = in.collect(1, GUARD);
            assertThat(got).isNotEmpty();
            long deadline = System.nanoTime() + GUARD.toNanos();
            while (InputProbe.last.emitted.get() <= before) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(1);
            }
            assertThat(got.get(0).record()).containsEntry("n", 0L);
        }
    }

    @Test
    void pausedInputHandsOutNothingAndBlocksProducers() throws Exception {
        try (PluginTester in = input("flood", "2K")) {
            in.pause();
            Thread producer = collector();
            awaitBlockedInEmit(producer);
            assertThat(in.host().collect(in.handle())).isNull();
            in.resume();
            List<Event> got = in.collect(30, GUARD);
            assertThat(got.size()).isAtLeast(30);
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).record().get("n")).isEqualTo((long) i);
            }
        }
    }

    @Test
    void handOffAcknowledgesWhatFluentBitTook() throws Exception {
        try (PluginTester in = input("five", null)) {
            List<Event> got = in.collect(5, GUARD);
            assertThat(got).hasSize(5);
            // handedOff runs on an flb4j thread of its own, after the batch was taken: wait for it.
            long deadline = System.nanoTime() + GUARD.toNanos();
            List<Long> acks = InputProbe.last.handedOff;
            while (acks.isEmpty() || acks.get(acks.size() - 1) != 5L) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(1);
            }
            assertThat(InputProbe.last.handedOff.get(InputProbe.last.handedOff.size() - 1)).isEqualTo(5L);
        }
    }

    @Test
    void exitReportsEventsNotYetTaken() throws Exception {
        PluginTester in = input("five", null, false);
        awaitEmitted(5);
        in.close();
        assertThat(lines(in)).contains("warn [flb4j:test_in#1] stopping with 5 event(s) not taken by Fluent Bit; waiting sources were told");
        assertThat(collectorAlive()).isFalse();
    }

    /** Lines logged while the plugin is constructed are the instance's, at its log level (before: every level, unnamed). */
    @Test
    void whatTheConstructorLogsIsTheInstances() throws Exception {
        try (PluginTester in = input("five", null)) {
            assertThat(lines(in)).contains("debug [flb4j:test_in#1] constructed");
        }
    }

    @Test
    void emitsAfterTheInstanceBeganStoppingAreRefusedAndCounted() throws Exception {
        PluginTester in = input("reads_on", null, false);
        awaitEmitted(5);
        in.close();
        assertThat(InputProbe.last.refusals).hasSize(3);
        assertThat(InputProbe.last.refusals.get(0)).isEqualTo("the input instance is stopping: Fluent Bit takes no "
                + "more events; stop reading the source, so that what is not read stays with it");
        assertThat(lines(in)).contains("warn [flb4j:test_in#1] refused 3 event(s) emitted after the instance began "
                + "stopping (emit threw CancellationException); a source that reads on after that loses what it "
                + "reads: stop reading (close the connection, leave the offset) once emit throws or "
                + "sink.cancelled() is true");
    }

    /** A source waiting in emit when the instance stops is told (CancellationException) but not counted as reading on. */
    @Test
    void aSourceWaitingInEmitAtTheStopIsNotCountedAsRefused() throws Exception {
        PluginTester in = input("flood", "2K", false);
        in.pause();
        awaitBlockedInEmit(collector());
        in.close();
        assertThat(lines(in).stream().filter(l -> l.contains("refused")).toList()).isEmpty();
    }

    private static boolean collectorAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("flb4j-test_in-collect-1"));
    }

    @Test
    void failingCollectIsLoggedAndRestarted() throws Exception {
        try (PluginTester in = input("fail_once", null)) {
            List<Event> got = in.collect(3, GUARD);
            assertThat(got.size()).isAtLeast(3);
            assertThat(lines(in).stream().filter(l -> !l.endsWith(" constructed")).findFirst().orElseThrow())
                    .isEqualTo("error [flb4j:test_in#1] collect failed; restarting in 1000 ms: "
                    + "java.lang.IllegalStateException: source unavailable");
        }
    }

    @Test
    void invalidInputLimitsFailInit() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> input("five", "lots"));
        assertThat(e).hasMessageThat().contains("key 'flb4j.buffer_limit' has value 'lots', expected a size");
    }

    // --- metrics ---------------------------------------------------------------------------

    @Test
    void metricLabelsAreCheckedAgainstTheirKeys() {
        try (PluginTester out = PluginTester.of(TestOutput.class).start()) {
            Counter seen = TestOutput.last.seen;
            IllegalArgumentException wrongCount = assertThrows(IllegalArgumentException.class, () -> seen.inc());
            assertThat(wrongCount).hasMessageThat().isEqualTo("counter 'seen_total' takes 1 label value(s) for [tag], got 0");
            assertThrows(IllegalArgumentException.class, () -> seen.inc((String) null));
            assertThrows(IllegalArgumentException.class, () -> seen.add(-1, "t"));
            assertThrows(IllegalArgumentException.class, () -> seen.add(Double.NaN, "t"));
            seen.add(2.5, "t");
            assertThat(out.metric("seen_total", "t")).isEqualTo(2.5);
        }
    }

    @Test
    void gaugesCreatedAtRunTimeReachTheHost() {
        RecordingHostApi api = new RecordingHostApi(Map.of(), PluginKind.OUTPUT);
        List<String> warnings = new java.util.ArrayList<>();
        io.flb4j.api.Logger logger = new io.flb4j.api.Logger() {
            @Override
            public boolean isEnabled(Level level) {
                return true;
            }

            @Override
            public void log(Level level, String message) {
                warnings.add(message);
            }
        };
        io.flb4j.host.HostMetrics metrics = new io.flb4j.host.HostMetrics(api, 1, "p", "p.0", logger);
        Gauge depth = metrics.gauge("queue_depth", "Events waiting", "queue");
        depth.set(10, "q1");
        depth.sub(3, "q1");
        depth.inc("q2");
        assertThat(api.metricValue("queue_depth", "q1")).isEqualTo(7.0);
        assertThat(api.metricValue("queue_depth", "q2")).isEqualTo(1.0);
        assertThat(api.series("queue_depth")).containsExactly(List.of("p.0", "q1"), 7.0, List.of("p.0", "q2"), 1.0);
        assertThat(metrics.gauge("queue_depth", "again", "queue")).isSameInstanceAs(depth);
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("by_name", "x", "name"));
        // After the instance is gone (Fluent Bit frees its cmetrics), late updates do nothing.
        metrics.close();
        depth.set(99, "q1");
        assertThat(api.metricValue("queue_depth", "q1")).isEqualTo(7.0);
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("queue_depth", "clash"));
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("bad-name", "x"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void keysFluentBitKeepsNeverReachThePluginAsInFluentBit() {
        RecordingHostApi input = new RecordingHostApi(Map.of("Port", "9881", "http_port", "9881", "net.keepalive", "on",
                "workers", "2"), PluginKind.INPUT);
        assertThat(input.property(1, "port")).isNull();
        assertThat(input.property(1, "net.keepalive")).isNull();
        assertThat(input.property(1, "http_port")).isEqualTo("9881");
        assertThat(input.property(1, "workers")).isEqualTo("2");   // an output's key, passed to inputs
        RecordingHostApi output = new RecordingHostApi(Map.of("workers", "2"), PluginKind.OUTPUT);
        assertThat(output.property(1, "workers")).isNull();
    }

    @Test
    void aStoppedInstancesConfigurationIsNoLongerRead() throws Exception {
        PluginHost host = PluginHost.create(new RecordingHostApi(Map.of("mode", "ok"), PluginKind.OUTPUT),
                getClass().getClassLoader(), descriptorWithConcurrency(false), new TestOutput_Flb4jBinding());
        long handle = host.initInstance(1);
        io.flb4j.api.Config config = TestOutput.lastConfig;
        assertThat(config.get("mode")).hasValue("ok");
        assertThat(host.exitInstance(handle)).isEqualTo(PluginHost.FLB_OK);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> config.get("mode"));
        assertThat(e).hasMessageThat().contains("the instance has stopped, so its configuration can no longer be read (key 'mode')");
    }
}
