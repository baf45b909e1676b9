package io.flb4j.nativebuild;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Compiles the C test host, a stand-in for Fluent Bit's proxy that loads a plugin {@code .so}
 * and drives it (see {@code testhost.c} for its commands). Used by flb4j's tests and by
 * {@code samples/run.sh}.
 *
 * <pre>{@code
 * Path testhost = TestHostBuilder.build(Path.of("target/testhost"), "cc");
 * }</pre>
 */
public final class TestHostBuilder {
    private TestHostBuilder() {}

    public static Path build(Path workDir, String compiler) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        for (String name : List.of("testhost.c", "flb4j_abi.h")) {
            try (InputStream in = TestHostBuilder.class.getResourceAsStream("/io/flb4j/native/" + name)) {
                if (in == null) {
                    throw new IOException("flb4j-native-template is missing " + name);
                }
                Files.write(workDir.resolve(name), in.readAllBytes());
            }
        }
        Path binary = workDir.resolve("testhost");
        Process p = new ProcessBuilder(compiler, "-O1", "-g", "-Wall", "-rdynamic", "-I" + workDir,
                workDir.resolve("testhost.c").toString(), "-o", binary.toString(), "-ldl", "-lpthread")
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("compiling the test host failed:\n" + new String(out, StandardCharsets.UTF_8));
        }
        return binary;
    }

    /** Entry point for scripts: {@code java -cp ... TestHostBuilder OUT_DIR}. */
    public static void main(String[] args) throws Exception {
        System.out.println(build(Path.of(args.length > 0 ? args[0] : "target/testhost"), "cc"));
    }
}
