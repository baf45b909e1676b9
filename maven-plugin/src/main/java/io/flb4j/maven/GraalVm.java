package io.flb4j.maven;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds GraalVM's {@code native-image} for the GraalVM engine: {@code $GRAALVM_HOME/bin},
 * {@code $JAVA_HOME/bin}, then {@code PATH}. When there is none, {@link #missing} says where it
 * looked and how to get one.
 */
final class GraalVm {
    private GraalVm() {}

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
