package io.flb4j.host;

import io.flb4j.metrics.MetricNames;
import io.flb4j.metrics.MetricKind;
import io.flb4j.api.Counter;
import io.flb4j.api.Gauge;
import io.flb4j.api.Logger;
import io.flb4j.api.Metrics;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One instance's metrics in Fluent Bit's cmetrics, named {@code fluentbit_<plugin>_<name>}, each
 * series labelled first with {@code name="<instance name>"} (as Fluent Bit labels its own
 * plugins' series), then with the plugin's own labels. Asking twice for one name returns the
 * same metric. When cmetrics is not available (the
 * host returns handle 0) a warning is logged once and updates do nothing.
 *
 * <pre>{@code
 * Metrics metrics = new HostMetrics(api, instancePointer, "my_plugin", "my_plugin.0", logger);
 * metrics.counter("sent_total", "Events sent", "status").inc("ok");
 * }</pre>
 */
public final class HostMetrics implements Metrics {

    private final HostApi api;
    private final long instance;
    private final String subsystem;
    private final String instanceName;
    private final Logger logger;
    private final Map<String, Metric> byName = new HashMap<>();
    private boolean closed;

    public HostMetrics(HostApi api, long instance, String pluginName, String instanceName, Logger logger) {
        this.api = api;
        this.instance = instance;
        this.subsystem = MetricNames.subsystem(pluginName);
        this.instanceName = instanceName;
        this.logger = logger;
    }

    @Override
    public synchronized Counter counter(String name, String help, String... labelKeys) {
        return (Counter) metric(MetricKind.COUNTER, name, help, labelKeys);
    }

    @Override
    public synchronized Gauge gauge(String name, String help, String... labelKeys) {
        return (Gauge) metric(MetricKind.GAUGE, name, help, labelKeys);
    }

    /**
     * Ends every update: Fluent Bit is about to free the instance's cmetrics context. Returns once
     * no update is running; later ones do nothing.
     */
    public synchronized void close() {
        closed = true;
        for (Metric m : byName.values()) {
            synchronized (m) {
                m.closed = true;
            }
        }
    }

    private Metric metric(MetricKind kind, String name, String help, String[] labelKeys) {
        MetricNames.nameProblem(name).ifPresent(p -> {
            throw new IllegalArgumentException("metric '" + name + "': " + p);
        });
        for (String key : labelKeys) {
            MetricNames.labelProblem(key).ifPresent(p -> {
                throw new IllegalArgumentException("metric '" + name + "': " + p);
            });
        }
        Metric existing = byName.get(name);
        if (existing != null) {
            if (existing.kind != kind || !Arrays.equals(existing.labelKeys, labelKeys)) {
                throw new IllegalArgumentException("metric '" + name + "' already exists as a " + existing.kind.label()
                        + " with labels " + List.of(existing.labelKeys));
            }
            return existing;
        }
        String[] keys = labelKeys.clone();
        String[] hostKeys = prepend(MetricNames.INSTANCE_LABEL, keys);
        long handle = closed ? 0 : kind == MetricKind.COUNTER
                ? api.counterCreate(instance, MetricNames.NAMESPACE, subsystem, name, help, hostKeys)
                : api.gaugeCreate(instance, MetricNames.NAMESPACE, subsystem, name, help, hostKeys);
        if (handle == 0 && !closed) {
            logger.warn("metric '%s' could not be created in Fluent Bit (cmetrics unavailable); its updates are ignored", name);
        }
        Metric m = kind == MetricKind.COUNTER ? new HostCounter(this, handle, name, keys) : new HostGauge(this, handle, name, keys);
        byName.put(name, m);
        return m;
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** Label checks shared by counters and gauges; updates of one metric are serialised. */
    private abstract static class Metric {
        final HostApi api;
        final String instanceName;
        final long handle;
        final String name;
        final MetricKind kind;
        final String[] labelKeys;
        /** Guarded by this metric's lock, as every update is. */
        boolean closed;

        Metric(HostMetrics owner, long handle, String name, MetricKind kind, String[] labelKeys) {
            this.api = owner.api;
            this.instanceName = owner.instanceName;
            this.handle = handle;
            this.name = name;
            this.kind = kind;
            this.labelKeys = labelKeys;
        }

        final boolean ready(double value, String[] labelValues) {
            if (labelValues.length != labelKeys.length) {
                throw new IllegalArgumentException(kind.label() + " '" + name + "' takes " + labelKeys.length
                        + " label value(s) for " + List.of(labelKeys) + ", got " + labelValues.length);
            }
            for (int i = 0; i < labelValues.length; i++) {
                if (labelValues[i] == null) {
                    throw new IllegalArgumentException(kind.label() + " '" + name + "': value of label '" + labelKeys[i]
                            + "' is null");
                }
            }
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(kind.label() + " '" + name + "': value " + value + " is not finite");
            }
            return handle != 0;
        }

        /** The values as the host gets them: the instance's name first. */
        final String[] hostLabels(String[] labelValues) {
            return prepend(instanceName, labelValues);
        }
    }

    private static final class HostCounter extends Metric implements Counter {
        HostCounter(HostMetrics owner, long handle, String name, String[] labelKeys) {
            super(owner, handle, name, MetricKind.COUNTER, labelKeys);
        }

        @Override
        public void add(double value, String... labelValues) {
            if (value < 0) {
                throw new IllegalArgumentException("counter '" + name + "' only goes up: cannot add " + value);
            }
            if (ready(value, labelValues)) {
                synchronized (this) {
                    if (!closed) {
                        api.counterAdd(handle, value, hostLabels(labelValues));
                    }
                }
            }
        }
    }

    private static final class HostGauge extends Metric implements Gauge {
        HostGauge(HostMetrics owner, long handle, String name, String[] labelKeys) {
            super(owner, handle, name, MetricKind.GAUGE, labelKeys);
        }

        @Override
        public void set(double value, String... labelValues) {
            if (ready(value, labelValues)) {
                synchronized (this) {
                    if (!closed) {
                        api.gaugeSet(handle, value, hostLabels(labelValues));
                    }
                }
            }
        }

        @Override
        public void add(double value, String... labelValues) {
            if (ready(value, labelValues)) {
                synchronized (this) {
                    if (!closed) {
                        api.gaugeAdd(handle, value, hostLabels(labelValues));
                    }
                }
            }
        }
    }
}
