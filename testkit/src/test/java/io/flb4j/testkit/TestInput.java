package io.flb4j.testkit;

import io.flb4j.api.Config;
import io.flb4j.api.EventSink;
import io.flb4j.api.InputPlugin;
import io.flb4j.api.Metrics;
import io.flb4j.binding.PluginBinding;
import io.flb4j.binding.PluginDescriptor;
import io.flb4j.binding.PluginKind;
import io.flb4j.config.ConfigException;
import io.flb4j.config.ConfigReader;
import io.flb4j.config.ConfigValues;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** An input bound by hand (a module holds one annotated plugin: {@link TestOutput}). */
public final class TestInput implements InputPlugin {
    String mode = "flood";
    final AtomicLong emitted = new AtomicLong();
    final List<Long> handedOff = new CopyOnWriteArrayList<>();
    private boolean failed;
    static volatile TestInput last;

    TestInput() {
        last = this;
    }

    @Override
    public void collect(EventSink sink) throws Exception {
        if (mode.equals("fail_once") && !failed) {
            failed = true;
            throw new IllegalStateException("source unavailable");
        }
        int limit = mode.equals("five") ? 5 : Integer.MAX_VALUE;
        for (int i = 0; i < limit && !sink.cancelled(); i++) {
            sink.emit(Map.of("n", (long) i, "padding", "x".repeat(100)));
            emitted.incrementAndGet();
        }
        while (!sink.cancelled()) {
            Thread.sleep(10);
        }
    }

    @Override
    public void handedOff(long sequence) {
        handedOff.add(sequence);
    }

    static final PluginDescriptor DESCRIPTOR = new PluginDescriptor("test_in", PluginKind.INPUT, "", TestInput.class.getCanonicalName(),
            0, false, List.of(), List.of());

    static final PluginBinding<TestInput> BINDING = new PluginBinding<>() {
        @Override
        public Class<TestInput> pluginClass() {
            return TestInput.class;
        }

        @Override
        public TestInput newInstance() {
            return new TestInput();
        }

        @Override
        public void bindConfig(TestInput plugin, Config config) throws ConfigException {
            ConfigReader reader = new ConfigReader("test_in", config);
            reader.bind("mode", "flood", false, ConfigValues::parseString, ConfigValues.STRING, v -> plugin.mode = v);
            reader.finish();
        }

        @Override
        public void registerMetrics(TestInput plugin, Metrics metrics) {}
    };
}
