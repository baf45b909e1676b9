package io.flb4j.nativebuild;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    private final Path binary;

    private TestHost(Path binary) {
        this.binary = binary;
    }

    /** Compiles the test host into {@code workDir} with {@code cc}. */
    public static TestHost build(Path workDir) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        for (String name : List.of("testhost.c", "flb4j_abi.h")) {
            try (InputStream in = TestHost.class.getResourceAsStream("/io/flb4j/native/" + name)) {
                if (in == null) {
                    throw new IOException("flb4j-native-template is missing " + name);
                }
                Files.write(workDir.resolve(name), in.readAllBytes());
            }
        }
        Path binary = workDir.resolve("testhost").toAbsolutePath();
        Process p = new ProcessBuilder("cc", "-O1", "-g", "-Wall", "-rdynamic", "-I" + workDir,
                workDir.resolve("testhost.c").toString(), "-o", binary.toString(), "-ldl", "-lpthread")
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("compiling the test host failed:\n" + new String(out, StandardCharsets.UTF_8));
        }
        return new TestHost(binary);
    }

    public Path binary() {
        return binary;
    }

    /**
     * Runs one command and returns its output lines (stdout and stderr together).
     *
     * @throws IOException when it runs longer than five minutes
     */
    public List<String> run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("test host did not finish: " + cmd);
        }
        return List.of(new String(out, StandardCharsets.UTF_8).split("\n"));
    }

    /** For scripts: {@code java -cp ... io.flb4j.nativebuild.TestHost OUT_DIR} prints the binary's path. */
    public static void main(String[] args) throws Exception {
        System.out.println(build(Path.of(args.length > 0 ? args[0] : "target/testhost")).binary());
    }
}
