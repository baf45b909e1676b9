package io.flb4j.nativecode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child process to completion with a deadline (the C compiler, native-image, the C test
 * host): its output (stdout and stderr together) is drained on a thread of its own, so a chatty
 * child never blocks, and a child still running at the deadline is killed, so a hung compiler or
 * test host never hangs the build.
 */
public record ChildProcess(int exitCode, String output) {
    /** Runs {@code command} in {@code dir} (or here, when null) with {@code env} added to this environment. */
    public static ChildProcess run(List<String> command, Map<String, String> env, java.nio.file.Path dir, Duration deadline)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "drain " + command.get(0));
        drain.start();
        if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            drain.join();
            throw new IOException("'" + String.join(" ", command) + "' did not finish within " + deadline
                    + " and was killed; its output:\n" + out.toString(StandardCharsets.UTF_8));
        }
        drain.join();
        return new ChildProcess(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }
}
