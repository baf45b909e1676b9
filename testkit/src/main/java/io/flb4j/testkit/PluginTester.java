package io.flb4j.testkit;

import io.flb4j.api.Event;
import io.flb4j.api.FlushResult;
import io.flb4j.binding.PluginBinding;
import io.flb4j.binding.PluginDescriptor;
import io.flb4j.api.telemetry.MetricSet;
import io.flb4j.api.telemetry.TraceSet;
import io.flb4j.codec.ChunkDecoder;
import io.flb4j.codec.TelemetryDecoder;
import io.flb4j.host.PluginHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Runs one plugin instance through its generated binding, the real {@link PluginHost} and the
 * real codec, with a {@link RecordingHostApi} in place of Fluent Bit.
 *
 * <pre>{@code
 * try (PluginTester out = PluginTester.of(JsonLinesOutput.class).config("path", tmp.toString()).start()) {
 *     assertEquals(FlushResult.OK, out.flush("app", Event.of(Map.of("message", "hi"))));
 *     assertEquals(1.0, out.metric("written_total", "app"));
 * }
 * try (PluginTester in = PluginTester.of(HelloInput.class).config("interval", "10ms").start()) {
 *     List<Event> events = in.collect(3, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class PluginTester implements AutoCloseable {
    private final List<MetricSet> metricSets = new ArrayList<>();
    private final List<TraceSet> traceSets = new ArrayList<>();
    private final List<Event> pendingEvents = new ArrayList<>();
    private static final long INSTANCE_POINTER = 0x1000;

    private PluginBinding<?> binding;
    private final PluginDescriptor descriptor;
    /** For {@link #reload}: the plugin class's name and where its module's classes are; null when not reloadable. */
    private final String reloadableClass;
    private final java.net.URL reloadableFrom;
    private final List<java.lang.ref.WeakReference<ClassLoader>> endedGenerations = new ArrayList<>();
    private final Map<String, String> config = new HashMap<>();
    private RecordingHostApi api;
    private PluginHost host;
    private long handle;
    private boolean eventPath = true;
    private boolean ringHeld;

    private PluginTester(PluginBinding<?> binding, PluginDescriptor descriptor) {
        this(binding, descriptor, null, null);
    }

    private PluginTester(PluginBinding<?> binding, PluginDescriptor descriptor, String reloadableClass,
                         java.net.URL reloadableFrom) {
        this.binding = binding;
        this.descriptor = descriptor;
        this.reloadableClass = reloadableClass;
        this.reloadableFrom = reloadableFrom;
    }

    /**
     * The tester of {@code pluginClass} run as Fluent Bit's JVM engine runs it: its module's classes
     * in a class loader of their own, one per generation, so that {@link #reload} can end a
     * generation, start the next from the same classes, and {@link #assertEndedGenerationsUnloaded}
     * can check that the old ones are gone. The test then shares no static state with the plugin.
     *
     * <pre>{@code
     * try (PluginTester out = PluginTester.reloadable(MyOutput.class).start()) {
     *     out.flush("app", Event.of(Map.of("message", "hi")));
     *     out.reload();                        // as a SIGHUP does
     *     out.assertEndedGenerationsUnloaded();
     * }
     * }</pre>
     */
    public static PluginTester reloadable(Class<?> pluginClass) {
        java.net.URL from = pluginClass.getProtectionDomain().getCodeSource().getLocation();
        GenerationLoader loader = GenerationLoader.start(from, pluginClass.getClassLoader());
        return new PluginTester(bindingIn(pluginClass.getName(), loader), descriptorOf(pluginClass.getName(), loader),
                pluginClass.getName(), from);
    }

    private static PluginBinding<?> bindingIn(String pluginClass, ClassLoader loader) {
        for (PluginBinding<?> b : ServiceLoader.load(PluginBinding.class, loader)) {
            if (b.pluginClass().getName().equals(pluginClass) && b.getClass().getClassLoader() == loader) {
                return b;
            }
        }
        throw new IllegalArgumentException("no generated binding for " + pluginClass + " in " + loader);
    }

    private static PluginDescriptor descriptorOf(String pluginClass, ClassLoader loader) {
        try {
            PluginDescriptor d = PluginDescriptor.load(loader);
            if (!d.pluginClass().equals(pluginClass.replace('$', '.'))) {
                throw new IllegalArgumentException("the plugin descriptor next to " + pluginClass + " describes "
                        + d.pluginClass());
            }
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class loader of the running generation's plugin classes (do not keep it past a {@link #reload}). */
    public ClassLoader pluginClassLoader() {
        return binding.getClass().getClassLoader();
    }

    /**
     * A hot reload: ends this generation (every instance closed, as Fluent Bit's SIGHUP does) and
     * starts the next in a new class loader, with the same configuration. Only for
     * {@link #reloadable} testers.
     */
    public PluginTester reload() {
        if (reloadableClass == null) {
            throw new IllegalStateException("reload() needs PluginTester.reloadable(...): this tester shares the test's class loader");
        }
        ClassLoader parent = endGeneration();
        for (int attempt = 1; ; attempt++) {
            binding = bindingIn(reloadableClass, GenerationLoader.start(reloadableFrom, parent));
            host = null;
            try {
                return start();
            } catch (IllegalStateException e) {
                if (!String.valueOf(e.getMessage()).contains("already loaded in another classloader")
                        || attempt == JNI_RELOAD_ATTEMPTS) {
                    throw e;
                }
                // The JVM lets one class loader at a time hold a JNI library, and an ended generation's
                // loader holds the libraries it loaded until it is collected. flb4j's shim waits for that
                // in Fluent Bit before it starts the next generation; here the next one is tried again.
                endGeneration();
                System.gc();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** How many times {@link #reload} starts the next generation while an ended one still holds a JNI library (3 s). */
    private static final int JNI_RELOAD_ATTEMPTS = 30;

    /** Closes the running generation and keeps a weak reference to it; returns its loader's parent. */
    private ClassLoader endGeneration() {
        ClassLoader old = binding.getClass().getClassLoader();
        close();
        endedGenerations.add(new java.lang.ref.WeakReference<>(old));
        return old.getParent();
    }

    /**
     * Asserts that every generation {@link #reload} ended has been collected, running the
     * collector a few times; fails naming the threads that hold one (as Fluent Bit's JVM engine
     * reports it).
     */
    public void assertEndedGenerationsUnloaded() throws InterruptedException {
        for (int i = 0; i < 10 && endedGenerations.stream().anyMatch(w -> w.get() != null); i++) {
            System.gc();
            Thread.sleep(50);
        }
        for (java.lang.ref.WeakReference<ClassLoader> w : endedGenerations) {
            ClassLoader loader = w.get();
            if (loader != null) {
                List<String> holders = new ArrayList<>();
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (t.getContextClassLoader() == loader || t.getClass().getClassLoader() == loader) {
                        holders.add("thread '" + t.getName() + "'");
                    }
                }
                throw new AssertionError("a generation of plugin '" + descriptor.name() + "' was not unloaded"
                        + (holders.isEmpty() ? " (no thread holds it: a ThreadLocal, a static field, a JMX bean?)"
                                : "; held by " + String.join(", ", holders))
                        + (Thread.class.getModule().isOpen("java.lang", PluginTester.class.getModule()) ? ""
                                : ". The tests run without --add-opens java.base/java.lang=ALL-UNNAMED --add-opens "
                                + "java.base/java.security=ALL-UNNAMED (flb4j's JVM in Fluent Bit has them), so the end "
                                + "of a generation could not free a library's threads from the access control context "
                                + "they inherited (the JDK's HttpClient): add them to surefire's argLine"));
            }
        }
    }

    /** The tester of {@code pluginClass}, found through its generated binding and descriptor on the class path. */
    public static PluginTester of(Class<?> pluginClass) {
        ClassLoader loader = pluginClass.getClassLoader();
        for (PluginBinding<?> b : ServiceLoader.load(PluginBinding.class, loader)) {
            if (b.pluginClass() == pluginClass) {
                return new PluginTester(b, descriptorOf(pluginClass, loader));
            }
        }
        throw new IllegalArgumentException("no generated binding for " + pluginClass.getName()
                + ": is it annotated @FluentBitInput/@FluentBitOutput/@FluentBitCustom and is flb4j-processor on the compiler's path?");
    }

    /** The tester of a plugin whose binding and descriptor you hold (several plugins on one class path). */
    public static PluginTester of(PluginBinding<?> binding, PluginDescriptor descriptor) {
        return new PluginTester(binding, descriptor);
    }

    private static PluginDescriptor descriptorOf(Class<?> pluginClass, ClassLoader loader) {
        try {
            PluginDescriptor d = PluginDescriptor.load(loader);
            if (!d.pluginClass().equals(pluginClass.getCanonicalName())) {
                throw new IllegalArgumentException("the plugin descriptor on the class path describes " + d.pluginClass()
                        + ", not " + pluginClass.getName() + "; use PluginTester.of(binding, descriptor)");
            }
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets a key of the instance's configuration section. */
    public PluginTester config(String key, String value) {
        config.put(key, value);
        return this;
    }

    /**
     * Runs an input as a Fluent Bit without the event path would (before 2.0, or a build whose
     * collector functions are not found): batches go out only through the 1-second collect. By
     * default the tester takes them by the event path, as a current Fluent Bit does.
     */
    public PluginTester withoutEventPath() {
        eventPath = false;
        return this;
    }

    /**
     * Creates and initialises the instance.
     *
     * @throws IllegalStateException when init fails; the message holds what was logged
     */
    public PluginTester start() {
        api = new RecordingHostApi(config, descriptor.kind());
        if (!eventPath) {
            api.withoutEventPath();
        }
        api.holdRing(ringHeld);
        host = PluginHost.create(api, binding.pluginClass().getClassLoader(), descriptor, binding);
        handle = host.initInstance(INSTANCE_POINTER);
        if (handle == 0) {
            throw new IllegalStateException("init of plugin '" + descriptor.name() + "' failed: " + api.logs());
        }
        host.preRun(0);
        return this;
    }

    /** Flushes the events as one chunk with {@code tag}, as Fluent Bit would. */
    public FlushResult flush(String tag, Event... events) {
        return flush(tag, Chunk.of(events));
    }

    /** Flushes a chunk; the output reads it in place from a direct buffer, as in Fluent Bit. */
    public FlushResult flush(String tag, Chunk chunk) {
        byte[] bytes = chunk.bytes();
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        int code = host.flush(handle, direct, tag);
        for (FlushResult r : FlushResult.values()) {
            if (r.code() == code) {
                return r;
            }
        }
        throw new IllegalStateException("unknown flush code " + code);
    }

    /**
     * Takes what the input hands Fluent Bit, as Fluent Bit does, until {@code count} events
     * arrived or {@code timeout} passed; returns the events decoded from what Fluent Bit got. By
     * the event path, batches are appended as they are sealed; without it, by the 1-second collect
     * (a callback, then its cleanup), called here every 5 ms.
     */
    public List<Event> collect(int count, Duration timeout) throws InterruptedException {
        takeUntil(() -> pendingEvents.size() >= count, timeout);
        List<Event> out = new ArrayList<>(pendingEvents);
        pendingEvents.clear();
        return out;
    }

    /**
     * As {@link #collect}, for an input that emits metrics: takes what it hands Fluent Bit until
     * {@code count} metric sets arrived or {@code timeout} passed; returns the sets as Fluent Bit
     * got them (decoded from the cmetrics contexts). Log events taken meanwhile are kept for the
     * next {@link #collect}.
     */
    public List<MetricSet> collectMetrics(int count, Duration timeout) throws InterruptedException {
        takeUntil(() -> metricSets.size() >= count, timeout);
        List<MetricSet> out = new ArrayList<>(metricSets);
        metricSets.clear();
        return out;
    }

    /**
     * As {@link #collectMetrics}, for an input that emits traces: the sets as Fluent Bit got them
     * (decoded from the ctraces contexts).
     */
    public List<TraceSet> collectTraces(int count, Duration timeout) throws InterruptedException {
        takeUntil(() -> traceSets.size() >= count, timeout);
        List<TraceSet> out = new ArrayList<>(traceSets);
        traceSets.clear();
        return out;
    }

    /** Takes what the input hands over, every 5 ms when there was nothing, until {@code done} or the timeout. */
    private void takeUntil(java.util.function.BooleanSupplier done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            if (!take()) {
                Thread.sleep(5);
            }
        }
    }

    /** One round of taking what the input handed over, into the pending events and sets; false when there was nothing. */
    private boolean take() {
        List<byte[]> batches = api.appended();
        batches.forEach(this::decode);
        byte[] chunk = collectNotTaken();
        if (chunk.length == 0) {
            return !batches.isEmpty();
        }
        // A copy, as Fluent Bit appends one: after the hand-off the batch's buffer takes new events.
        decode(chunk);
        host.handedOff(handle);
        return true;
    }

    /** A batch is log events or (a map first, as the shim tells them apart) cmetrics or ctraces contexts. */
    private void decode(byte[] batch) {
        ByteBuffer buf = ByteBuffer.wrap(batch);
        switch (TelemetryDecoder.kindOf(buf)) {
            case METRICS -> metricSets.addAll(TelemetryDecoder.metrics(buf));
            case TRACES -> traceSets.addAll(TelemetryDecoder.traces(buf));
            default -> ChunkDecoder.events(buf).forEach(pendingEvents::add);
        }
    }

    /**
     * Fluent Bit's 1-second collect without its cleanup: what C does when it cannot hand the
     * batch to Fluent Bit. Returns a copy of the bytes it was offered (empty when nothing); they
     * are not taken, and the next collect offers them again.
     */
    public byte[] collectNotTaken() {
        ByteBuffer chunk = host.collect(handle);
        byte[] bytes = new byte[chunk == null ? 0 : chunk.remaining()];
        if (chunk != null) {
            chunk.get(bytes);
        }
        return bytes;
    }

    /**
     * Holds what the input appends from now on in its ring buffer (true), as a busy Fluent Bit
     * engine does for up to 250 ms, or lets the engine move all of it into chunks (false). Events
     * in the ring are not handed off: {@code handedOff} and {@code awaitHandedOff} wait for the
     * chunk, since a Fluent Bit killed before then loses them.
     */
    public PluginTester holdRing(boolean hold) {
        ringHeld = hold;
        if (api != null) {
            api.holdRing(hold);
        }
        return this;
    }

    /** Fluent Bit's backpressure: the input stops being collected and its producers block. */
    public void pause() {
        api.paused(true);
        host.pause();
    }

    /** Fluent Bit's resume: an input's producers go on. */
    public void resume() {
        api.paused(false);
        host.resume();
    }

    /** Every line the instance logged, as {@code "<level> <message>"}. */
    public List<RecordingHostApi.LogLine> logs() {
        return api.logs();
    }

    /** A metric's value for the given label values. */
    public double metric(String name, String... labelValues) {
        return api.metricValue(name, labelValues);
    }

    /** The host, for what this class does not cover. */
    public PluginHost host() {
        return host;
    }

    /** The instance's handle in the host. */
    public long handle() {
        return handle;
    }

    /** Exits the instance (stops an input's collect loop, closes the plugin). */
    @Override
    public void close() {
        if (host != null) {
            api.stopping();   // as the shim's exit does first: a hand-off waiting on a pause returns
            host.unregister();
            if (reloadableClass != null && binding.getClass().getClassLoader() instanceof GenerationLoader generation) {
                generation.end();   // its JDBC drivers deregistered, threads it left interrupted
            }
        }
    }
}
