package io.flb4j.maven;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.junit.jupiter.api.Test;

class SharedObjectMojoTest {
    private static Artifact artifact(String group, String name, String version, String... trail) {
        Artifact a = new DefaultArtifact(group, name, version, "compile", "jar", null, new DefaultArtifactHandler("jar"));
        a.setDependencyTrail(List.of(trail));
        return a;
    }

    private static final Artifact PROVIDER = artifact("io.flb4j", "flb4j-slf4j", "0.1.0");

    /** slf4j-api 1.7 beside flb4j-slf4j (a library declared first) fails the build, naming the library and the fix. */
    @Test
    void anSlf4j1ApiBesideTheProviderIsRefused() {
        String problem = SharedObjectMojo.slf4jMismatch(List.of(PROVIDER, artifact("org.slf4j", "slf4j-api", "1.7.36",
                "com.example:kafkaout:jar:1.0", "org.apache.kafka:kafka-clients:jar:4.1.1",
                "org.slf4j:slf4j-api:jar:1.7.36")));
        assertThat(problem).isEqualTo("flb4j: slf4j-api 1.7.36 (through org.apache.kafka:kafka-clients:jar:4.1.1) is on "
                + "the plugin's class path, and flb4j-slf4j is an SLF4J 2 provider, which SLF4J 1 does not find: every "
                + "line your libraries log would be dropped. Import io.flb4j:flb4j-bom in <dependencyManagement> (it "
                + "manages slf4j-api 2), or declare org.slf4j:slf4j-api 2.0.17 in your dependencies");
    }

    @Test
    void slf4j2OrNoProviderIsFine() {
        assertThat(SharedObjectMojo.slf4jMismatch(List.of(PROVIDER, artifact("org.slf4j", "slf4j-api", "2.0.17")))).isNull();
        assertThat(SharedObjectMojo.slf4jMismatch(List.of(artifact("org.slf4j", "slf4j-api", "1.7.36")))).isNull();
    }

    /** The BOM's slf4j-api (it has no parent, so a literal) is the one flb4j-slf4j is built against. */
    @Test
    void theBomManagesTheSlf4jFlb4jIsBuiltWith() throws Exception {
        Matcher root = Pattern.compile("<slf4j.version>([^<]+)</slf4j.version>").matcher(Files.readString(Path.of("../pom.xml")));
        Matcher bom = Pattern.compile("<artifactId>slf4j-api</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("../bom/pom.xml")));
        assertThat(root.find()).isTrue();
        assertThat(bom.find()).isTrue();
        assertThat(bom.group(1)).isEqualTo(root.group(1));
    }
}
