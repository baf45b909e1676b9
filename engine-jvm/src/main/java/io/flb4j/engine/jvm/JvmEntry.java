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
            GenerationThreads.Held.class, GenerationLeaks.Holders.class, InheritedContext.class, JdkFields.class);
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
     * generation whose class loader survived it: one warning naming what holds it.
     */
    public void reportLeak(ClassLoader old, int generation, int now) {
        try {
            JniHostApi.logAlways(2, GenerationLeaks.warning(host.pluginName(), old, generation, now));
        } catch (RuntimeException ignored) {
            // A report must never fail the reload.
        }
    }

    /**
     * Ends this generation: every instance closed, its JDBC drivers deregistered, the threads it
     * left running interrupted ({@link GenerationThreads}), the class loader released.
     */
    public void unregister() {
        host.unregister();
        ClassLoader generation = JvmEntry.class.getClassLoader();
        try {
            for (String address : Generations.stopServers(generation)) {
                JniHostApi.logAlways(2, "[flb4j:" + host.pluginName() + "] the generation left an HTTP server listening "
                        + "on " + address + " (com.sun.net.httpserver, not stopped in close()); flb4j stopped it, so "
                        + "that the next generation can bind the address");
            }
            List<String> pools = Generations.stopExecutors(generation);
            if (!pools.isEmpty()) {
                JniHostApi.logAlways(3, "[flb4j:" + host.pluginName() + "] the generation's thread pools " + pools
                        + " were still running after close(); flb4j shut them down");
            }
            List<String> ended = Generations.ended(generation);
            if (!ended.isEmpty()) {
                JniHostApi.logAlways(3, "[flb4j:" + host.pluginName() + "] the generation's threads " + ended
                        + " were still running after close(); interrupted, they ended");
            }
        } catch (RuntimeException e) {
            JniHostApi.logAlways(2, "[flb4j:" + host.pluginName() + "] ending the generation (its JDBC drivers, its threads) failed: " + e);
        }
        if (JvmEntry.class.getClassLoader() instanceof java.net.URLClassLoader loader) {
            try {
                loader.close();
            } catch (IOException ignored) {
                // The jar stays open until the loader is collected; nothing else depends on it.
            }
        }
        // A full collection per reload unloads the generations before this one (this one is
        // still on the stack): without it the serial collector's young collections never do,
        // and each reload's classes would stay until the metaspace limit.
        System.gc();
    }
}
