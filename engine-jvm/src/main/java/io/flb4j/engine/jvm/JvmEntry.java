package io.flb4j.engine.jvm;

import io.flb4j.host.PluginHost;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the shim calls, one plugin generation per instance: {@link PluginHost} with the JNI
 * host API, over the class loader that loaded this class (the plugin's own). Methods mirror
 * the ABI callbacks and never throw.
 */
public final class JvmEntry {
    /** Loaded with this class: the report runs after unregister has closed the jar they come from. */
    private static final List<Class<?>> LEAK_REPORT = List.of(GenerationLeaks.class, GenerationThreads.class,
            GenerationThreads.Held.class, GenerationLeaks.Holders.class, InheritedContext.class, JdkFields.class,
            ShutdownHooks.class, JfrListeners.class, GenerationClasses.class, JdkRegistries.class, JmxBeans.class,
            HeapPaths.class);
    private final PluginHost host;

    private JvmEntry(PluginHost host) {
        this.host = host;
    }

    /** Called by the shim once per generation; a failure here is reported by the shim. */
    public static JvmEntry start() throws IOException {
        ClassLoader loader = JvmEntry.class.getClassLoader();
        Generations.started(loader);
        return new JvmEntry(PluginHost.load(new JniHostApi(), loader));
    }

    /** FLBPluginInit: a new instance's handle, or 0. */
    public long init(long instance) {
        return host.initInstance(instance);
    }

    /** FLBPluginInputPreRun / FLBPluginOutputPreRun. */
    public int preRun(int hotReload) {
        return host.preRun(hotReload);
    }

    /**
     * FLBPluginFlushCtx: starts a flush of the chunk (in Fluent Bit's memory, valid until the
     * answer: the flush coroutine waits for it). Returns {@link PluginHost#FLUSH_PENDING} when the answer will reach the shim's
     * completion {@code token} through {@link JniHostApi#flushDone}, or the answer now.
     */
    public int flush(long handle, ByteBuffer chunk, byte[] tag, long token) {
        return host.flush(handle, chunk, new String(tag, StandardCharsets.UTF_8),
                code -> JniHostApi.flushDone(token, code));
    }

    /** FLBPluginInputCallbackCtx: the events to hand over, a direct buffer read in place until {@link #handedOff}; or null. */
    public ByteBuffer collect(long handle) {
        return host.collect(handle);
    }

    /** FLBPluginInputCleanupCallbackCtx: Fluent Bit took the last collect. */
    public void handedOff(long handle) {
        host.handedOff(handle);
    }

    /** FLBPluginInputPause. */
    public void pause() {
        host.pause();
    }

    /** FLBPluginInputResume. */
    public void resume() {
        host.resume();
    }

    /** FLBPluginInputPreExit / FLBPluginOutputPreExit. */
    public void preExit(int byHotReload) {
        host.preExit(byHotReload);
    }

    /** FLBPluginExitCtx: ends one instance. */
    public int exit(long handle) {
        return host.exitInstance(handle);
    }

    /** FLBPluginExit: ends every instance. */
    public int exitAll() {
        return host.exitAll();
    }

    /**
     * Called by the shim at the end of this generation, after the full collection, for an earlier
     * generation whose class loader survived it: one warning naming what holds it. Returns false,
     * with nothing said, when the generation is only being finalized and {@code last} is false:
     * the shim then looks again at the next generation's end.
     */
    public boolean reportLeak(ClassLoader old, int generation, int now, boolean last) {
        try {
            String warning = GenerationLeaks.warning(host.pluginName(), old, generation, now, last);
            if (warning == null) {
                return false;
            }
            JniHostApi.logAlways(2, warning);
        } catch (RuntimeException ignored) {
            // A report must never fail the reload.
        }
        return true;
    }

    /**
     * Ends this generation: every instance closed, its JDBC drivers deregistered, the threads it
     * left running interrupted ({@link GenerationThreads}), the class loader released.
     */
    public void unregister() {
        host.unregister();
        ClassLoader generation = JvmEntry.class.getClassLoader();
        String plugin = "[flb4j:" + host.pluginName() + "] ";
        Generations.end(generation, line -> JniHostApi.logAlways(3, plugin + line),
                line -> JniHostApi.logAlways(2, plugin + line));
        closeUnlessRunning(generation);
        // A full collection per reload unloads the generations before this one (this one is
        // still on the stack): without it the serial collector's young collections never do,
        // and each reload's classes would stay until the metaspace limit. An earlier generation's
        // objects with a finalizer (Netty's buffer caches have one) survive the collection that finds
        // them, holding their class loader, until the finalizer has run: a second collection after
        // the finalizers frees them, rather than a leak reported that is not one.
        System.gc();
        collectFinalized();
    }

    /** One info line about what the generation left, when it left any: {@code the generation's <what> [..] <done>}. */
    private void said(String what, List<String> items, String done) {
        if (!items.isEmpty()) {
            JniHostApi.logAlways(3, "[flb4j:" + host.pluginName() + "] the generation's " + what + " " + items + " " + done);
        }
    }

    /**
     * Called by the shim when an earlier generation survived this generation's end (before it says
     * so): twice, a moment for what was ending (a library's threads), then the finalizers and a
     * full collection.
     */
    public void settle() {
        for (int i = 0; i < 2; i++) {
            try {
                Thread.sleep(SETTLE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            collectFinalized();
        }
    }

    private static final long SETTLE_MILLIS = 100;

    /** Runs the pending finalizers, then a full collection, which frees what they held. */
    private static void collectFinalized() {
        try {
            System.runFinalization();
        } catch (LinkageError e) {
            // A JDK without finalization: nothing is waiting for a finalizer.
        }
        System.gc();
    }

    /**
     * Closes the generation's class loader (its jar) unless a thread still runs its code: a
     * library that stops in the background after close() (Netty's event loops, which end after a
     * quiet period of 2 s) would otherwise fail on the next class it loads, with a
     * {@code NoClassDefFoundError}. An open loader's jar is closed when the loader is collected.
     */
    private void closeUnlessRunning(ClassLoader generation) {
        List<String> running;
        try {
            running = Generations.stillRunning(generation);
        } catch (RuntimeException e) {
            running = List.of("?");
        }
        List<String> named = running.stream().filter(n -> !n.startsWith(GenerationThreads.OWN_PREFIX)).toList();
        said("threads", named, "still run its code after close(); its classes stay loadable until they end");
        if (running.isEmpty() && generation instanceof java.net.URLClassLoader loader) {
            try {
                loader.close();
            } catch (IOException ignored) {
                // The jar stays open until the loader is collected; nothing else depends on it.
            }
        }
    }
}
