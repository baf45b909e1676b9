package io.flb4j.maven;

import io.flb4j.binding.PluginDescriptor;
import io.flb4j.engine.jvm.JvmEntry;
import io.flb4j.host.PluginHost;
import io.flb4j.processor.PluginProcessor;
import io.flb4j.testkit.PluginCompiler;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The test plugins ({@code src/test/plugins}), each compiled as a user's module is: by javac with
 * the flb4j annotation processor, which generates the binding and the descriptor; then bundled
 * with the runtime and the JVM engine and built into a {@code .so}.
 */
final class TestPlugins {
    private static final Path SOURCES = Path.of("src/test/plugins").toAbsolutePath();

    private TestPlugins() {}

    /** Compiles {@code source} (a file of src/test/plugins) as plugin {@code name} into {@code work/<name>-classes}. */
    static Path compile(String source, String name, Path work) throws IOException {
        return compile(source, name, work, List.of());
    }

    /** As {@link #compile(String, String, Path)}, with javac options such as {@code -Aflb4j.engine=graal}. */
    static Path compile(String source, String name, Path work, List<String> options) throws IOException {
        Path src = work.resolve(name + "-java/io/flb4j/testplugins/" + source);
        Files.createDirectories(src.getParent());
        Files.writeString(src, Files.readString(SOURCES.resolve(source)).replace("PLUGIN_NAME", name));
        return PluginCompiler.compile(List.of(src), work.resolve(name + "-classes"), new PluginProcessor(), options);
    }

    /** A test plugin compiled by javac with the flb4j processor, bundled and built into {@code work/<name>.so}. */
    static Path sharedObject(String source, String name, Path work, Path javaHome) throws Exception {
        Path classes = compile(source + ".java", name, work);
        return sharedObject(descriptor(classes), classes, work, javaHome);
    }

    /** The plugin compiled into {@code classes}, bundled and built into {@code work/<name>.so}. */
    static Path sharedObject(PluginDescriptor d, Path classes, Path work, Path javaHome) throws Exception {
        return sharedObject(d, classes, work, javaHome, List.of("-Xmx128m"));
    }

    /** The same, with {@code jvmOptions} baked in. */
    static Path sharedObject(PluginDescriptor d, Path classes, Path work, Path javaHome, List<String> jvmOptions)
            throws Exception {
        Path bundle = work.resolve(d.name() + ".jar");
        BundleWriter.write(bundleInputs(classes), bundle);
        Path so = work.resolve(d.name() + ".so");
        new SharedObjectBuilder(d, bundle, javaHome).jvmOptions(jvmOptions).build(work.resolve(d.name() + "-src"), so);
        return so;
    }

    /** The descriptor the processor wrote into {@code classes}. */
    static PluginDescriptor descriptor(Path classes) throws IOException {
        return PluginCompiler.descriptor(classes);
    }

    /** Rewrites the descriptor in {@code classes} (to declare what the processor refuses today). */
    static PluginDescriptor rewrite(Path classes, PluginDescriptor d) throws IOException {
        StringWriter text = new StringWriter();
        d.write(text);
        try (Writer w = Files.newBufferedWriter(classes.resolve(PluginDescriptor.RESOURCE))) {
            w.write(text.toString());
        }
        return d;
    }

    /** What a plugin .so carries: the plugin's classes, the runtime, the JVM engine glue. */
    static List<Path> bundleInputs(Path classes) {
        return List.of(classes, location(PluginHost.class), location(JvmEntry.class));
    }

    /** {@link #bundleInputs} and a library dependency of the plugin: SLF4J's API with flb4j's provider. */
    static List<Path> bundleInputsWithSlf4j(Path classes) {
        List<Path> inputs = new java.util.ArrayList<>(bundleInputs(classes));
        inputs.add(location(org.slf4j.LoggerFactory.class));
        inputs.add(location(io.flb4j.slf4j.FluentBitServiceProvider.class));
        return inputs;
    }

    private static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
