package io.flb4j.nativebuild;

import io.flb4j.api.Config;
import io.flb4j.api.Counter;
import io.flb4j.api.Event;
import io.flb4j.api.EventSink;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.InputPlugin;
import io.flb4j.api.Metrics;
import io.flb4j.api.OutputPlugin;
import io.flb4j.binding.PluginBinding;
import io.flb4j.binding.PluginDescriptor;
import io.flb4j.binding.PluginKind;
import io.flb4j.config.ConfigException;
import io.flb4j.config.ConfigReader;
import io.flb4j.config.ConfigValues;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Plugins bound by hand (several live in this one test module), built into .so files by the tests. */
final class TestPlugins {
    private TestPlugins() {}

    /** Counts what it receives; a counter per event, a log line at close with the total. */
    public static final class CountingOutput implements OutputPlugin {
        int expectedFields;
        Counter events;
        private FluentBit fbit;
        private long received;

        @Override
        public void init(FluentBit fbit) {
            this.fbit = fbit;
            fbit.logger().info("ready");
        }

        @Override
        public FlushResult flush(String tag, Events chunk) {
            long n = 0;
            for (Event e : chunk) {
                if (e.record().size() != expectedFields) {
                    return FlushResult.ERROR;
                }
                n++;
            }
            synchronized (this) {
                received += n;
            }
            events.add(n);
            return tag.equals("test.tag") ? FlushResult.OK : FlushResult.ERROR;
        }

        @Override
        public synchronized void close() {
            fbit.logger().info("received %d events", received);
        }
    }

    /** Emits numbered events as fast as it may. */
    public static final class NumberInput implements InputPlugin {
        Duration pause;
        Counter emitted;

        @Override
        public void collect(EventSink sink) throws InterruptedException {
            for (long i = 0; !sink.cancelled(); i++) {
                sink.emit(Map.of("n", i, "message", "number " + i));
                emitted.inc();
                if (!pause.isZero()) {
                    Thread.sleep(pause.toMillis());
                }
            }
        }
    }

    static PluginDescriptor outputDescriptor(String name) {
        return outputDescriptor(name, 1);
    }

    static PluginDescriptor outputDescriptor(String name, int eventTypes) {
        return new PluginDescriptor(name, PluginKind.OUTPUT, "counts events", CountingOutput.class.getCanonicalName(),
                eventTypes, false, List.of(new PluginDescriptor.Key("expected_fields", "expectedFields", "int", null, true, "")),
                List.of(new PluginDescriptor.Metric("events_total", "events", "counter", "Events", List.of())));
    }

    static final PluginDescriptor INPUT = new PluginDescriptor("numbers", PluginKind.INPUT, "numbered events",
            NumberInput.class.getCanonicalName(), 0, false, List.of(), List.of());

    public static final class CountingOutputBinding implements PluginBinding<CountingOutput> {
        @Override
        public Class<CountingOutput> pluginClass() {
            return CountingOutput.class;
        }

        @Override
        public CountingOutput newInstance() {
            return new CountingOutput();
        }

        @Override
        public void bindConfig(CountingOutput plugin, Config config) throws ConfigException {
            ConfigReader r = new ConfigReader("counting", config);
            r.bind("expected_fields", null, true, ConfigValues::parseInt, ConfigValues.INT, v -> plugin.expectedFields = v);
            r.finish();
        }

        @Override
        public void registerMetrics(CountingOutput plugin, Metrics metrics) {
            plugin.events = metrics.counter("events_total", "Events");
        }
    }

    public static final class NumberInputBinding implements PluginBinding<NumberInput> {
        @Override
        public Class<NumberInput> pluginClass() {
            return NumberInput.class;
        }

        @Override
        public NumberInput newInstance() {
            return new NumberInput();
        }

        @Override
        public void bindConfig(NumberInput plugin, Config config) throws ConfigException {
            ConfigReader r = new ConfigReader("numbers", config);
            r.bind("pause", "0s", false, ConfigValues::parseDuration, ConfigValues.DURATION_EXPECTED, v -> plugin.pause = v);
            r.finish();
        }

        @Override
        public void registerMetrics(NumberInput plugin, Metrics metrics) {
            plugin.emitted = metrics.counter("emitted_total", "Events emitted");
        }
    }
}
