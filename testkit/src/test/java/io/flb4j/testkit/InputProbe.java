package io.flb4j.testkit;

import io.flb4j.binding.PluginBinding;
import io.flb4j.binding.PluginDescriptor;
import io.flb4j.processor.PluginProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** What the last {@code TestInput} did, and the tester of that input compiled by the real processor. */
public final class InputProbe {
    // Public: TestInput lives in another class loader, so package access does not reach it.
    public static volatile InputProbe last;
    public final AtomicLong emitted = new AtomicLong();
    public final List<Long> handedOff = new CopyOnWriteArrayList<>();
    /** What emitMetrics and emitTraces threw in mode undeclared. */
    public final List<String> refusals = new CopyOnWriteArrayList<>();
    /** In mode five: how many times awaitHandedOff(5) timed out, and whether it has returned true. */
    public final AtomicLong waitsForTaken = new AtomicLong();
    public final java.util.concurrent.atomic.AtomicBoolean lastTaken = new java.util.concurrent.atomic.AtomicBoolean();

    private static PluginBinding<?> binding;
    private static PluginDescriptor descriptor;

    public static InputProbe created() {
        InputProbe p = new InputProbe();
        last = p;
        return p;
    }

    /** A tester of src/test/plugins/TestInput.java, compiled once with the flb4j processor. */
    static synchronized PluginTester tester() {
        try {
            if (binding == null) {
                Path classes = PluginCompiler.compile(List.of(Path.of("src/test/plugins/TestInput.java")),
                        Path.of("target/test-plugins/test_in"), new PluginProcessor());
                descriptor = PluginCompiler.descriptor(classes);
                URLClassLoader loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()},
                        InputProbe.class.getClassLoader());
                for (PluginBinding<?> b : ServiceLoader.load(PluginBinding.class, loader)) {
                    if (b.pluginClass().getClassLoader() == loader) {
                        binding = b;
                    }
                }
            }
            return PluginTester.of(binding, descriptor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
