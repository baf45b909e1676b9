package io.flb4j.maven;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flb4j.api.Event;
import io.flb4j.binding.PluginDescriptor;
import io.flb4j.codec.ChunkDecoder;
import io.flb4j.codec.EventEncoder;
import io.flb4j.nativecode.ChildProcess;
import io.flb4j.testkit.TestHost;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Plugins built into real .so files and driven through the C test host, as Fluent Bit drives them. */
class SharedObjectTest {
    private static final Path WORK = Path.of("target/native-test").toAbsolutePath();
    private static final Set<String> ABI = new TreeSet<>(List.of("FLBPluginPreRegister", "FLBPluginRegister",
            "FLBPluginInit", "FLBPluginFlush", "FLBPluginFlushCtx", "FLBPluginExit", "FLBPluginExitCtx",
            "FLBPluginInputCallback", "FLBPluginInputCallbackCtx", "FLBPluginInputCleanupCallback",
            "FLBPluginInputCleanupCallbackCtx", "FLBPluginInputPreRun", "FLBPluginOutputPreRun",
            "FLBPluginInputPause", "FLBPluginInputResume", "FLBPluginInputPreExit", "FLBPluginOutputPreExit",
            "FLBPluginUnregister"));

    private static final List<String> RELEASES = List.of("2.2", "3.2", "4.0.3", "4.2", "4.2.3", "5.0", "5.1.0", "5.1.1");

    private static TestHost testhost;
    private static TestHost sanitized;
    private static Path metricsOutput;
    private static Path counting;
    private static Path countingB;
    private static Path dashed;
    private static Path jdbc;
    private static Path leaky;
    private static Path nativeLibrary;
    private static Path patterns;
    private static Path custom;
    private static Path secret;
    private static Path dynamicKeys;
    private static Path metricsInput;
    private static Path numbers;
    private static Path noJvm;
    private static Path chunk;
    private static Path otherJdk;
    private static Path ringInput;

    @BeforeAll
    static void build() throws Exception {
        testhost = TestHost.build(WORK.resolve("host"));
        sanitized = TestHost.build(WORK.resolve("host"), true);
        Path javaHome = Path.of(System.getProperty("java.home"));
        counting = plugin("CountingOutput", "counting", javaHome);
        countingB = plugin("CountingOutput", "counting_b", javaHome);
        dashed = plugin("CountingOutput", "java-test-output", javaHome);
        jdbc = withDriver("JdbcOutput", "jdbc_out", "TestDriver", javaHome);
        patterns = withDriver("LibraryPatternsOutput", "patterns_out", "PatternsDriver", javaHome);
        leaky = plugin("LeakyOutput", "leaky_out", javaHome);
        nativeLibrary = plugin("NativeLibraryOutput", "native_out", javaHome);
        custom = plugin("SettingsCustom", "settings", javaHome);
        secret = plugin("SecretOutput", "secret_out", javaHome);
        metricsInput = plugin("MetricsInput", "metrics_in", javaHome);
        Path dynamicClasses = TestPlugins.compile("CountingOutput.java", "dynamic_out", WORK);
        PluginDescriptor declared = TestPlugins.descriptor(dynamicClasses);
        dynamicKeys = build(TestPlugins.rewrite(dynamicClasses, new PluginDescriptor(declared.name(), declared.kind(),
                declared.description(), declared.pluginClass(), declared.eventTypes(), false, declared.keys(),
                declared.metrics(), true)), dynamicClasses, javaHome);
        numbers = plugin("NumberInput", "numbers", javaHome);
        ringInput = plugin("RingInput", "ring_in", javaHome);
        // An output of metrics, which the processor refuses until outputs decode cmetrics: the
        // descriptor is edited after compilation to exercise the shim's release check.
        Path metricsClasses = TestPlugins.compile("CountingOutput.java", "metrics_out", WORK);
        PluginDescriptor counted = TestPlugins.descriptor(metricsClasses);
        metricsOutput = build(TestPlugins.rewrite(metricsClasses, new PluginDescriptor(counted.name(), counted.kind(),
                counted.description(), counted.pluginClass(), 2, false, counted.keys(), counted.metrics())),
                metricsClasses, javaHome);
        // A "JDK" with headers but no libjvm.so: what a machine without Java looks like at run time.
        Path fakeJdk = WORK.resolve("fake-jdk");
        Files.createDirectories(fakeJdk);
        if (!Files.exists(fakeJdk.resolve("include"))) {
            Files.createSymbolicLink(fakeJdk.resolve("include"), javaHome.resolve("include"));
        }
        noJvm = plugin("CountingOutput", "no_jvm", fakeJdk);
        // Another JDK at another path, with a libjvm.so of its own (a copy, so another file to the
        // dynamic loader), and other jvmOptions: what a plugin built elsewhere brings.
        Path otherClasses = TestPlugins.compile("CountingOutput.java", "other_jdk", WORK);
        otherJdk = TestPlugins.sharedObject(TestPlugins.descriptor(otherClasses), otherClasses, WORK,
                mirror(javaHome, WORK.resolve("other-jdk"), "lib/server/libjvm.so"), List.of("-Xmx64m", "-Xss2m"));
        ByteArrayOutputStream events = new ByteArrayOutputStream();
        EventEncoder encoder = new EventEncoder();
        for (int i = 0; i < 100; i++) {
            events.writeBytes(encoder.encode(Event.of(Map.of("n", i, "message", "event " + i))));
        }
        chunk = WORK.resolve("chunk.bin");
        Files.write(chunk, events.toByteArray());
    }

    /** A copy of {@code home} at {@code to}: symbolic links to its files, except a copy of {@code own}. */
    private static Path mirror(Path home, Path to, String own) throws IOException {
        Path dir = home;
        Path mirrored = to;
        for (Path part : Path.of(own)) {
            Files.createDirectories(mirrored);
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path entry : entries.toList()) {
                    Path link = mirrored.resolve(entry.getFileName().toString());
                    if (!entry.getFileName().equals(part) && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, entry);
                    }
                }
            }
            dir = dir.resolve(part.toString());
            mirrored = mirrored.resolve(part.toString());
        }
        Files.copy(dir, mirrored, StandardCopyOption.REPLACE_EXISTING);
        return to;
    }

    private static Path plugin(String source, String name, Path javaHome) throws Exception {
        return TestPlugins.sharedObject(source, name, WORK, javaHome);
    }

    private static Path build(PluginDescriptor d, Path classes, Path javaHome) throws Exception {
        return TestPlugins.sharedObject(d, classes, WORK, javaHome);
    }

    private static List<String> run(Map<String, String> env, String... args) throws Exception {
        List<String> lines = testhost.run(env, args);
        assertThat(lines.stream().filter(l -> l.startsWith("fatal")).toList()).isEmpty();
        return lines;
    }

    private static List<String> run(String... args) throws Exception {
        return run(Map.of(), args);
    }

    @Test
    void exportsTheAbiAndNothingElse() throws Exception {
        Process nm = new ProcessBuilder("nm", "-D", "--defined-only", counting.toString()).start();
        Set<String> symbols = new String(nm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).collect(Collectors.toCollection(TreeSet::new));
        assertThat(nm.waitFor()).isEqualTo(0);
        assertThat(symbols).containsExactlyElementsIn(ABI);
    }

    @Test
    void registersFromTheCompiledInDescriptor() throws Exception {
        assertThat(run("register", counting.toString()))
                .contains("registered name=counting type=2 proxy=11 description=counts events");
    }

    /** Fluent Bit takes a dash in a plugin name (the Go seed's java-test-input-plugin); Prometheus not in a metric name. */
    @Test
    void aPluginNamedWithADash() throws Exception {
        List<String> out = run("output", dashed.toString(), chunk.toString(), "1", "1", "expected_fields=2");
        assertThat(out).contains("registered name=java-test-output type=2 proxy=11 description=counts events");
        assertThat(out).contains("flush ok=1 retry=0 error=0");
        assertThat(out).contains("metric fluentbit_java_test_output_events_total{name=java-test-output.0} 100");
    }

    @Test
    void tenThousandFlushesFromCoroutineStacksOnTwoThreads() throws Exception {
        List<String> out = run("output", counting.toString(), chunk.toString(), "5000", "2", "expected_fields=2");
        assertThat(out).contains("init rc=1");
        assertThat(out).contains("flush ok=10000 retry=0 error=0");
        assertThat(out).contains("metric fluentbit_counting_events_total{name=counting.0} 1000000");
        assertThat(out.stream().anyMatch(l -> l.endsWith("[flb4j:counting#1] received 1000000 events"))).isTrue();
        assertThat(out).contains("exit rc=1");
        assertThat(out).contains("done");
        assertThat(out.stream().filter(l -> l.contains("Workers")).toList()).isEmpty();   // hot reload is off
    }

    /**
     * Flushes on another thread than the instance's init (an output worker's, as the test host's
     * are) with hot reload on: one warning, before a reload can crash Fluent Bit.
     */
    @Test
    void flushesOnAWorkerThreadWithHotReloadOnAreWarnedOfOnceWhereTheForgottenPoolCannotBeStopped() throws Exception {
        // Every real-time signal taken: the shim cannot ask a worker thread what it serves.
        List<String> out = run(Map.of("TESTHOST_HOT_RELOAD", "1", "TESTHOST_RT_SIGNALS_TAKEN", "1"), "output",
                counting.toString(), chunk.toString(), "20", "2", "expected_fields=2");
        assertThat(out).contains("flush ok=40 retry=0 error=0");
        assertThat(out.stream().filter(l -> l.contains("Workers")).toList()).containsExactly("log 2 [flb4j:counting] "
                + "flushes run on Fluent Bit's output worker threads (Workers is set) and hot reload is on: Fluent Bit "
                + "2.2 to 5.1 crash with SIGSEGV at a hot reload of a proxy output that has Workers (they start its "
                + "worker pool twice and the first outlives the reload), and flb4j cannot stop that pool here (README, "
                + "Workers). flb4j's flushes never hold Fluent Bit's thread: remove Workers from this output");
        // Where it can, it does, and says nothing of Workers at the flush.
        List<String> able = run(Map.of("TESTHOST_HOT_RELOAD", "1"), "output", counting.toString(), chunk.toString(), "20",
                "2", "expected_fields=2");
        assertThat(able).contains("flush ok=40 retry=0 error=0");
        assertThat(able.stream().filter(l -> l.contains("Workers")).toList()).isEmpty();
    }

    /**
     * The shim's threads that run calls into Java have a name of their own (15 characters at
     * most): a new thread takes its creator's, and one of Fluent Bit's (flb-out-<plugin>.0-w0)
     * would make the search for forgotten output worker threads find them.
     */
    @Test
    void theShimsWorkerThreadsAreNamedForThePlugin() throws Exception {
        List<String> out = run(Map.of("TESTHOST_THREAD_NAMES", "1", "FLB4J_THREADS", "3"), "output",
                counting.toString(), chunk.toString(), "4", "2", "expected_fields=2");
        assertThat(out).contains("flush ok=8 retry=0 error=0");
        assertThat(out.stream().filter(l -> l.equals("thread flb4j-w-countin")).count()).isEqualTo(3);
    }

    /**
     * Fluent Bit starts a proxy output's Workers pool twice and forgets the first, whose threads
     * read the instance after a hot reload freed it (SIGSEGV in 2.2 to 5.1). The test host starts
     * such a forgotten pool at each output init and reads the freed instance from it after the
     * exit, as Fluent Bit's thread does: the shim stops those threads at the instance's exit.
     */
    @Test
    void theWorkerThreadsFluentBitForgetsAreStoppedBeforeTheInstanceIsFreed() throws Exception {
        String said = "log 3 [flb4j:counting] stopped 2 output worker thread(s) that Fluent Bit started for this "
                + "instance and then forgot (it starts a proxy output's Workers pool twice); left running, they would read "
                + "the freed instance after a hot reload and crash Fluent Bit";
        List<String> out = run(Map.of("TESTHOST_HOT_RELOAD", "1", "TESTHOST_FORGOTTEN_WORKERS", "2"), "output",
                counting.toString(), chunk.toString(), "20", "2", "expected_fields=2");
        assertThat(out).containsAtLeast("flush ok=40 retry=0 error=0", "forgotten workers running=0", "done");
        assertThat(out.stream().filter(l -> l.equals(said)).count()).isEqualTo(1);
        assertThat(out.stream().filter(l -> l.startsWith("fatal")).toList()).isEmpty();
        ChildProcess checked = sanitized.result(Map.of("TESTHOST_HOT_RELOAD", "1", "TESTHOST_FORGOTTEN_WORKERS", "2"),
                "output", counting.toString(), chunk.toString(), "20", "2", "expected_fields=2");
        assertThat(checked.output()).contains("forgotten workers running=0");
        assertThat(checked.output()).doesNotContain("AddressSanitizer");
        assertThat(checked.exitCode()).isEqualTo(0);
        List<String> reloads = run(Map.of("TESTHOST_FORGOTTEN_WORKERS", "2"), "reload", counting.toString(),
                chunk.toString(), "3", "expected_fields=2");
        assertThat(reloads).contains("reload ok=3");
        assertThat(reloads.stream().filter(l -> l.equals("forgotten workers running=0")).count()).isEqualTo(3);
        assertThat(reloads.stream().filter(l -> l.equals(said)).count()).isEqualTo(3);
        // Two plugins in one process, alike as far as a thread's 15-character name holds them
        // (flb-out-countin): each asks every such thread, and stops only its own instance's.
        List<String> two = run(Map.of("TESTHOST_FORGOTTEN_WORKERS", "1"), "two", counting.toString(),
                countingB.toString(), chunk.toString(), "expected_fields=2");
        assertThat(two.stream().filter(l -> l.startsWith("forgotten workers") || l.contains("then forgot"))
                .map(l -> l.replaceAll(" that Fluent Bit started.*", "")).toList()).containsExactly(
                "log 3 [flb4j:counting] stopped 1 output worker thread(s)", "forgotten workers running=1",
                "log 3 [flb4j:counting_b] stopped 1 output worker thread(s)", "forgotten workers running=0").inOrder();
    }

    @Test
    void configErrorFailsInitWithTheMessage() throws Exception {
        List<String> out = run("init", counting.toString());
        assertThat(out).contains("init rc=0");
        assertThat(out).contains("log 1 [flb4j:counting#1] plugin 'counting': invalid configuration: "
                + "missing required key 'expected_fields' (expected a whole number between -2147483648 and 2147483647)");
        assertThat(out).contains("done");
    }

    @Test
    void missingJvmIsAnErrorLineAndAFailedInit() throws Exception {
        List<String> out = run(Map.of("FLB4J_JAVA_HOME", "/nonexistent", "JAVA_HOME", ""), "init", noJvm.toString(),
                "expected_fields=2");
        assertThat(out).contains("init rc=0");
        assertThat(out.stream().anyMatch(l -> l.startsWith("log 1 [flb4j:no_jvm] no JVM found: tried /nonexistent/lib/server/libjvm.so (FLB4J_JAVA_HOME)"))).isTrue();
        assertThat(out.stream().anyMatch(l -> l.startsWith("log 2 [flb4j:no_jvm] FLB4J_JAVA_HOME is /nonexistent, but "
                + "/nonexistent/lib/server/libjvm.so cannot be loaded"))).isTrue();
        assertThat(out).contains("done");
    }

    @Test
    void twentyReloadsInOneProcess() throws Exception {
        List<String> out = run("reload", counting.toString(), chunk.toString(), "20", "expected_fields=2");
        assertThat(out).contains("reload ok=20");
        assertThat(out.stream().filter(l -> l.equals("flush ok=1 retry=0 error=0")).count()).isEqualTo(20);
        assertThat(out.stream().filter(l -> l.endsWith("received 100 events")).count()).isEqualTo(20);
    }

    @Test
    void theJdksFilePagesAreGivenBackAndThePluginGoesOnLoadingClasses() throws Exception {
        // The JDK through a link, as Debian's default-java is: /proc/self/maps names the real path.
        Path link = WORK.resolve("jdk-link");
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, Path.of(System.getProperty("java.home")));
        }
        List<String> out = run(Map.of("FLB4J_TRIM", "0.1", "FLB4J_JAVA_HOME", link.toString()), "reload",
                counting.toString(), chunk.toString(), "20", "expected_fields=2");
        assertThat(out).contains("reload ok=20");
        assertThat(out.stream().filter(l -> l.endsWith("received 100 events")).count()).isEqualTo(20);
        List<String> given = out.stream().filter(l -> l.contains("of the JDK's files")).toList();
        assertThat(given).hasSize(1);
        assertThat(given.get(0)).matches("log 3 \\[flb4j:counting\\] [1-9][0-9]* KB of the JDK's files \\("
                + Pattern.quote(Path.of(System.getProperty("java.home"), "lib").toRealPath().toString())
                + "\\) mapped since the JVM started were given back; FLB4J_TRIM=off keeps them");
        // Linux 6.7 and later: the JDK's mappings fault one page at a time, as trim.c registers them
        // (TrimTest checks the pages); before that, one info line says why not.
        List<String> faultAround = out.stream().filter(l -> l.contains("(fault-around)")).toList();
        if (linuxAtLeast(6, 7)) {
            assertThat(faultAround).isEmpty();
        } else {
            assertThat(faultAround).hasSize(1);
        }

        List<String> off = run(Map.of("FLB4J_TRIM", "off"), "reload", counting.toString(), chunk.toString(), "3",
                "expected_fields=2");
        assertThat(off.stream().filter(l -> l.contains("of the JDK's files")).toList()).isEmpty();
        List<String> wrong = run(Map.of("FLB4J_TRIM", "5m", "FLB4J_FAULT_AROUND", "yes"), "reload", counting.toString(),
                chunk.toString(), "1", "expected_fields=2");
        assertThat(wrong).contains("log 2 [flb4j:counting] FLB4J_TRIM is '5m': use off or a number of seconds from "
                + "0.1 to 3600; using 5");
        assertThat(wrong).contains("log 2 [flb4j:counting] FLB4J_FAULT_AROUND is 'yes': use on (the kernel maps 64 KB "
                + "around each fault in the JDK's code) or off (one page, the default)");
        assertThat(wrong).contains("reload ok=1");
    }

    private static boolean linuxAtLeast(int major, int minor) {
        java.util.regex.Matcher m = Pattern.compile("(\\d+)\\.(\\d+).*").matcher(System.getProperty("os.version"));
        return m.matches() && (Integer.parseInt(m.group(1)) > major
                || (Integer.parseInt(m.group(1)) == major && Integer.parseInt(m.group(2)) >= minor));
    }

    @Test
    void theJdksStartUpPagesAreGivenBackOnceInitReturnsBeforeTheFirstPeriod() throws Exception {
        // A first period of an hour: only the pass an init asks for can give pages back in this run.
        // The host lingers after the run: a look 250 ms after the first init must come within it.
        List<String> out = run(Map.of("FLB4J_TRIM", "3600", "TESTHOST_LINGER_MS", "2000"), "reload", counting.toString(),
                chunk.toString(), "3", "expected_fields=2");
        assertThat(out).contains("reload ok=3");
        List<String> given = out.stream().filter(l -> l.contains("of the JDK's files")).toList();
        assertThat(given).hasSize(1);
        assertThat(given.get(0)).matches("log 3 \\[flb4j:counting\\] [1-9][0-9]* KB of the JDK's files .* were given back; "
                + "FLB4J_TRIM=off keeps them");
    }

    @Test
    void theLoadAfterAnInitBringsFourWarmUpPassesAndLeavesThePeriodAsItWas() throws Exception {
        // A first period of an hour: every pass in this run is asked for, by the init or by the warm-up of
        // the load that follows it (the first flush, then a pass each second for 4 s). The host lingers
        // 5 s after its flushes for them.
        List<String> out = run(Map.of("FLB4J_TRIM", "3600", "FLB4J_TRIM_VERBOSE", "1", "TESTHOST_LINGER_MS", "5000"),
                "output", counting.toString(), chunk.toString(), "200", "1", "expected_fields=2");
        assertThat(out).contains("flush ok=200 retry=0 error=0");
        List<String> passes = out.stream().filter(l -> l.contains("] trim: "))
                .map(l -> l.replaceAll(" found [0-9]+ KB of the JDK's files resident( and gave them back)?", ""))
                .toList();
        String pass = "log 3 [flb4j:counting] trim: %s; next period 3600000 ms";
        assertThat(passes).containsExactly(pass.formatted("the pass after an init"),
                pass.formatted("the load's warm-up pass 1 of 4"), pass.formatted("the load's warm-up pass 2 of 4"),
                pass.formatted("the load's warm-up pass 3 of 4"), pass.formatted("the load's warm-up pass 4 of 4"));
    }

    /**
     * In a process whose malloc is jemalloc (Fluent Bit's images), the JVM's allocations go to an arena of their
     * own without thread caches: the trimmer's verbose lines then say what that arena holds, which is the JVM's
     * mallocs (its symbols, code strings, compiler arenas: MBs). {@code FLB4J_JVM_MALLOC=shared} leaves them in
     * jemalloc's shared arenas. CI installs libjemalloc2; without it there is nothing to route.
     */
    @Test
    void underJemallocTheJvmsMallocsGoToAnArenaOfTheirOwn() throws Exception {
        Path jemalloc = Stream.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib")
                .map(d -> Path.of(d, "libjemalloc.so.2")).filter(Files::exists).findFirst().orElse(null);
        assumeTrue(jemalloc != null, "libjemalloc2 is not installed (apt-get install libjemalloc2)");
        Map<String, String> env = Map.of("LD_PRELOAD", jemalloc.toString(), "FLB4J_TRIM", "3600",
                "FLB4J_TRIM_VERBOSE", "1", "TESTHOST_LINGER_MS", "1500");
        List<String> out = run(env, "output", counting.toString(), chunk.toString(), "200", "1", "expected_fields=2");
        assertThat(out).contains("flush ok=200 retry=0 error=0");
        assertThat(out).contains("metric fluentbit_counting_events_total{name=counting.0} 20000");
        Path lib = Path.of(System.getProperty("java.home"), "lib");
        assertThat(out.stream().filter(l -> Pattern.matches("log 3 \\[flb4j:counting\\] the JVM's allocations: [1-9][0-9]* "
                + "import slots under " + Pattern.quote(lib + "/") + " go to jemalloc arena [0-9]+, without thread caches", l))
                .count()).isEqualTo(1);
        Pattern arena = Pattern.compile("the JVM's jemalloc arena holds ([0-9]+) KB$");
        List<Long> held = out.stream().filter(l -> l.contains("] trim: ")).map(arena::matcher)
                .filter(java.util.regex.Matcher::find).map(m -> Long.parseLong(m.group(1))).toList();
        assertThat(held).isNotEmpty();
        assertThat(held.get(0)).isGreaterThan(1024L);

        Map<String, String> shared = new java.util.HashMap<>(env);
        shared.put("FLB4J_JVM_MALLOC", "shared");
        List<String> alone = run(shared, "output", counting.toString(), chunk.toString(), "200", "1", "expected_fields=2");
        assertThat(alone).contains("flush ok=200 retry=0 error=0");
        assertThat(alone.stream().filter(l -> l.contains("allocations") || l.contains("arena")).toList()).isEmpty();
        assertThat(alone.stream().filter(l -> l.contains("] trim: ")).toList()).isNotEmpty();
    }

    @Test
    void twoPluginsSideBySide() throws Exception {
        List<String> out = run("two", counting.toString(), countingB.toString(), chunk.toString(), "expected_fields=2");
        assertThat(out.stream().filter(l -> l.equals("flush ok=200 retry=0 error=0")).count()).isEqualTo(2);
        assertThat(out).contains("metric fluentbit_counting_events_total{name=counting.0} 20000");
        assertThat(out).contains("metric fluentbit_counting_b_events_total{name=counting_b.0} 20000");
        assertThat(out.stream().filter(l -> l.endsWith("received 20000 events")).count()).isEqualTo(2);
        assertThat(out.stream().filter(l -> l.contains("jvmOptions are not applied")).toList()).isEmpty();
    }

    @Test
    void aPluginBuiltWithAnotherJdkJoinsTheJvmAlreadyInTheProcess() throws Exception {
        List<String> out = run(Map.of("FLB4J_JAVA_HOME", "", "JAVA_HOME", ""), "two", counting.toString(),
                otherJdk.toString(), chunk.toString(), "expected_fields=2");
        assertThat(out.stream().filter(l -> l.equals("flush ok=200 retry=0 error=0")).count()).isEqualTo(2);
        assertThat(out.stream().filter(l -> l.endsWith("received 20000 events")).count()).isEqualTo(2);
        assertThat(out.stream().anyMatch(l -> l.contains("[flb4j:other_jdk] joining the JVM this process already loaded ("
                + System.getProperty("java.home")))).isTrue();
        assertThat(out.stream().filter(l -> l.contains("jvmOptions are not applied")).toList()).containsExactly(
                "log 2 [flb4j:other_jdk] the JVM was already started (by the flb4j plugin counting), so this plugin's "
                + "jvmOptions are not applied: -Xmx64m -Xss2m. Give them to the plugin that starts the JVM, or to "
                + "FLB4J_JVM_OPTIONS");
    }

    @Test
    void theOneSecondCollectStillDeliversEverythingInOrderAndNothingWhilePaused() throws Exception {
        // Init on the main thread: not a threaded input, so the event path is refused.
        Path collected = WORK.resolve("collected.bin");
        List<String> out = run("input", numbers.toString(), collected.toString(), "200000", "20000");
        assertThat(out).contains("init rc=1");
        assertThat(out).contains("log 3 [flb4j:numbers] batches go to Fluent Bit on the proxy's 1-second collect: "
                + "the input does not run on a thread of its own");
        String summary = out.stream().filter(l -> l.startsWith("collected ")).findFirst().orElseThrow();
        assertThat(summary).endsWith("paused_bytes=0");
        assertInOrderWithoutGaps(collected, 200000);
        assertThat(out).contains("exit rc=1");
        assertThat(out).contains("done");
    }

    @Test
    void batchesGoByTheEventPathOnTheInputThreadInOrderAndNothingWhilePaused() throws Exception {
        Path appended = WORK.resolve("appended.bin");
        List<String> out = run("input-events", numbers.toString(), appended.toString(), "6000000", "30000");
        assertThat(out).contains("init rc=1");
        assertThat(out.stream().filter(l -> l.contains("1-second collect")).toList()).isEmpty();
        String summary = out.stream().filter(l -> l.startsWith("appended ")).findFirst().orElseThrow();
        assertThat(summary).contains("collected_bytes=0");
        assertThat(summary).endsWith("appends_while_paused=0");
        assertInOrderWithoutGaps(appended, 6000000);
        assertThat(out).contains("exit rc=1");
        assertThat(out).contains("done");
    }

    @Test
    void eventsAreHandedOffOnlyOnceTheEngineHasMovedThemFromTheRingIntoAChunk() throws Exception {
        for (String version : List.of("5.1.1", "3.2.10")) {
            List<String> out = run(Map.of("FLB_VERSION", version), "input-events", ringInput.toString(),
                    WORK.resolve("ring.bin").toString(), "100000000", "2500");
            assertThat(out.stream().filter(l -> l.contains("count as handed off")).toList()).isEmpty();
            long drained = 0;
            long handedOff = 0;
            for (String line : out) {
                if (line.startsWith("drained events=")) {
                    drained = Long.parseLong(line.substring("drained events=".length()));
                } else if (line.contains("handed off up to ")) {
                    handedOff = Long.parseLong(line.substring(line.indexOf("handed off up to ") + 17));
                    assertWithMessage("%s: %s after %s drained", version, line, drained).that(handedOff).isAtMost(drained);
                }
            }
            assertWithMessage(version).that(handedOff).isAtLeast(30);
            // A quiet source: each batch wakes the engine through the ring's signal pipe instead of
            // waiting for its 250-ms timer (about 4 drains in the run).
            long drains = out.stream().filter(l -> l.startsWith("drained events=")).count();
            assertWithMessage("%s: %s drains", version, drains).that(drains).isAtLeast(15);
            assertThat(out.stream().anyMatch(l -> l.matches("ring wakes=[1-9][0-9]*"))).isTrue();
        }
    }

    /**
     * At a stop Fluent Bit pauses the input and then still drains its ring into chunks, which
     * before 4.0.3 it may free unflushed: there what the engine reads after the stop's pause is
     * not handed off (its source is told), from 4.0.3 on it is.
     */
    @Test
    void whatTheEngineReadsAfterTheStopsPauseIsHandedOffOnlyWhereFluentBitStillFlushesIt() throws Exception {
        for (String version : List.of("3.2", "4.0.3", "5.1.1")) {
            List<String> out = run(Map.of("FLB_VERSION", version, "TESTHOST_STOP_PAUSE", "1"), "input-events",
                    ringInput.toString(), WORK.resolve("ring.bin").toString(), "100000000", "1000", "count=100");
            int pause = out.indexOf("stop pause");
            assertWithMessage(version).that(pause).isAtLeast(0);
            long drainedBefore = lastNumber(out.subList(0, pause), "drained events=");
            long drained = lastNumber(out, "drained events=");
            long handedOff = lastNumber(out, "handed off up to ");
            assertWithMessage(version).that(drained).isGreaterThan(drainedBefore);   // the ring was read after the pause
            if (version.equals("3.2")) {
                assertWithMessage(version).that(handedOff).isAtMost(drainedBefore);
                assertWithMessage(version).that(out.stream().anyMatch(l -> l.contains("[flb4j:ring_in#1] stopping with ")
                        && l.contains(" event(s) not taken by Fluent Bit"))).isTrue();
            } else {
                assertWithMessage(version).that(handedOff).isEqualTo(drained);
            }
        }
    }

    /**
     * Fluent Bit before 4.0.6 closes a time collector's timerfd twice when it pauses it, and when
     * it destroys one still running; between the two closes another thread may be given that
     * number (3.2.10: the engine's shutdown timer, a flush's eventfd). The shim stops the proxy's
     * 1-second collector itself, on the input thread, before each pause and at exit; the collector
     * still ticks after a resume.
     */
    @Test
    void theProxysTimerCollectorIsNeverClosedTwice() throws Exception {
        for (String version : List.of("3.2.10", "4.0.5", "5.1.1")) {
            for (String stopPause : List.of("1", "0")) {   // the input paused at the stop, or exiting running
                List<String> out = run(Map.of("FLB_VERSION", version, "TESTHOST_STOP_PAUSE", stopPause), "input-events",
                        ringInput.toString(), WORK.resolve("timer.bin").toString(), "100000000", "2500");
                assertWithMessage("%s: %s", version, out).that(out.stream()
                        .filter(l -> l.contains("closed a second time")).toList()).isEmpty();
                String summary = out.stream().filter(l -> l.startsWith("timer collector ")).findFirst().orElseThrow();
                assertWithMessage(version).that(summary).matches("timer collector pauses=" + (stopPause.equals("1") ? 2 : 1)
                        + " resumes=1 collects=[1-9][0-9]* second_closes=0 running_after_exit=0");
                assertThat(out).contains("done");
            }
        }
    }

    /** The number after the last line's {@code marker} among {@code lines}, 0 when none has it. */
    private static long lastNumber(List<String> lines, String marker) {
        long n = 0;
        for (String line : lines) {
            int at = line.indexOf(marker);
            if (at >= 0) {
                n = Long.parseLong(line.substring(at + marker.length()).trim());
            }
        }
        return n;
    }

    @Test
    void aRingWhoseSignalPipeIsNotRecognisedIsLeftToTheEnginesTimerAndThatIsSaid() throws Exception {
        List<String> out = run(Map.of("TESTHOST_RING_NO_SIGNAL", "1"), "input-events", ringInput.toString(),
                WORK.resolve("ring.bin").toString(), "100000000", "1500");
        assertThat(out.stream().filter(l -> l.contains("the ring buffer's signal pipe was not recognised")).count())
                .isEqualTo(1);
        assertThat(out).contains("ring wakes=0");
        assertThat(out.stream().filter(l -> l.startsWith("drained events=")).count()).isAtMost(8);
        assertThat(out.stream().filter(l -> l.contains("handed off up to 40")).count()).isEqualTo(1);
    }

    @Test
    void withoutTheRingBufferEventsAreHandedOffOnAppendAndThatIsSaid() throws Exception {
        Map<String, String> cases = Map.of(
                "TESTHOST_NO_RING", "the input's ring buffer was not found",
                "TESTHOST_RING_UNUSED", "the append did not write to the ring buffer found");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            List<String> out = run(Map.of(c.getKey(), "1"), "input-events", ringInput.toString(),
                    WORK.resolve("ring.bin").toString(), "100000000", "1500");
            assertWithMessage(c.getKey()).that(out.stream().filter(l -> l.contains("[flb4j:ring_in")
                    && l.contains("events count as handed off when Fluent Bit's append returns, before its engine puts "
                    + "them in a chunk (" + c.getValue() + ")")).count()).isEqualTo(1);
            assertWithMessage(c.getKey()).that(out.stream().filter(l -> l.contains("handed off up to 40")).count())
                    .isEqualTo(1);
        }
    }

    private static void assertInOrderWithoutGaps(Path file, int atLeast) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length).isAtLeast(atLeast);
        long expected = 0;
        for (Event e : ChunkDecoder.events(ByteBuffer.wrap(bytes))) {
            assertThat(e.record().get("n")).isEqualTo(expected++);
        }
    }

    @Test
    void twoInstancesOfOnePluginAreTwoSeriesToldApartByName() throws Exception {
        List<String> out = run("instances", counting.toString(), chunk.toString(), "2", "expected_fields=2");
        assertThat(out).contains("metric fluentbit_counting_events_total{name=counting.0} 100");
        assertThat(out).contains("metric fluentbit_counting_events_total{name=counting.1} 100");
        assertThat(out.stream().filter(l -> l.equals("exit rc=1")).count()).isEqualTo(2);
    }

    /** Fluent Bit reinstalls its SIGSEGV/SIGFPE handlers on every SIGHUP and SIGCONT (the test host too). */
    @Test
    void aBusyInputSurvivesSighupAndSigcont() throws Exception {
        ChildProcess r = busyInputUnderSignals(Map.of());
        assertThat(r.output()).contains("keeping the JVM's fault handlers: the executable's signal() is hooked");
    }

    /** The fallback for an executable whose signal() cannot be hooked. */
    @Test
    void aBusyInputSurvivesSighupAndSigcontWithWrappedHandlers() throws Exception {
        ChildProcess r = busyInputUnderSignals(Map.of("FLB4J_SIGNAL_GUARD", "wrap"));
        assertThat(r.output()).contains("keeping the JVM's fault handlers: Fluent Bit's SIGHUP and SIGCONT handlers are wrapped");
    }

    private static ChildProcess busyInputUnderSignals(Map<String, String> env) throws Exception {
        ChildProcess r = testhost.result(env, "signals", numbers.toString(), "3", "12");
        assertThat(r.output()).doesNotContain("caught signal (SIGSEGV)");
        assertThat(r.output()).contains("caught signal (SIGHUP)");
        assertThat(r.output()).contains("caught signal (SIGCONT)");
        assertThat(r.output()).contains("signals sent=12");
        assertThat(r.output()).contains("segv handler after signals: not the host's");
        assertThat(r.output()).contains("done");
        assertThat(r.exitCode()).isEqualTo(0);
        return r;
    }

    /**
     * Without the shim's guard the host's SIGSEGV handler replaces the JVM's at the first signal,
     * as in Fluent Bit: the test can fail. (The run then crashes when a JVM fault comes, which is
     * likely but not certain within a short run, so the handler itself is what is checked.)
     */
    @Test
    void withoutTheSignalGuardTheHostsHandlerReplacesTheJvms() throws Exception {
        ChildProcess r = testhost.result(Map.of("FLB4J_SIGNAL_GUARD", "off"), "signals", numbers.toString(), "2", "4");
        // Either shows the bug: the handler replaced, or the crash it leads to having come already.
        assertThat(r.output().contains("segv handler after signals: host")
                || r.output().contains("caught signal (SIGSEGV)")).isTrue();
    }

    @Test
    void aFaultInTheHostsOwnCodeStillReachesItsHandler() throws Exception {
        ChildProcess r = testhost.result(Map.of(), "crash", counting.toString(), "expected_fields=2");
        assertThat(r.output()).contains("crashing");
        assertThat(r.output()).contains("caught signal (SIGSEGV)");
        assertThat(r.output()).doesNotContain("survived a fault");
        assertThat(r.exitCode()).isEqualTo(134);
    }

    /** Each release's struct lengths, ending at a page the process cannot touch, under AddressSanitizer. */
    @Test
    void everyReleaseLayoutFrom22To511WithoutOverrun() throws Exception {
        for (String release : RELEASES) {
            Map<String, String> env = Map.of("FLB_VERSION", release);
            ChildProcess out = sanitized.result(env, "output", counting.toString(), chunk.toString(), "20", "2",
                    "expected_fields=2");
            assertThat(out.output()).contains("flush ok=40 retry=0 error=0");
            assertThat(out.exitCode()).isEqualTo(0);
            ChildProcess in = sanitized.result(env, "input", numbers.toString(), WORK.resolve("in-" + release).toString(),
                    "20000", "20000");
            assertThat(in.output()).contains("exit rc=1");
            assertThat(in.exitCode()).isEqualTo(0);
            assertThat(in.output()).doesNotContain("AddressSanitizer");
        }
    }

    /**
     * event_type (a metrics output) from 4.2.3: on 5.0+ by an exported function; on 4.2.x by the
     * size of the def Fluent Bit allocated, which AddressSanitizer's allocator reports exactly and
     * glibc's does not tell apart (32 and 40 bytes are one size class): then refused, saying why.
     */
    @Test
    void aMetricsOutputRegistersFrom423AndIsRefusedWithOneLineBefore() throws Exception {
        ChildProcess old = sanitized.result(Map.of("FLB_VERSION", "4.2"), "register", metricsOutput.toString());
        assertThat(old.output()).contains("registered name=metrics_out type=0 proxy=11");
        assertThat(old.output()).contains("[flb4j:metrics_out] outputs of metrics or traces need Fluent Bit 4.2.3 or "
                + "later; this Fluent Bit is older, so the plugin is not registered");
        assertThat(old.exitCode()).isEqualTo(0);
        ChildProcess first = sanitized.result(Map.of("FLB_VERSION", "4.2.3"), "register", metricsOutput.toString());
        assertThat(first.output()).contains("registered name=metrics_out type=2 proxy=11");
        ChildProcess glibc = testhost.result(Map.of("FLB_VERSION", "4.2.3"), "register", metricsOutput.toString());
        assertThat(glibc.output()).contains("registered name=metrics_out type=0 proxy=11");
        assertThat(glibc.output()).contains("its memory allocator cannot tell 4.2.3 from an earlier release");
        for (var host : List.of(testhost, sanitized)) {
            ChildProcess current = host.result(Map.of("FLB_VERSION", "5.0"), "register", metricsOutput.toString());
            assertThat(current.output()).contains("registered name=metrics_out type=2 proxy=11");
        }
    }

    /**
     * A secret key's value appears in no line the test host prints: Fluent Bit's help (the
     * config_map), log lines, the error of a value that breaks its rule, the metrics; nor in the
     * generated docs.
     */
    @Test
    void aSecretNeverAppears() throws Exception {
        String good = "Sup3r-S3cret-Value";
        String bad = "S3c-x";
        List<String> lines = new ArrayList<>();
        ChildProcess help = sanitized.result(Map.of("FLB_VERSION", "5.1.1"), "register", secret.toString());
        assertThat(help.output()).contains("config_map type=0 name=password default=(none) desc=Database password. "
                + "Required. Must be 8 to 64 long. Secret: never shown.");
        lines.add(help.output());
        ChildProcess runs = sanitized.result(Map.of(), "output", secret.toString(), chunk.toString(), "2", "1",
                "password=" + good, "user=svc");
        assertThat(runs.output()).contains("flush ok=2 retry=0 error=0");
        assertThat(runs.output()).contains("metric fluentbit_secret_out_flushes_total{name=secret_out.0,user=svc} 2");
        lines.add(runs.output());
        ChildProcess refused = sanitized.result(Map.of(), "output", secret.toString(), chunk.toString(), "1", "1",
                "password=" + bad);
        assertThat(refused.output()).contains("key 'password' has a value (not shown: the key is secret), which breaks "
                + "@Size(min = 8, max = 64): it must be 8 to 64 long");
        lines.add(refused.output());
        Path docs = WORK.resolve("secret-docs");
        for (Path f : PluginDocs.write(TestPlugins.descriptor(WORK.resolve("secret_out-classes")), docs)) {
            lines.add(Files.readString(f));
        }
        for (String text : lines) {
            assertThat(text).doesNotContain(good);
            assertThat(text).doesNotContain(bad);
        }
    }

    /**
     * An input's metrics reach Fluent Bit as cmetrics contexts, by the event path and by the
     * 1-second collect, each appended with flb_input_metrics_append on the input's thread (the
     * test host keeps the bytes it was given; the real decoder is checked against real Fluent
     * Bit, README "Inputs of metrics"), and its log events beside them as logs.
     */
    @Test
    void anInputsMetricsAreAppendedAsMetrics() throws Exception {
        for (String command : List.of("input-events", "input")) {
            Path out = WORK.resolve("metrics-" + command + ".bin");
            List<String> lines = run(command, metricsInput.toString(), out.toString(), "100000", "1500");
            assertThat(lines).contains("init rc=1");
            assertThat(lines).contains("metrics contexts=3 bytes=" + Files.size(Path.of(out + ".metrics")));
            checkTraces(lines, out);
            List<io.flb4j.api.telemetry.MetricSet> sets = io.flb4j.codec.TelemetryDecoder.metrics(
                    ByteBuffer.wrap(Files.readAllBytes(Path.of(out + ".metrics"))));
            assertThat(sets).hasSize(3);
            for (int i = 1; i <= 3; i++) {
                var metrics = sets.get(i - 1).metrics();
                assertThat(metrics.stream().map(io.flb4j.api.telemetry.Metric::fullName).toList())
                        .containsExactly("ticks_total", "queue_depth", "latency_seconds", "size_bytes").inOrder();
                assertThat(metrics.get(0).samples().get(0).value()).isEqualTo((double) i);
                assertThat(metrics.get(0).samples().get(0).labels()).isEqualTo(Map.of("source", "test"));
                assertThat(metrics.get(2).samples().get(0).histogram().bucketCounts())
                        .containsExactly((long) i, 2L * i, 3L * i).inOrder();
                assertThat(metrics.get(3).samples().get(0).summary().quantileValues())
                        .containsExactly(100.0 * i, 900.0 * i).inOrder();
            }
            List<String> messages = new ArrayList<>();
            ChunkDecoder.events(ByteBuffer.wrap(Files.readAllBytes(out)))
                    .forEach(e -> messages.add(String.valueOf(e.record().get("message"))));
            assertThat(messages).containsExactly("tick 1", "tick 2", "tick 3").inOrder();
        }
    }

    /** The three trace sets MetricsInput emits, as the test host's flb_input_trace_append got them. */
    private static void checkTraces(List<String> lines, Path out) throws Exception {
        Path file = Path.of(out + ".traces");
        assertThat(lines).contains("traces contexts=3 bytes=" + Files.size(file) + " alive=0");
        List<io.flb4j.api.telemetry.TraceSet> traces = io.flb4j.codec.TelemetryDecoder.traces(
                ByteBuffer.wrap(Files.readAllBytes(file)));
        assertThat(traces).hasSize(3);
        for (int i = 1; i <= 3; i++) {
            var resource = traces.get(i - 1).resourceSpans().get(0);
            assertThat(resource.attributes()).isEqualTo(Map.of("service.name", "metrics_in"));
            var spans = resource.scopeSpans().get(0).spans();
            assertThat(spans.get(0).name()).isEqualTo("tick " + i);
            assertThat(spans.get(0).attributes()).isEqualTo(Map.of("tick", (long) i));
            assertThat(spans.get(1).parentSpanId()).isEqualTo(spans.get(0).spanId());
            assertThat(spans.get(1).traceId()).isEqualTo(spans.get(0).traceId());
            assertThat(spans.get(1).events().get(0).attributes()).isEqualTo(Map.of("attempt", 2L));
            assertThat(spans.get(1).links().get(0).spanId()).isEqualTo(spans.get(0).spanId());
            assertThat(spans.get(1).status().message()).isEqualTo("timeout");
        }
    }

    /**
     * Who owns a traces context after flb_input_trace_append changed in 4.0.0: before, the caller
     * destroys it; after, a successful append does. Under AddressSanitizer, on both sides of the
     * change, every context is destroyed once (a double free would abort, a leak shows as alive).
     */
    @Test
    void anInputsTracesAreDestroyedOnceOnEitherSideOf400() throws Exception {
        for (String version : List.of("3.2", "4.0.3", "5.1.1")) {
            Path out = WORK.resolve("traces-" + version + ".bin");
            ChildProcess p = sanitized.result(Map.of("FLB_VERSION", version), "input-events", metricsInput.toString(),
                    out.toString(), "100000", "1500");
            assertThat(p.output()).doesNotContain("AddressSanitizer");
            checkTraces(p.output().lines().toList(), out);
        }
    }

    /** Custom plugins from 4.0.3, told by flb_proxy_custom_cb_init; before, one line and type 0. */
    @Test
    void aCustomPluginRegistersFrom403() throws Exception {
        ChildProcess old = sanitized.result(Map.of("FLB_VERSION", "3.2"), "register", custom.toString());
        assertThat(old.output()).contains("registered name=settings type=0 proxy=11");
        assertThat(old.output()).contains("[flb4j:settings] custom plugins need Fluent Bit 4.0.3 or later");
        ChildProcess first = sanitized.result(Map.of("FLB_VERSION", "4.0.3"), "register", custom.toString());
        assertThat(first.output()).contains("registered name=settings type=3 proxy=11");
        assertThat(first.output()).doesNotContain("AddressSanitizer");
    }

    /**
     * config_map from 5.1.1 only: 5.1.0's def is 8 bytes shorter (a write there is caught by
     * AddressSanitizer). On 5.1.1 the keys are listed with defaults and help, flb4j's own
     * included, and a misspelled key stops start-up as Fluent Bit stops it.
     */
    @Test
    void theConfigMapIsGivenTo511AndNeverWrittenBefore() throws Exception {
        for (var host : List.of(testhost, sanitized)) {
            ChildProcess before = host.result(Map.of("FLB_VERSION", "5.1.0"), "register", counting.toString());
            assertThat(before.output()).contains("registered name=counting type=2 proxy=11");
            assertThat(before.output()).doesNotContain("config_map");
            assertThat(before.output()).doesNotContain("AddressSanitizer");
            ChildProcess now = host.result(Map.of("FLB_VERSION", "5.1.1"), "register", counting.toString());
            assertThat(now.output()).contains("config_map type=2 name=expected_fields default=(none) desc=(no "
                    + "description). Required.");
            assertThat(now.output()).contains("config_map type=6 name=flb4j.flush_timeout default=20s desc=A flush not "
                    + "answered by then is answered RETRY and its thread interrupted.");
            assertThat(now.output()).contains("config_map type=2 name=flb4j.max_flushes default=1");
        }
        ChildProcess typo = sanitized.result(Map.of("FLB_VERSION", "5.1.1"), "output", counting.toString(),
                chunk.toString(), "1", "1", "expected_fileds=2");
        assertThat(typo.output()).contains("config error: counting: unknown configuration property 'expected_fileds'");
        ChildProcess older = sanitized.result(Map.of("FLB_VERSION", "5.1.0"), "output", counting.toString(),
                chunk.toString(), "1", "1", "expected_fields=2", "Match=*");
        assertThat(older.output()).contains("flush ok=1 retry=0 error=0");
        ChildProcess right = sanitized.result(Map.of("FLB_VERSION", "5.1.1"), "output", counting.toString(),
                chunk.toString(), "1", "1", "expected_fields=2", "Match=*", "flb4j.flush_timeout=5s");
        assertThat(right.output()).contains("flush ok=1 retry=0 error=0");
        // A plugin that reads keys it did not declare (dynamicKeys = true) tells Fluent Bit nothing.
        ChildProcess dynamic = sanitized.result(Map.of("FLB_VERSION", "5.1.1"), "register", dynamicKeys.toString());
        assertThat(dynamic.output()).contains("registered name=dynamic_out type=2 proxy=11");
        assertThat(dynamic.output()).doesNotContain("config_map");
    }

    /**
     * Another local user plants a file where the old jar cache was (same name and size) and a
     * symlink: the plugin runs its own bytes, with HOME and XDG_CACHE_HOME unset.
     */
    @Test
    void plantedFilesWhereTheCacheWasAreNeverLoaded() throws Exception {
        String uid = new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).trim();
        Path planted = Path.of("/tmp/flb4j-" + uid);
        Files.createDirectories(planted);
        planted.toFile().setWritable(true, false);
        byte[] bundle = Files.readAllBytes(WORK.resolve("counting.jar"));
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bundle));
        Path same = planted.resolve("counting-" + sha + ".jar");
        Files.write(same, new byte[bundle.length]);
        Path link = planted.resolve("counting.jar");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, same);
        try (var before = Files.list(planted)) {
            Set<Path> files = before.collect(Collectors.toSet());
            Map<String, String> env = new java.util.HashMap<>(Map.of("HOME", "", "XDG_CACHE_HOME", "",
                    "FLB4J_CACHE_DIR", planted.toString()));
            List<String> out = run(env, "output", counting.toString(), chunk.toString(), "3", "1", "expected_fields=2");
            assertThat(out).contains("flush ok=3 retry=0 error=0");
            assertThat(out.stream().filter(l -> l.contains("ClassNotFound") || l.contains("failed")).toList()).isEmpty();
            try (var after = Files.list(planted)) {
                assertThat(after.collect(Collectors.toSet())).isEqualTo(files);
            }
        } finally {
            Files.deleteIfExists(link);
            Files.deleteIfExists(same);
        }
    }

    /** Each reload's class loader is collected: the JVM logs every old generation's classes unloaded. */
    @Test
    void everyOldGenerationIsUnloaded() throws Exception {
        List<String> out = run(Map.of("FLB4J_JVM_OPTIONS", "-Xlog:class+unload=info"), "reload", counting.toString(),
                chunk.toString(), "6", "expected_fields=2");
        assertThat(out).contains("reload ok=6");
        assertThat(out.stream().filter(l -> l.contains("unloading class io.flb4j.engine.jvm.JvmEntry")).count())
                .isAtLeast(5);
    }

    /**
     * A driver the plugin bundles is found through DriverManager in every generation (DriverManager
     * loads drivers once per JVM and answers only with those the caller's loader sees), and the
     * old generation's is deregistered, so its class loader is collected.
     */
    @Test
    void driverManagerFindsTheBundledDriverAfterEveryReload() throws Exception {
        List<String> out = run(Map.of("FLB4J_JVM_OPTIONS", "-Xlog:class+unload=info"), "reload", jdbc.toString(),
                chunk.toString(), "6");
        assertThat(out).contains("reload ok=6");
        assertThat(out.stream().filter(l -> l.equals("log 3 [flb4j:jdbc_out#1] connected through Connection")).count())
                .isEqualTo(6);
        assertThat(out.stream().filter(l -> l.contains("unloading class io.flb4j.testplugins.JdbcOutput$TestDriver"))
                .count()).isAtLeast(5);
    }

    /**
     * pgjdbc's and Jackson's patterns (a driver registered through DriverManager, a library thread
     * started by a static initializer, a per-thread cache on the flush thread) leave no generation
     * behind after 25 reloads: the driver is deregistered, the thread interrupted (it ends, as
     * pgjdbc's does with nothing to clean), the flush thread ends with its instance. Without the
     * interrupt, each generation would stay for the thread's 30 idle seconds and be reported.
     */
    @Test
    void libraryPatternsLeaveNoGenerationBehind() throws Exception {
        List<String> out = run(Map.of("FLB4J_JVM_OPTIONS", "-Xlog:class+unload=info"), "reload", patterns.toString(),
                chunk.toString(), "25");
        assertThat(out).contains("reload ok=25");
        assertThat(out.stream().filter(l -> l.equals("log 3 [flb4j:patterns_out#1] connected; cleaner thread running: true"))
                .count()).isEqualTo(25);
        assertThat(out.stream().filter(l -> l.contains("not unloaded")).toList()).isEmpty();
        assertThat(out.stream().filter(l -> l.startsWith("log 3 [flb4j:patterns_out] the generation's threads "
                + "[patterns-cleaner] were still running after close(); interrupted, they ended")).count()).isEqualTo(25);
        assertThat(out.stream().filter(l -> l.contains("unloading class io.flb4j.testplugins.LibraryPatternsOutput$Recycler"))
                .count()).isAtLeast(24);
    }

    /**
     * A plugin that loads a JNI library from a fixed path loads it again in every generation: the
     * JVM lets one class loader at a time hold a library, and the generation before is unloaded
     * (its library with it) before the next one's init. Without that, the second init threw
     * UnsatisfiedLinkError (already loaded in another classloader), and Fluent Bit aborts such a
     * reload and exits. A generation something still holds keeps its library: the next init fails
     * as before, after a warning that says why.
     */
    @Test
    void aJniLibraryIsLoadedAgainInEachGeneration() throws Exception {
        Path source = WORK.resolve("native-add.c");
        Files.writeString(source, """
                #include <jni.h>
                JNIEXPORT jint JNICALL Java_io_flb4j_testplugins_NativeLibraryOutput_add(JNIEnv *e, jclass c, jint a, jint b)
                { return a + b; }
                """);
        Path library = WORK.resolve("libnative-add.so");
        Path include = Path.of(System.getProperty("java.home"), "include");
        ChildProcess cc = ChildProcess.run(List.of("cc", "-shared", "-fPIC", "-I" + include, "-I" + include.resolve("linux"),
                source.toString(), "-o", library.toString()), Map.of(), WORK, java.time.Duration.ofMinutes(1));
        assertWithMessage(cc.output()).that(cc.exitCode()).isEqualTo(0);

        List<String> out = run(Map.of(), "reload", nativeLibrary.toString(), chunk.toString(), "4", "library=" + library);
        assertThat(out).contains("reload ok=4");
        assertThat(out.stream().filter(l -> l.equals("log 3 [flb4j:native_out#1] loaded; add(2, 3) = 5")).count()).isEqualTo(4);
        assertThat(out.stream().filter(l -> l.equals("log 3 [flb4j:native_out#1] counted 100 events")).count()).isEqualTo(4);
        assertThat(out.stream().filter(l -> l.contains("UnsatisfiedLinkError") || l.contains("still loaded")).toList()).isEmpty();

        List<String> held = run(Map.of(), "reload", nativeLibrary.toString(), chunk.toString(), "2", "library=" + library,
                "hold=on");
        assertThat(held.stream().filter(l -> l.contains("the JNI library " + library + " of the generation before is still "
                + "loaded")).count()).isEqualTo(1);
        assertThat(held.stream().filter(l -> l.contains("UnsatisfiedLinkError: Native Library " + library
                + " already loaded in another classloader")).count()).isAtLeast(1);
    }

    /** Soft references kept whatever the heap's room, so that what only they hold stays to be reported. */
    private static final Map<String, String> KEEP_SOFT_REFERENCES =
            Map.of("FLB4J_JVM_OPTIONS", "-XX:SoftRefLRUPolicyMSPerMB=1000000");

    /** The leak reports of two reloads of leaky_out with {@code leak}, after checking both reloads were done. */
    private static List<String> leakReports(Map<String, String> env, String leak) throws Exception {
        List<String> out = run(env, "reload", leaky.toString(), chunk.toString(), "2", "leak=" + leak);
        assertThat(out).contains("reload ok=2");
        return out.stream().filter(l -> l.contains("not unloaded")).toList();
    }

    /** A generation that is not unloaded gets one warning naming what holds it; one that is, none. */
    @Test
    void aGenerationThatLeaksIsReportedNamingTheHolder() throws Exception {
        List<String> out = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "3");
        assertThat(out).contains("reload ok=3");
        List<String> warnings = out.stream().filter(l -> l.contains("of the plugin was not unloaded")).toList();
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).startsWith("log 2 [flb4j:leaky_out] generation 1 of the plugin was not unloaded by "
                + "the end of generation 2");
        assertThat(warnings.get(0)).containsMatch("held by thread 'leaky-library-thread' \\(it runs the generation's "
                + "io\\.flb4j\\.testplugins\\.LeakyOutput\\.lambda\\$init\\$[0-9]+\\)");
        assertThat(warnings.get(1)).startsWith("log 2 [flb4j:leaky_out] generation 2 of the plugin was not unloaded by "
                + "the end of generation 3");
        List<String> local = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "2", "leak=threadlocal");
        List<String> byLocal = local.stream().filter(l -> l.contains("not unloaded")).toList();
        assertThat(byLocal).hasSize(1);
        assertThat(byLocal.get(0)).containsMatch("generation 1 of the plugin was not unloaded .*: held by a ThreadLocal "
                + "on thread 'pool-[0-9]+-thread-1' holding a io.flb4j.testplugins.LeakyOutput\\$Cached\\. Stop");
        List<String> plain = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "2", "leak=pool");
        assertThat(plain.stream().filter(l -> l.contains("not unloaded")).toList()).isEmpty();
        assertThat(plain.stream().filter(l -> l.matches("log 3 \\[flb4j:leaky_out\\] the generation's thread pools "
                + "\\['pool-[0-9]+-thread-1' \\(java.util.concurrent.ScheduledThreadPoolExecutor, 1 queued task\\(s\\) "
                + "dropped\\)\\] were still running after close\\(\\); flb4j shut them down")).count()).isEqualTo(2);
        List<String> pool = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "2", "leak=jdk_pool");
        List<String> byPool = pool.stream().filter(l -> l.contains("not unloaded")).toList();
        assertThat(byPool).hasSize(1);
        assertThat(byPool.get(0)).containsMatch("generation 1 of the plugin was not unloaded .*: held by thread "
                + "'pool-[0-9]+-thread-1' \\(the generation started it and it still runs: the pool, executor or client it "
                + "works for was not closed, and holds the generation's objects as its work\\)\\. Stop");
        List<String> library = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "2", "leak=library_pool");
        assertThat(library.stream().filter(l -> l.contains("not unloaded")).toList()).isEmpty();
        assertThat(library.stream().filter(l -> l.equals("log 3 [flb4j:leaky_out] the generation's thread pools "
                + "['library-housekeeper' (java.util.concurrent.ScheduledThreadPoolExecutor, 1 queued task(s) dropped)] "
                + "were still running after close(); flb4j shut them down")).count()).isEqualTo(2);
        List<String> jfr = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "2", "leak=jfr_listener");
        assertThat(jfr.stream().filter(l -> l.contains("not unloaded")).toList()).isEmpty();
        assertThat(jfr.stream().filter(l -> l.equals("log 3 [flb4j:leaky_out] the generation's Flight Recorder listeners "
                + "[io.flb4j.testplugins.LeakyOutput$Recorded] were still registered after close(); flb4j removed them"))
                .count()).isEqualTo(2);
        // A library's own ForkJoinPool never shut down (its idle worker waits 60 s): shut down at the generation's end.
        List<String> forkJoin = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "2", "leak=fork_join");
        assertThat(forkJoin.stream().filter(l -> l.equals("log 3 [flb4j:leaky_out] the generation's thread pools "
                + "['library-fj-0' (java.util.concurrent.ForkJoinPool)] were still running after close(); flb4j shut them "
                + "down")).count()).isEqualTo(2);
        assertThat(forkJoin.stream().filter(l -> l.contains("not unloaded") || l.contains("still run its code")).toList())
                .isEmpty();
        // A java.util.Timer with a periodic task of the generation's: cancelled at its end.
        List<String> timer = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "2", "leak=timer");
        assertThat(timer.stream().filter(l -> l.equals("log 3 [flb4j:leaky_out] the generation's timers ['leaky-timer' "
                + "(java.util.Timer, 1 task(s) dropped)] were still running after close(); flb4j cancelled them"))
                .count()).isEqualTo(2);
        assertThat(timer.stream().filter(l -> l.contains("not unloaded")).toList()).isEmpty();
        // A shutdown hook of the generation's: run at its end, as at the JVM's exit, and removed.
        List<String> hook = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "3", "leak=hook");
        assertThat(hook.stream().filter(l -> l.equals("log 3 [flb4j:leaky_out] the generation's shutdown hooks "
                + "[leaky-hook] ran at its end, as at the JVM's exit, and were removed")).count()).isEqualTo(3);
        assertThat(hook.stream().filter(l -> l.equals("hook ran")).count()).isEqualTo(3);
        assertThat(hook.stream().filter(l -> l.contains("not unloaded")).toList()).isEmpty();
        // A thread that dies of flb4j's interrupt: said once at info, no stack trace on standard error.
        List<String> sleeper = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "2", "leak=sleeper");
        assertThat(sleeper.stream().filter(l -> l.equals("log 3 [flb4j:leaky_out] the generation's threads "
                + "[sleeping-library-thread] were still running after close(); interrupted, they ended")).count()).isEqualTo(2);
        assertThat(sleeper.stream().filter(l -> l.contains("Exception in thread")).toList()).isEmpty();
        assertThat(sleeper.stream().filter(l -> l.contains("not unloaded")).toList()).isEmpty();
        // Held for 1.5 s by the JVM's finalizer thread, running its finalize(): not reported.
        List<String> finalized = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "4", "leak=finalizer");
        assertThat(finalized).contains("reload ok=4");
        assertThat(finalized.stream().filter(l -> l.contains("not unloaded")).toList()).isEmpty();
        // The generation ends while the JVM's finalizer thread runs its finalize(): that thread is not interrupted.
        List<String> finalizing = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "2", "leak=finalizing");
        assertThat(finalizing).contains("reload ok=2");
        assertThat(finalizing).doesNotContain("finalize interrupted");
        assertThat(finalizing.stream().filter(l -> l.contains("not unloaded")).toList()).isEmpty();
        // Held where none of the holders flb4j knows of is (a JDK-wide collection): the heap is
        // walked, and the report names the path from the GC root.
        List<String> byStatic = leakReports(Map.of(), "static");
        assertThat(byStatic).hasSize(1);
        assertThat(byStatic.get(0)).containsMatch("generation 1 of the plugin was not unloaded .*: held by class "
                + "java.lang.System → static field props: java.util.Properties → field map: "
                + "java.util.concurrent.ConcurrentHashMap → field table: java.util.concurrent.ConcurrentHashMap\\$Node\\[\\] "
                + "→ \\[[0-9]+\\]: java.util.concurrent.ConcurrentHashMap\\$Node( → field next: "
                + "java.util.concurrent.ConcurrentHashMap\\$Node)* → field val: io.flb4j.testplugins.LeakyOutput\\$Cached "
                + "\\(the generation's\\) \\(a path from a GC root, found by walking the heap\\)\\. Stop");
        // The same object held weakly beside it: the weak hops are walked around, the strong path named.
        List<String> byWeak = leakReports(Map.of(), "weak_and_static");
        assertThat(byWeak).hasSize(1);
        assertThat(byWeak.get(0)).containsMatch("held by class java.lang.System → .* → field val: java.lang.Object\\[\\] "
                + "→ \\[0\\]: io.flb4j.testplugins.LeakyOutput\\$Cached \\(the generation's\\)");
        assertThat(byWeak.get(0)).doesNotContain("WeakReference");
        // Held only by a SoftReference (kept here while the heap has room): said so.
        List<String> bySoft = leakReports(KEEP_SOFT_REFERENCES, "soft");
        assertThat(bySoft).hasSize(1);
        assertThat(bySoft.get(0)).containsMatch(": held by nothing but references the JVM clears later \\(a "
                + "SoftReference when the heap runs short, a finalizer's once its finalize\\(\\) has run\\): class "
                + "java.lang.System → .* → field val: java.lang.ref.SoftReference → field referent: "
                + "io.flb4j.testplugins.LeakyOutput\\$Cached \\(the generation's\\)");
        // Held by a SoftReference beside weak references: the soft path is the one named.
        List<String> bySoftAndWeak = leakReports(KEEP_SOFT_REFERENCES, "soft_and_weak");
        assertThat(bySoftAndWeak).hasSize(1);
        assertThat(bySoftAndWeak.get(0)).containsMatch(": held by nothing but references the JVM clears later .*: "
                + "class java.lang.System → .* → field val: java.lang.ref.SoftReference → field referent: "
                + "io.flb4j.testplugins.LeakyOutput\\$Cached \\(the generation's\\)");
        // java.beans.Introspector's soft class cache (SnakeYAML, Commons BeanUtils use it) held the
        // generation until a collection cleared soft references: flushed at its end, nothing held.
        assertThat(leakReports(KEEP_SOFT_REFERENCES, "introspector")).isEmpty();
        // A security provider of the generation's, registered under one name by each: removed at its
        // end, so that each generation gets its own.
        List<String> provider = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "3", "leak=provider");
        assertThat(provider).contains("reload ok=3");
        assertThat(provider.stream().filter(l -> l.equals("provider own")).count()).isEqualTo(3);
        assertThat(provider.stream().filter(l -> l.equals("log 3 [flb4j:leaky_out] the generation's security providers "
                + "[LeakyTest (io.flb4j.testplugins.LeakyOutput$LeakyProvider)] were still registered after close(); flb4j "
                + "removed them, so that the next generation registers its own")).count()).isEqualTo(3);
        assertThat(provider.stream().filter(l -> l.contains("not unloaded")).toList()).isEmpty();
        // JVM-wide defaults set to objects of the generation's: set back to the JDK's at its end
        // (the proxy selector to a new one of the JDK's class), so each generation starts with the JDK's.
        List<String> defaults = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "2", "leak=defaults");
        assertThat(defaults).contains("reload ok=2");
        assertThat(defaults.stream().filter(l -> l.equals("log 3 [flb4j:leaky_out] the generation's JVM-wide defaults "
                + "[Thread.setDefaultUncaughtExceptionHandler (io.flb4j.testplugins.LeakyOutput$Uncaught), "
                + "Authenticator.setDefault (io.flb4j.testplugins.LeakyOutput$Credentials), "
                + "ProxySelector.setDefault (io.flb4j.testplugins.LeakyOutput$Proxies)] were still set after close(); "
                + "flb4j set them back to the JDK's defaults")).count()).isEqualTo(2);
        assertThat(defaults.stream().filter(l -> l.startsWith("proxy selector ")).toList())
                .containsExactly("proxy selector the JDK's", "proxy selector the JDK's");
        assertThat(defaults.stream().filter(l -> l.contains("not unloaded")).toList()).isEmpty();
        // A java.util.logging handler of the generation's on the root logger: removed at its end.
        List<String> jul = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "2", "leak=jul_handler");
        assertThat(jul).contains("reload ok=2");
        assertThat(jul.stream().filter(l -> l.equals("log 3 [flb4j:leaky_out] the generation's java.util.logging handlers "
                + "[the root logger: io.flb4j.testplugins.LeakyOutput$LeakyHandler] were still on JUL's loggers after "
                + "close(); flb4j removed them")).count()).isEqualTo(2);
        assertThat(jul.stream().filter(l -> l.contains("not unloaded")).toList()).isEmpty();
        // A JMX bean of the generation's, registered under one name by each: unregistered at its end.
        List<String> mbean = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "3", "leak=mbean");
        assertThat(mbean).contains("reload ok=3");
        assertThat(mbean.stream().filter(l -> l.equals("log 3 [flb4j:leaky_out] the generation's JMX beans "
                + "[io.flb4j.test:type=LeakyStats] were still registered after close(); flb4j unregistered them"))
                .count()).isEqualTo(3);
        assertThat(mbean.stream().filter(l -> l.contains("not unloaded") || l.contains("InstanceAlreadyExists")).toList())
                .isEmpty();
        List<String> clean = run(Map.of(), "reload", counting.toString(), chunk.toString(), "3", "expected_fields=2");
        assertThat(clean.stream().filter(l -> l.contains("not unloaded")).toList()).isEmpty();
        // A thread that ends after an idle timeout (4 s; each reload here takes about 0.6 s): the
        // generation is reported, and said to be unloaded at a later generation's end.
        List<String> idle = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "14", "leak=idle_thread");
        List<String> reported = idle.stream().filter(l -> l.contains("of the plugin was not unloaded")).toList();
        assertThat(reported).isNotEmpty();
        assertThat(reported.get(0)).contains("held by thread 'idle-library-thread' (its class is the generation's) (each "
                + "waits with a timeout: a library thread that ends after an idle timeout");
        List<String> unloaded = idle.stream().filter(l -> l.contains("reported as not unloaded, is unloaded now")).toList();
        assertThat(unloaded).isNotEmpty();
        for (String line : unloaded) {
            String generation = line.replaceAll(".*generation ([0-9]+) of the plugin, reported.*", "$1");
            assertThat(reported.stream().anyMatch(r -> r.contains("generation " + generation + " of the plugin was not "
                    + "unloaded"))).isTrue();
        }
    }

    /** A plugin that calls System.exit ends the process with its status, and one error line says why. */
    @Test
    void systemExitInAPluginSaysWhyTheProcessEnds() throws Exception {
        var p = testhost.result(Map.of(), "output", leaky.toString(), chunk.toString(), "1", "1", "leak=exit");
        assertThat(p.exitCode()).isEqualTo(3);
        assertThat(p.output().lines().toList()).contains("log 1 [flb4j:leaky_out] the JVM is exiting with status 3, and "
                + "Fluent Bit with it: Java code in the plugin (or a library in it) called System.exit or Runtime.halt");
    }

    /**
     * A .so rebuilt in place is not what a hot reload runs (the loaded copy is never unloaded):
     * each reload after the file changed says so, naming the file; an unchanged file says nothing.
     */
    @Test
    void aReloadAfterTheSoChangedOnDiskSaysTheOldBuildRuns() throws Exception {
        Path copy = WORK.resolve("rebuilt").resolve(counting.getFileName());
        Files.createDirectories(copy.getParent());
        Files.copy(counting, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> touched = run(Map.of("TESTHOST_TOUCH_SO", "1"), "reload", copy.toString(), chunk.toString(), "3",
                "expected_fields=2");
        assertThat(touched).contains("reload ok=3");
        assertThat(touched.stream().filter(l -> l.equals("log 2 [flb4j:counting] " + copy + " changed on disk since "
                + "Fluent Bit loaded it; a hot reload runs the plugin as it was loaded at start (a shared object is never "
                + "unloaded): restart Fluent Bit to run the new build")).count()).isEqualTo(2);
        List<String> same = run(Map.of(), "reload", copy.toString(), chunk.toString(), "3", "expected_fields=2");
        assertThat(same.stream().filter(l -> l.contains("changed on disk")).toList()).isEmpty();
    }

    /**
     * A thread that runs on after close() and then loads one of the generation's classes (Netty's
     * event loops end a quiet period after shutdownGracefully()) still can: the generation's jar
     * stays open while its code runs. Closed at once, it failed with NoClassDefFoundError.
     */
    @Test
    void aThreadThatStopsAfterCloseCanStillLoadTheGenerationsClasses() throws Exception {
        List<String> out = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "3", "leak=slow_stop");
        assertThat(out).contains("reload ok=3");
        assertThat(out.stream().filter(l -> l.startsWith("slow stop")).toList()).containsAtLeast(
                "slow stop loaded io.flb4j.testplugins.LeakyOutput$LoadedLate",
                "slow stop loaded io.flb4j.testplugins.LeakyOutput$LoadedLate");
        assertThat(out.stream().filter(l -> l.startsWith("slow stop failed")).toList()).isEmpty();
        assertThat(out.stream().filter(l -> l.equals("log 3 [flb4j:leaky_out] the generation's threads "
                + "[slow-stopping-loop] still run its code after close(); its classes stay loadable until they end"))
                .count()).isAtLeast(2);
        assertThat(out.stream().filter(l -> l.contains("not unloaded")).toList()).isEmpty();
    }

    /**
     * A JDK HTTP server a generation starts and does not stop in close() is stopped at its end, so
     * that the next generation binds the same address: without it the next init fails and Fluent
     * Bit aborts the reload (5.1.1 then exits). Said once per generation, naming the address.
     */
    @Test
    void anHttpServerAGenerationLeftListeningIsStoppedSoTheNextOneCanBind() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> out = run(Map.of(), "reload", leaky.toString(), chunk.toString(), "3", "leak=http_server",
                "server_port=" + port);
        assertThat(out).contains("reload ok=3");
        assertThat(out.stream().filter(l -> l.contains("init failed")).toList()).isEmpty();
        assertThat(out.stream().filter(l -> l.equals("log 2 [flb4j:leaky_out] the generation left an HTTP server listening "
                + "on /127.0.0.1:" + port + " (com.sun.net.httpserver, not stopped in close()); flb4j stopped it, so that "
                + "the next generation can bind the address")).count()).isAtLeast(2);
        assertThat(out.stream().filter(l -> l.contains("not unloaded")).toList()).isEmpty();
    }

    /** A test plugin that bundles a JDBC driver, listed in its jar's META-INF/services/java.sql.Driver. */
    private static Path withDriver(String source, String name, String driver, Path javaHome) throws Exception {
        Path classes = TestPlugins.compile(source + ".java", name, WORK);
        Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(classes.resolve("META-INF/services/java.sql.Driver"),
                "io.flb4j.testplugins." + source + "$" + driver + "\n");
        return build(TestPlugins.descriptor(classes), classes, javaHome);
    }

    /** The .so carries what runs in Fluent Bit: no build tool, no test host, no C source. */
    @Test
    void theBundleHoldsOnlyWhatRunsInFluentBit() throws Exception {
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(WORK.resolve("counting.jar").toFile())) {
            List<String> names = java.util.Collections.list(jar.entries()).stream().map(java.util.zip.ZipEntry::getName)
                    .toList();
            assertThat(names).contains("io/flb4j/engine/jvm/JvmEntry.class");
            assertThat(names).contains("io/flb4j/testplugins/CountingOutput_Flb4jBinding.class");
            assertThat(names.stream().filter(n -> n.startsWith("io/flb4j/native/") || n.startsWith("io/flb4j/maven/")
                    || n.startsWith("io/flb4j/testkit/") || n.startsWith("io/flb4j/processor/") || n.endsWith(".c")
                    || n.endsWith(".h")).toList()).isEmpty();
        }
    }

    /** A library's SLF4J and JUL lines reach the host's log at their levels, named by plugin and instance. */
    @Test
    void librariesLogThroughSlf4jAndJulToFluentBit() throws Exception {
        Path classes = TestPlugins.compile("Slf4jOutput.java", "slf4j_out", WORK);
        PluginDescriptor d = TestPlugins.descriptor(classes);
        Path bundle = WORK.resolve("slf4j_out.jar");
        BundleWriter.write(TestPlugins.bundleInputsWithSlf4j(classes), bundle);
        Path so = WORK.resolve("slf4j_out.so");
        new SharedObjectBuilder(d, bundle, Path.of(System.getProperty("java.home"))).build(WORK.resolve("slf4j_out-src"), so);
        List<String> out = run("output", so.toString(), chunk.toString(), "1", "1");
        assertThat(out).contains("log 2 [flb4j:slf4j_out#1] com.example.Library: disk /var almost full");
        assertThat(out).contains("log 4 [flb4j:slf4j_out#1] com.example.Library: checked /var");
        assertThat(out).contains("log 1 [flb4j:slf4j_out#1] com.example.Library: write failed: java.io.IOException: no space left");
        assertThat(out).contains("log 2 [flb4j:slf4j_out#1] com.example.Jul: jul warns about /var");
        assertThat(out).contains("log 3 [flb4j:slf4j_out] com.example.Background: from a thread of the plugin's own");
        assertThat(out.stream().filter(l -> l.contains("jul finest") || l.contains("details")).toList()).isEmpty();
        assertThat(out).contains("log 3 [flb4j:slf4j_out#1] trace arguments formatted 0 times");
        assertThat(out).contains("flush ok=1 retry=0 error=0");
    }
}
