package io.flb4j.maven;

import static com.google.common.truth.Truth.assertThat;

import io.flb4j.api.Event;
import io.flb4j.codec.EventEncoder;
import io.flb4j.nativecode.ChildProcess;
import io.flb4j.testkit.TestHost;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The output flush path through the C test host, which runs flushes as Fluent Bit does: in
 * coroutines on threads that each run an event loop (testkit's testhost_engine.c). A flush that waits
 * must leave its thread's loop running; the test host measures the longest the loop went
 * unserved while flushes wait, and these tests fail when a flush holds the thread.
 */
class FlushPathTest {
    private static final Path WORK = Path.of("target/flush-test").toAbsolutePath();
    private static final Pattern GAP = Pattern.compile("flush in_flight_max=(\\d+) loop_gap_max_ms=(\\d+)");
    private static TestHost sanitized;
    private static Path slow;
    private static Path chunk;

    @BeforeAll
    static void build() throws Exception {
        sanitized = TestHost.build(WORK.resolve("host"), true);
        slow = TestPlugins.sharedObject("SlowOutput", "slow", WORK, Path.of(System.getProperty("java.home")));
        ByteArrayOutputStream events = new ByteArrayOutputStream();
        EventEncoder encoder = new EventEncoder();
        for (int i = 0; i < 10; i++) {
            events.writeBytes(encoder.encode(Event.of(Map.of("n", i))));
        }
        chunk = WORK.resolve("chunk.bin");
        Files.write(chunk, events.toByteArray());
    }

    private static List<String> run(Map<String, String> env, String flushes, String threads, String... keys)
            throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("output", slow.toString(), chunk.toString(), flushes, threads));
        args.addAll(List.of(keys));
        ChildProcess p = sanitized.result(env, args.toArray(String[]::new));
        List<String> lines = p.output().lines().toList();
        assertThat(lines.stream().filter(l -> l.startsWith("fatal") || l.contains("AddressSanitizer")).toList()).isEmpty();
        assertThat(p.exitCode()).isEqualTo(0);
        return lines;
    }

    /** [most flushes in flight at once, longest the loop went unserved in ms] */
    private static long[] loop(List<String> lines) {
        for (String l : lines) {
            Matcher m = GAP.matcher(l);
            if (m.matches()) {
                return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
            }
        }
        throw new AssertionError("no loop line in " + lines);
    }

    @Test
    void aWaitingFlushYieldsAndTheLoopRunsOn() throws Exception {
        for (String layout : List.of("plain", "valgrind")) {
            List<String> out = run(Map.of("TESTHOST_CORO", layout), "6", "2", "wait=400ms", "flb4j.max_flushes=4");
            assertThat(out).contains("flush ok=12 retry=0 error=0");
            assertThat(out).contains("flush custom_events_added=2");   // one per loop, not one per flush
            long[] loop = loop(out);
            assertThat(loop[0]).isEqualTo(4);                // Fluent Bit started more while some waited
            assertThat(loop[1]).isLessThan(400);              // and no wait of 400 ms held the loop
            assertThat(out.stream().anyMatch(l -> l.contains("flushes wait on Fluent Bit's thread"))).isFalse();
            assertThat(out).contains("log 3 [flb4j:slow#1] most flushes at once: 4, events: 120, interrupted: 0");
        }
    }

    @Test
    void anUnknownBuildGetsTheBlockingFlushAndOneLineSayingWhy() throws Exception {
        Map<String, String> why = Map.of("none", "not inside a coroutine", "unknown", "the coroutine's layout is not known");
        for (var build : why.entrySet()) {
            List<String> out = run(Map.of("TESTHOST_CORO", build.getKey()), "3", "1", "wait=300ms");
            assertThat(out).contains("flush ok=3 retry=0 error=0");
            assertThat(loop(out)[1]).isAtLeast(300);              // the test host sees a blocking flush
            assertThat(out.stream().filter(l -> l.contains("flushes wait on Fluent Bit's thread (" + build.getValue() + ")"))
                    .count()).isEqualTo(1);
        }
    }

    @Test
    void oneAtATimeUnlessTheKeySaysMore() throws Exception {
        List<String> out = run(Map.of("TESTHOST_INFLIGHT", "6"), "6", "1", "wait=200ms", "flb4j.max_flushes=1");
        assertThat(out).contains("flush ok=6 retry=0 error=0");
        assertThat(out).contains("log 3 [flb4j:slow#1] most flushes at once: 1, events: 60, interrupted: 0");
    }

    @Test
    void aHungFlushIsAnsweredRetryAtItsDeadlineAndExitFinishes() throws Exception {
        long start = System.nanoTime();
        List<String> out = run(Map.of(), "2", "1", "wait=8s", "hang=true", "flb4j.flush_timeout=1s");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(out).contains("flush ok=0 retry=2 error=0");
        // Both flushes hit the deadline: one warning, the second counted (at debug), as repeated failures are.
        assertThat(out.stream().filter(l -> l.startsWith("log 2 [flb4j:slow#1] flush of tag 'test.tag' did not finish "
                + "within PT1S (flb4j.flush_timeout); answered RETRY")).count()).isEqualTo(1);
        assertThat(out.stream().filter(l -> l.startsWith("log 4 [flb4j:slow#1] flush of tag 'test.tag' did not finish "
                + "within PT1S (flb4j.flush_timeout); answered RETRY")).count()).isEqualTo(1);
        assertThat(loop(out)[1]).isLessThan(1000);
        assertThat(out).contains("exit rc=1");
        assertThat(seconds).isLessThan(8);   // exit did not wait for the hung thread
    }

    /**
     * Through the .so: an init past flb4j.init_timeout returns to Fluent Bit (the test host) with
     * the instance started but taking nothing (its flushes answered RETRY), and the exit interrupts
     * the init still running instead of waiting for it.
     */
    @Test
    void anInitPastItsTimeoutLetsTheHostGoOnAndTheExitInterruptsIt() throws Exception {
        long start = System.nanoTime();
        List<String> out = run(Map.of(), "2", "1", "init_wait=30s", "flb4j.init_timeout=500ms");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(out).contains("log 2 [flb4j:slow#1] init has not returned within PT0.5S (flb4j.init_timeout); Fluent "
                + "Bit goes on without it, and the instance takes nothing until it succeeds (its flushes are answered "
                + "RETRY, an input collects nothing)");
        assertThat(out).contains("flush ok=0 retry=2 error=0");
        assertThat(out.stream().filter(l -> l.contains("init done")).toList()).isEmpty();
        assertThat(seconds).isLessThan(30);   // the exit did not wait for the init
    }

    @Test
    void aWrongFlushKeyFailsInitNamingIt() throws Exception {
        ChildProcess p = sanitized.result(Map.of(), "init", slow.toString(), "flb4j.flush_timeout=0s");
        assertThat(p.output()).contains("key 'flb4j.flush_timeout' has value '0s', expected a duration above zero");
        assertThat(p.exitCode()).isEqualTo(1);
    }
}
