package io.flb4j.maven;

import io.flb4j.binding.PluginBinding;
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

    /**
     * Options added to {@code native-image} (GraalVM engine only), after flb4j's own
     * ({@code --shared -march=compatibility}); a later option wins, e.g. {@code -march=native}.
     */
    @Parameter
    private List<String> nativeImageOptions = new ArrayList<>();

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("flb4j: skipped (flb4j.skip)");
            return;
        }
        if ("pom".equals(project.getPackaging())) {
            getLog().info("flb4j: nothing to build in " + project.getArtifactId() + ": packaging 'pom' has no plugin "
                    + "class; put the plugin in a module with jar packaging");
            return;
        }
        Path classes = Path.of(project.getBuild().getOutputDirectory());
        PluginDescriptor descriptor = descriptor(classes);
        Engine chosen;
        try {
            chosen = Engine.of(engine);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("flb4j: " + e.getMessage(), e);
        }
        Path work = Path.of(project.getBuild().getDirectory(), "flb4j");
        Path output = outputFile != null ? outputFile.toPath()
                : Path.of(project.getBuild().getDirectory(), descriptor.name() + ".so");
        try {
            Path bundle = chosen == Engine.GRAAL ? nativeImage(classes, work.resolve("image"))
                    : jar(classes, work.resolve("bundle.jar"));
            new SharedObjectBuilder(descriptor, bundle, javaHome.toPath())
                    .engine(chosen)
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
        try {
            for (Path doc : PluginDocs.write(descriptor, output.toAbsolutePath().getParent())) {
                getLog().info("flb4j: docs -> " + doc);
            }
        } catch (IOException e) {
            throw new MojoExecutionException("flb4j: writing the plugin's docs: " + e.getMessage(), e);
        }
    }

    /** The JVM engine's bundle: the plugin's classes, its runtime dependencies and the JVM glue. */
    private Path jar(Path classes, Path bundle) throws MojoExecutionException, IOException {
        List<Path> inputs = runtimeClassPath(classes);
        inputs.add(engineArtifact("io.flb4j:flb4j-engine-jvm"));
        BundleWriter.write(inputs, bundle);
        return bundle;
    }

    /**
     * The GraalVM engine's bundle: the shared library {@code native-image} builds from the same
     * class path with the engine's Java side, its entry points generated at compile time.
     */
    private Path nativeImage(Path classes, Path imageDir) throws MojoExecutionException, IOException,
            InterruptedException {
        if (!GraalVm.hasEntryPoints(classes)) {
            throw new MojoExecutionException("flb4j: the GraalVM engine needs the plugin compiled with "
                    + "-Aflb4j.engine=graal (no *" + PluginBinding.GRAAL_ENTRY_POINTS_SUFFIX + " class in " + classes + "). Add "
                    + "<compilerArgs><arg>-Aflb4j.engine=graal</arg></compilerArgs> to maven-compiler-plugin, "
                    + "with io.flb4j:flb4j-engine-graal and org.graalvm.sdk:nativeimage as provided dependencies");
        }
        Path tool = GraalVm.nativeImage(System.getenv())
                .orElseThrow(() -> new MojoExecutionException("flb4j: " + GraalVm.missing(System.getenv())));
        List<Path> classPath = runtimeClassPath(classes);
        classPath.add(engineArtifact("io.flb4j:flb4j-engine-graal"));
        getLog().info("flb4j: building the native image with " + tool + " (this takes minutes)");
        Path image = GraalVm.buildImage(tool, classPath, nativeImageOptions, imageDir, compiler);
        getLog().info("flb4j: the native image's undefined symbols are all provided by the C library or its own libraries");
        return image;
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

    /** The plugin's classes and its compile and runtime dependencies (not provided ones). */
    private List<Path> runtimeClassPath(Path classes) throws MojoExecutionException {
        String slf4j = slf4jMismatch(project.getArtifacts());
        if (slf4j != null) {
            throw new MojoExecutionException(slf4j);
        }
        List<Path> inputs = new ArrayList<>(List.of(classes));
        for (Artifact a : project.getArtifacts()) {
            String scope = a.getScope();
            if ((Artifact.SCOPE_COMPILE.equals(scope) || Artifact.SCOPE_RUNTIME.equals(scope)) && a.getFile() != null) {
                inputs.add(a.getFile().toPath());
            }
        }
        return inputs;
    }

    /**
     * Why the plugin's libraries would log nothing, or null: flb4j-slf4j is an SLF4J 2 provider,
     * and an slf4j-api 1.x that Maven picked instead (a library declared before flb4j-slf4j that
     * depends on SLF4J 1.7, as kafka-clients 4.1 does) looks for another kind of binding, finds
     * none and drops every line, saying only {@code SLF4J: Failed to load class
     * "org.slf4j.impl.StaticLoggerBinder"} on standard error.
     */
    static String slf4jMismatch(java.util.Collection<Artifact> artifacts) {
        boolean provider = false;
        Artifact api = null;
        for (Artifact a : artifacts) {
            provider |= a.getGroupId().equals("io.flb4j") && a.getArtifactId().equals("flb4j-slf4j");
            if (a.getGroupId().equals("org.slf4j") && a.getArtifactId().equals("slf4j-api")) {
                api = a;
            }
        }
        if (!provider || api == null || !api.getVersion().startsWith("1.")) {
            return null;
        }
        List<String> trail = api.getDependencyTrail();
        String via = trail != null && trail.size() > 2 ? " (through " + trail.get(1) + ")" : "";
        return "flb4j: slf4j-api " + api.getVersion() + via + " is on the plugin's class path, and flb4j-slf4j is an "
                + "SLF4J 2 provider, which SLF4J 1 does not find: every line your libraries log would be dropped. "
                + "Import io.flb4j:flb4j-bom in <dependencyManagement> (it manages slf4j-api 2), or declare "
                + "org.slf4j:slf4j-api 2.0.17 in your dependencies";
    }

    /** An engine's Java side, a dependency of this maven plugin. */
    private Path engineArtifact(String key) throws MojoExecutionException {
        Artifact glue = self.getArtifactMap().get(key);
        if (glue == null || glue.getFile() == null) {
            throw new MojoExecutionException("flb4j: the " + key + " artifact is missing from the maven plugin's class path");
        }
        return glue.getFile().toPath();
    }
}
