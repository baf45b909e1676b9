package io.flb4j.testkit;

import io.flb4j.binding.PluginKind;
import io.flb4j.binding.KeptKeys;
import io.flb4j.nativecode.ChildProcess;
import io.flb4j.nativecode.NativeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The C test host: a stand-in for Fluent Bit's proxy that loads a plugin {@code .so} and
 * drives it through the ABI ({@code testhost.c} lists its commands), printing what it sees one
 * line at a time. Used by flb4j's tests, the samples' integration tests and
 * {@code samples/run.sh}.
 *
 * <pre>{@code
 * TestHost host = TestHost.build(Path.of("target/testhost"));
 * List<String> lines = host.run(Map.of(), "output", "target/my.so", "chunk.bin", "1", "1");
 * }</pre>
 */
public final class TestHost {
    /** JVM faults are the JVM's to handle; leaks are not what the sanitizer checks here. */
    private static final String ASAN_OPTIONS = "handle_segv=0:allow_user_segv_handler=1:detect_leaks=0";

    /** Where the testkit's C files are on the class path: the test host and the stand-in native image. */
    public static final String C_FILES = "io/flb4j/testkit/c";
    /** The test host's C files, one per concern ({@code testhost.h} lists them). */
    private static final List<String> SOURCES = List.of("testhost.c", "testhost_api.c", "testhost_cmetrics.c",
            "testhost_loader.c", "testhost_engine.c", "testhost_outputs.c", "testhost_inputs.c", "testhost_input_loop.c",
            "testhost_signals.c", "testhost_workers.c");

    private final Path binary;
    private final boolean sanitized;

    private TestHost(Path binary, boolean sanitized) {
        this.binary = binary;
        this.sanitized = sanitized;
    }

    /** Compiles the test host and its release-feature libraries into {@code workDir} with {@code cc}. */
    public static TestHost build(Path workDir) throws IOException, InterruptedException {
        return build(workDir, false);
    }

    /**
     * The same, built with AddressSanitizer ({@code -fsanitize=address}) when {@code sanitized}:
     * what CI runs the struct-layout emulation under.
     */
    public static TestHost build(Path dir, boolean sanitized) throws IOException, InterruptedException {
        Path workDir = dir.toAbsolutePath();
        List<String> files = new ArrayList<>(SOURCES);
        files.addAll(List.of("testhost.h", "testhost_features.c"));
        NativeFiles.copy(C_FILES, files, workDir);
        NativeFiles.copy(NativeFiles.SHIM, List.of("flb4j_abi.h"), workDir);
        Path binary = workDir.resolve(sanitized ? "testhost-asan" : "testhost").toAbsolutePath();
        List<String> args = new ArrayList<>(List.of("-O1", "-g", "-Wall", "-Wextra", "-rdynamic", "-I" + workDir));
        SOURCES.forEach(f -> args.add(workDir.resolve(f).toString()));
        args.addAll(List.of("-o", binary.toString(), "-ldl", "-lpthread"));
        if (sanitized) {
            args.addAll(0, List.of("-fsanitize=address", "-fno-omit-frame-pointer"));
        }
        compile(workDir, args);
        for (String release : List.of("4.0.3", "4.2", "5.0")) {
            compile(workDir, List.of("-shared", "-fPIC", "-Wall", "-DFEATURE_" + release.replace('.', '_'),
                    workDir.resolve("testhost_features.c").toString(), "-o", binary + ".features-" + release + ".so"));
        }
        for (PluginKind kind : PluginKind.values()) {
            StringBuilder kept = new StringBuilder();
            KeptKeys.of(kind).forEach(k -> kept.append(k).append('\n'));
            KeptKeys.prefixes(kind).forEach(k -> kept.append(k).append("*\n"));
            Files.writeString(Path.of(binary + ".kept-" + kind.label()), kept);
        }
        return new TestHost(binary, sanitized);
    }

    private static void compile(Path workDir, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("cc"));
        cmd.addAll(args);
        ChildProcess cc = ChildProcess.run(cmd, Map.of(), workDir, Duration.ofMinutes(2));
        if (cc.exitCode() != 0) {
            throw new IOException("compiling the test host failed:\n" + cc.output());
        }
    }

    /** The test host executable. */
    public Path binary() {
        return binary;
    }

    /**
     * Runs one command and returns its output lines (stdout and stderr together).
     *
     * @throws IOException when it runs longer than five minutes
     */
    public List<String> run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return result(env, args).output().lines().toList();
    }

    /** Runs one command; its exit code and output. */
    public ChildProcess result(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString()));
        cmd.addAll(List.of(args));
        Map<String, String> all = new java.util.HashMap<>(env);
        if (sanitized) {
            all.putIfAbsent("ASAN_OPTIONS", ASAN_OPTIONS);
        }
        return ChildProcess.run(cmd, all, null, Duration.ofMinutes(5));
    }

    /** For scripts: {@code java -cp ... io.flb4j.testkit.TestHost OUT_DIR} prints the binary's path. */
    public static void main(String[] args) throws Exception {
        System.out.println(build(Path.of(args.length > 0 ? args[0] : "target/testhost")).binary());
    }
}
