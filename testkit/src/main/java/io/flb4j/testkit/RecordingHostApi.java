package io.flb4j.testkit;

import io.flb4j.binding.PluginKind;
import io.flb4j.binding.KeptKeys;
import io.flb4j.host.HostApi;
import io.flb4j.metrics.MetricKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link HostApi} that stands in for Fluent Bit: properties from a map (keys matched
 * case-insensitively), log lines and metric values recorded. Thread-safe. As in Fluent Bit, a
 * key that Fluent Bit's core keeps for the plugin's kind ({@link KeptKeys}) is never returned.
 *
 * <pre>{@code
 * RecordingHostApi api = new RecordingHostApi(Map.of("foo", "bar"));
 * ... api.logs() ... api.metricValue("records_total")
 * }</pre>
 */
public final class RecordingHostApi implements HostApi {
    /** One log line as Fluent Bit would print it: level 1 error … 5 trace. */
    public record LogLine(int level, String message) {
        @Override
        public String toString() {
            return List.of("", "error", "warn", "info", "debug", "trace").get(level) + " " + message;
        }
    }

    private final Map<String, String> properties = new HashMap<>();
    private final PluginKind kind;
    private final int logLevel;
    private final List<LogLine> logs = new ArrayList<>();
    private final Map<Long, MetricState> metrics = new HashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);
    private final List<byte[]> appended = new ArrayList<>();
    private volatile boolean eventPath = true;
    /** Batches appended, and of those moved into chunks (guarded by {@code appended}). */
    private long submitted;
    private long inChunks;
    private boolean ringHeld;
    private boolean paused;
    private boolean stopping;

    private static final class MetricState {
        final String name;
        final String kind;
        final List<String> labelKeys;
        final Map<List<String>, Double> values = new HashMap<>();

        MetricState(String name, String kind, String[] labelKeys) {
            this.name = name;
            this.kind = kind;
            this.labelKeys = List.of(labelKeys);
        }
    }

    /** Properties for every instance of a plugin of {@code kind}; logs everything up to debug. */
    public RecordingHostApi(Map<String, String> properties, PluginKind kind) {
        this(properties, kind, 4);
    }

    /** A host with these properties (keys Fluent Bit keeps for {@code kind} are hidden) and Fluent Bit's log level. */
    public RecordingHostApi(Map<String, String> properties, PluginKind kind, int logLevel) {
        properties.forEach((k, v) -> this.properties.put(k.toLowerCase(Locale.ROOT), v));
        this.kind = kind;
        this.logLevel = logLevel;
    }

    @Override
    public synchronized String property(long instance, String key) {
        return KeptKeys.isKept(kind, key) ? null : properties.get(key.toLowerCase(Locale.ROOT));
    }

    /**
     * As Fluent Bit's event path does (the path production uses): waits while the input is paused,
     * then takes a copy of the batch for {@link #appended}. With {@link #withoutEventPath()}, like a
     * Fluent Bit without that path: the tester's collect, Fluent Bit's 1-second collect, drains
     * the queue instead.
     */
    @Override
    public int submit(long instance, java.nio.ByteBuffer batch, int offset, int length) {
        if (!eventPath) {
            return SUBMIT_NO_PATH;
        }
        synchronized (appended) {
            while (paused && !stopping) {
                try {
                    appended.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return SUBMIT_STOPPING;
                }
            }
            if (stopping) {
                return SUBMIT_STOPPING;
            }
            byte[] bytes = new byte[length];
            batch.duplicate().position(offset).get(bytes);
            appended.add(bytes);
            submitted++;
            if (!ringHeld) {
                inChunks = submitted;
            }
        }
        return SUBMIT_TAKEN;
    }

    /**
     * As Fluent Bit's engine does for a threaded input: of the batches appended, how many it has
     * moved from the input's ring buffer into chunks. All of them, unless {@link #holdRing} holds
     * them in the ring.
     */
    @Override
    public long inChunks(long instance) {
        synchronized (appended) {
            return inChunks;
        }
    }

    /**
     * Holds the batches appended from now on in the input's ring buffer (true), as a busy or
     * stalled Fluent Bit engine does for up to 250 ms, or moves every one into chunks (false).
     */
    public void holdRing(boolean hold) {
        synchronized (appended) {
            ringHeld = hold;
            if (!hold) {
                inChunks = submitted;
            }
        }
    }

    /** From now on, like a Fluent Bit whose input has no event path: batches wait for the collect. */
    public RecordingHostApi withoutEventPath() {
        eventPath = false;
        return this;
    }

    /** What the event path appended since the last call, in order. */
    public List<byte[]> appended() {
        synchronized (appended) {
            List<byte[]> out = new ArrayList<>(appended);
            appended.clear();
            return out;
        }
    }

    /** Fluent Bit's pause (true) and resume (false) of the input, as the event path sees them. */
    public void paused(boolean pause) {
        synchronized (appended) {
            paused = pause;
            appended.notifyAll();
        }
    }

    /** The input is stopping: a waiting submit returns SUBMIT_STOPPING, as the shim's does. */
    public void stopping() {
        synchronized (appended) {
            stopping = true;
            appended.notifyAll();
        }
    }

    /** {@code null}: the host runs its instances under their default names, {@code <plugin>.<n>}. */
    @Override
    public String instanceName(long instance) {
        return null;
    }

    @Override
    public boolean logEnabled(long instance, int level) {
        return level <= logLevel;
    }

    @Override
    public synchronized void log(long instance, int level, String message) {
        logs.add(new LogLine(level, message));
    }

    @Override
    public synchronized long counterCreate(long instance, String ns, String subsystem, String name, String help,
                                           String[] labelKeys) {
        return create(name, MetricKind.COUNTER.label(), labelKeys);
    }

    @Override
    public synchronized long gaugeCreate(long instance, String ns, String subsystem, String name, String help,
                                         String[] labelKeys) {
        return create(name, MetricKind.GAUGE.label(), labelKeys);
    }

    private long create(String name, String kind, String[] labelKeys) {
        long handle = nextHandle.getAndIncrement();
        metrics.put(handle, new MetricState(name, kind, labelKeys));
        return handle;
    }

    @Override
    public synchronized void counterAdd(long counter, double value, String[] labelValues) {
        metrics.get(counter).values.merge(List.of(labelValues), value, Double::sum);
    }

    @Override
    public synchronized void gaugeSet(long gauge, double value, String[] labelValues) {
        metrics.get(gauge).values.put(List.of(labelValues), value);
    }

    @Override
    public synchronized void gaugeAdd(long gauge, double value, String[] labelValues) {
        metrics.get(gauge).values.merge(List.of(labelValues), value, Double::sum);
    }

    /** Every line logged so far. */
    public synchronized List<LogLine> logs() {
        return List.copyOf(logs);
    }

    /**
     * The value of a metric, summed over instances, for the plugin's own label values (without
     * the instance's {@code name}, which every series carries first); 0 when never updated.
     *
     * @throws IllegalArgumentException when no metric of that name was created
     */
    public synchronized double metricValue(String name, String... labelValues) {
        boolean found = false;
        double sum = 0;
        for (MetricState m : metrics.values()) {
            if (m.name.equals(name)) {
                found = true;
                for (Map.Entry<List<String>, Double> series : m.values.entrySet()) {
                    List<String> labels = series.getKey();
                    if (labels.subList(1, labels.size()).equals(Arrays.asList(labelValues))) {
                        sum += series.getValue();
                    }
                }
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no metric named '" + name + "' was created");
        }
        return sum;
    }

    /** Every series of a metric: its full label values (the instance's name first) and value. */
    public synchronized Map<List<String>, Double> series(String name) {
        Map<List<String>, Double> all = new HashMap<>();
        metrics.values().stream().filter(m -> m.name.equals(name)).forEach(m -> all.putAll(m.values));
        return all;
    }
}
