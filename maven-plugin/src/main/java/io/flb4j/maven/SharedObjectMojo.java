package io.flb4j.maven;

import io.flb4j.binding.PluginDescriptor;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Turns the module's plugin into one self-contained {@code .so}: the plugin's classes and its
 * runtime dependencies in one bundle, the flb4j shim compiled around it with the system C
 * compiler. Bound to {@code package}.
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>io.flb4j</groupId>
 *   <artifactId>flb4j-maven-plugin</artifactId>
 *   <executions><execution><goals><goal>shared-object</goal></goals></execution></executions>
 *   <configuration><jvmOptions><jvmOption>-Xmx128m</jvmOption></jvmOptions></configuration>
 * </plugin>
 * }</pre>
 */
@Mojo(name = "shared-object", defaultPhase = LifecyclePhase.PACKAGE, requiresDependencyResolution = ResolutionScope.RUNTIME,
        threadSafe = true)
public final class SharedObjectMojo extends AbstractMojo {
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    private org.apache.maven.plugin.descriptor.PluginDescriptor self;

    /** The .so to write; {@code target/<plugin name>.so} when not set. */
    @Parameter(property = "flb4j.output")
    private File outputFile;

    /** JVM options compiled into the .so (used when this plugin starts the JVM); FLB4J_JVM_OPTIONS adds to them. */
    @Parameter
    private List<String> jvmOptions = new ArrayList<>();

    /** The C compiler. */
    @Parameter(property = "flb4j.cc", defaultValue = "cc")
    private String compiler;

    /** The JDK whose headers the shim compiles against and whose libjvm.so is the last fallback at run time. */
    @Parameter(property = "flb4j.javaHome", defaultValue = "${java.home}")
    private File javaHome;

    @Parameter(property = "flb4j.skip", defaultValue = "false")
    private boolean skip;

    /**
     * {@code jvm} (the default) or {@code graal}. The GraalVM engine needs the module compiled with
     * {@code -Aflb4j.engine=graal} (the processor then generates the entry points) and GraalVM's
     * native-image at package.
     */
    @Parameter(property = "flb4j.engine", defaultValue = "jvm")
    private String engine;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip || "pom".equals(project.getPackaging())) {
            return;
        }
        Path classes = Path.of(project.getBuild().getOutputDirectory());
        PluginDescriptor descriptor = descriptor(classes);
        if ("graal".equals(engine)) {
            graal();
        } else if (!"jvm".equals(engine)) {
            throw new MojoExecutionException("flb4j: unknown engine '" + engine + "'; use jvm (the default) or graal");
        }
        Path work = Path.of(project.getBuild().getDirectory(), "flb4j");
        Path bundle = work.resolve("bundle.jar");
        Path output = outputFile != null ? outputFile.toPath()
                : Path.of(project.getBuild().getDirectory(), descriptor.name() + ".so");
        try {
            BundleWriter.write(bundleInputs(classes), bundle);
            new SharedObjectBuilder(descriptor, bundle, javaHome.toPath())
                    .jvmOptions(jvmOptions)
                    .compiler(compiler)
                    .build(work.resolve("src"), output);
        } catch (IOException e) {
            throw new MojoExecutionException("flb4j: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("flb4j: interrupted", e);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("flb4j: " + e.getMessage(), e);
        }
        getLog().info("flb4j: " + descriptor.kind().label() + " plugin '" + descriptor.name() + "' -> " + output);
    }

    /** The GraalVM engine: the entry points compiled (compile phase), native-image found, and then... */
    private void graal() throws MojoExecutionException {
        java.util.Optional<Path> nativeImage = GraalVm.nativeImage(System.getenv());
        if (nativeImage.isEmpty()) {
            throw new MojoExecutionException("flb4j: " + GraalVm.missing(System.getenv()));
        }
        throw new MojoExecutionException("flb4j: found " + nativeImage.get() + ", but linking a native image with the "
                + "shim is not built yet: the GraalVM engine's entry points are generated and compiled "
                + "(target/generated-sources/annotations), the shim's isolate start and calls are not. Build with the "
                + "JVM engine (leave flb4j.engine unset).");
    }

    private PluginDescriptor descriptor(Path classes) throws MojoExecutionException {
        Path file = classes.resolve(PluginDescriptor.RESOURCE);
        if (!Files.isRegularFile(file)) {
            throw new MojoExecutionException("flb4j: no plugin class in " + project.getArtifactId() + ": " + file
                    + " is missing. Annotate one class @FluentBitInput, @FluentBitOutput or @FluentBitCustom and put "
                    + "io.flb4j:flb4j-processor on the compiler's path (a 'provided' dependency)");
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return PluginDescriptor.read(r);
        } catch (IOException e) {
            throw new MojoExecutionException("flb4j: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The plugin's classes, its runtime dependencies, and the JVM engine glue. */
    private List<Path> bundleInputs(Path classes) throws MojoExecutionException {
        List<Path> inputs = new ArrayList<>(List.of(classes));
        for (Artifact a : project.getArtifacts()) {
            String scope = a.getScope();
            if ((Artifact.SCOPE_COMPILE.equals(scope) || Artifact.SCOPE_RUNTIME.equals(scope)) && a.getFile() != null) {
                inputs.add(a.getFile().toPath());
            }
        }
        Artifact glue = self.getArtifactMap().get("io.flb4j:flb4j-engine-jvm");
        if (glue == null || glue.getFile() == null) {
            throw new MojoExecutionException("flb4j: the flb4j-engine-jvm artifact is missing from the plugin's class path");
        }
        inputs.add(glue.getFile().toPath());
        return inputs;
    }
}
