package io.flb4j.testkit;

import io.flb4j.binding.PluginDescriptor;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.annotation.processing.Processor;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles plugin sources as a plugin module's build does: javac with the flb4j annotation
 * processor, which generates the binding and the descriptor. For tests that need several
 * plugins (a module holds one), each compiled into a directory of its own.
 *
 * <pre>{@code
 * Path classes = PluginCompiler.compile(List.of(Path.of("src/test/plugins/MyInput.java")),
 *         Path.of("target/my-input"), new PluginProcessor());
 * PluginDescriptor d = PluginCompiler.descriptor(classes);
 * }</pre>
 */
public final class PluginCompiler {
    private PluginCompiler() {
    }

    /**
     * Compiles {@code sources} against this JVM's class path into {@code classes}, with
     * {@code processor} (an {@code io.flb4j.processor.PluginProcessor}).
     *
     * @throws IOException naming every diagnostic when compilation fails
     */
    public static Path compile(List<Path> sources, Path classes, Processor processor) throws IOException {
        return compile(sources, classes, processor, List.of());
    }

    /** As {@link #compile(List, Path, Processor)}, with more javac options (e.g. {@code -Aflb4j.engine=graal}). */
    public static Path compile(List<Path> sources, Path classes, Processor processor, List<String> options)
            throws IOException {
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IOException("no Java compiler in this JVM (" + System.getProperty("java.home") + "): run on a JDK");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> all = new java.util.ArrayList<>(
                    List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path")));
            all.addAll(options);
            JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics, all, null,
                    files.getJavaFileObjectsFromPaths(sources));
            task.setProcessors(List.of(processor));
            if (!task.call()) {
                throw new IOException("compiling " + sources + " failed: " + diagnostics.getDiagnostics());
            }
        }
        return classes;
    }

    /** The descriptor the processor wrote into {@code classes}. */
    public static PluginDescriptor descriptor(Path classes) throws IOException {
        try (Reader r = Files.newBufferedReader(classes.resolve(PluginDescriptor.RESOURCE), StandardCharsets.UTF_8)) {
            return PluginDescriptor.read(r);
        }
    }
}
