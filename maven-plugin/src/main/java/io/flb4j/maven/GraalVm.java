package io.flb4j.maven;

import io.flb4j.binding.PluginBinding;
import io.flb4j.nativecode.ChildProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds GraalVM's {@code native-image} for the GraalVM engine: {@code $GRAALVM_HOME/bin},
 * {@code $JAVA_HOME/bin}, then {@code PATH}. When there is none, {@link #missing} says where it
 * looked and how to get one. {@link #buildImage} runs it.
 */
final class GraalVm {
    /** The image's file name without {@code .so}; the shim loads it from the bundle, never by name. */
    static final String IMAGE_NAME = "flb4j-image";
    /**
     * flb4j's own options, before the user's {@code nativeImageOptions} (a later option of the same
     * name wins, so each can be overridden):
     * <ul>
     *   <li>{@code -march=compatibility}: the image runs on any x86-64 or AArch64 machine, as a
     *       Fluent Bit plugin is built once and deployed widely (GraalVM's default targets the
     *       build machine's generation of CPU).</li>
     *   <li>{@code -R:MaxNewSize=8m}: the young generation. With none, stdout_java at 5,000
     *       events/s grew in a saw-tooth to 72-81 MB and an input emitting every 1 ms to 91.5 MB;
     *       with 8 MB the same load stayed flat near 39 MB (README, Engines).</li>
     *   <li>{@code -R:MaxHeapSize=128m}: the same ceiling as the JVM engine's {@code -Xmx128m}.</li>
     *   <li>{@code --add-exports=java.base/sun.nio.ch=ALL-UNNAMED}: the engine hands an input's
     *       batch to C in place, by its direct buffer's address ({@code GraalHostApi.submit}).</li>
     * </ul>
     */
    static final List<String> OPTIONS = List.of("--shared", "-march=compatibility", "-R:MaxNewSize=8m",
            "-R:MaxHeapSize=128m", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED");
    private static final Duration BUILD_DEADLINE = Duration.ofMinutes(30);

    private GraalVm() {}

    /** True when the classes hold a processor-generated entry points class ({@link PluginBinding#GRAAL_ENTRY_POINTS_SUFFIX}). */
    static boolean hasEntryPoints(Path classes) throws IOException {
        if (!Files.isDirectory(classes)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(classes)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(PluginBinding.GRAAL_ENTRY_POINTS_SUFFIX + ".class"));
        }
    }

    /** The command {@link #buildImage} runs, in {@code imageDir}. */
    static List<String> command(Path nativeImage, List<Path> classPath, List<String> extraOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(nativeImage.toString());
        cmd.addAll(OPTIONS);
        cmd.addAll(extraOptions);
        cmd.add("-cp");
        cmd.add(classPath.stream().map(p -> p.toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator)));
        cmd.add("-o");
        cmd.add(IMAGE_NAME);
        return cmd;
    }

    /**
     * Runs {@code native-image --shared} over the class path in {@code imageDir} and returns the
     * shared library it wrote, once {@link ImageCheck} (built with {@code compiler}) has found
     * every symbol it needs; a failure carries the tool's output or names the missing symbols.
     */
    static Path buildImage(Path nativeImage, List<Path> classPath, List<String> extraOptions, Path imageDir,
                           String compiler) throws IOException, InterruptedException {
        Files.createDirectories(imageDir);
        Path image = imageDir.resolve(IMAGE_NAME + ".so");
        Files.deleteIfExists(image);
        List<String> cmd = command(nativeImage, classPath, extraOptions);
        ChildProcess run = ChildProcess.run(cmd, Map.of(), imageDir, BUILD_DEADLINE);
        if (run.exitCode() != 0 || !Files.isRegularFile(image)) {
            throw new IOException("native-image failed (exit " + run.exitCode() + ", " + (Files.isRegularFile(image)
                    ? "" : "no " + image + ", ") + "command: " + String.join(" ", cmd) + "):\n" + run.output());
        }
        ImageCheck.check(image, compiler, imageDir.resolve("load-check"));
        return image;
    }

    static Optional<Path> nativeImage(Map<String, String> env) {
        return candidates(env).stream().filter(Files::isExecutable).findFirst();
    }

    private static List<Path> candidates(Map<String, String> env) {
        List<Path> paths = new ArrayList<>();
        for (String home : new String[] {env.get("GRAALVM_HOME"), env.get("JAVA_HOME")}) {
            if (home != null && !home.isBlank()) {
                paths.add(Path.of(home, "bin", "native-image"));
            }
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                paths.add(Path.of(dir, "native-image"));
            }
        }
        return paths;
    }

    /** The one message of a GraalVM engine build on a machine without GraalVM. */
    static String missing(Map<String, String> env) {
        return "the GraalVM engine (flb4j.engine=graal) needs GraalVM's native-image, and none was found: looked for "
                + where(env, "GRAALVM_HOME") + ", " + where(env, "JAVA_HOME") + " and native-image on PATH. "
                + "Install GraalVM for JDK 21 or later and set GRAALVM_HOME to it, or build with the JVM engine "
                + "(the default: leave flb4j.engine unset).";
    }

    private static String where(Map<String, String> env, String variable) {
        String home = env.get(variable);
        return home == null || home.isBlank() ? "$" + variable + "/bin/native-image (" + variable + " is not set)"
                : home + "/bin/native-image (" + variable + ")";
    }
}
