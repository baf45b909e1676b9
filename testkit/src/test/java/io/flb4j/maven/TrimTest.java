package io.flb4j.maven;

import static com.google.common.truth.Truth.assertThat;

import io.flb4j.nativecode.ChildProcess;
import io.flb4j.nativecode.NativeFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shim's trimmer ({@code trim.c}) on its own, compiled with {@code src/test/c/trim_test.c}:
 * a pass counts and gives back only clean read-only file pages, never a mapping with a page the
 * process wrote, and what it gave back reads the same again. The end-to-end check, a plugin that
 * goes on after its JDK's pages were given back, is in {@link SharedObjectTest}.
 */
class TrimTest {
    private static final Path WORK = Path.of("target/trim-test").toAbsolutePath();

    @Test
    void givesBackCleanReadOnlyFilePagesOnlyAndBacksOffFromPagesInUse() throws Exception {
        Path files = WORK.resolve("files");
        Files.createDirectories(files);
        NativeFiles.copy(NativeFiles.SHIM, List.of("trim.c"), WORK);
        // trim.c's only neighbour: the declarations it uses, not the shim's whole header
        Files.writeString(WORK.resolve("shim.h"), """
                void log_info(const char *fmt, ...);
                void log_warn(const char *fmt, ...);
                long trim_pass(const char *dir, long give_back_from);
                int trim_one_page_faults_open(const char **why);
                long trim_one_page_faults(int uffd, const char *dir);
                long trim_next_period(long period, long first, long given_back, long resident_now);
                void trim_start(void *address);
                void jvm_malloc_route_loaded(void);
                long jvm_malloc_arena_kb(void);
                """);
        Path binary = WORK.resolve("trim_test");
        ChildProcess cc = ChildProcess.run(List.of("cc", "-O1", "-Wall", "-Wextra", "-Werror", "-I" + WORK,
                WORK.resolve("trim.c").toString(), Path.of("src/test/c/trim_test.c").toAbsolutePath().toString(),
                "-o", binary.toString(), "-ldl", "-lpthread"), Map.of(), WORK, Duration.ofMinutes(2));
        assertThat(cc.output()).isEmpty();
        ChildProcess run = ChildProcess.run(List.of(binary.toString(), files.toString()), Map.of(), WORK,
                Duration.ofMinutes(1));
        List<String> lines = run.output().lines().toList();
        assertThat(lines.stream().filter(l -> !l.startsWith("pass ")).toList()).containsExactly("ok");
        assertThat(lines).hasSize(24);
        assertThat(run.exitCode()).isEqualTo(0);
    }
}
