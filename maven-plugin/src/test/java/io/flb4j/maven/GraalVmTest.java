package io.flb4j.maven;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraalVmTest {
    @Test
    void withoutGraalVmTheMessageSaysWhereItLookedAndWhatToInstall() {
        Map<String, String> env = Map.of("JAVA_HOME", "/usr/lib/jvm/java-17", "PATH", "/usr/bin:/bin");
        assertThat(GraalVm.nativeImage(env)).isEmpty();
        assertThat(GraalVm.missing(env)).isEqualTo("the GraalVM engine (flb4j.engine=graal) needs GraalVM's native-image, "
                + "and none was found: looked for $GRAALVM_HOME/bin/native-image (GRAALVM_HOME is not set), "
                + "/usr/lib/jvm/java-17/bin/native-image (JAVA_HOME) and native-image on PATH. Install GraalVM for JDK 21 "
                + "or later and set GRAALVM_HOME to it, or build with the JVM engine (the default: leave flb4j.engine unset).");
    }

    @Test
    void graalVmHomeComesFirst(@TempDir Path home) throws Exception {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path nativeImage = Files.createFile(bin.resolve("native-image"));
        nativeImage.toFile().setExecutable(true);
        assertThat(GraalVm.nativeImage(Map.of("GRAALVM_HOME", home.toString(), "PATH", "/usr/bin")))
                .hasValue(nativeImage);
    }
}
