package io.flb4j.host;

import io.flb4j.binding.PluginDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The plugin life cycle of the Fluent Bit proxy ABI as plain Java calls, for an engine to make.
 * One {@code PluginHost} per loaded plugin generation (a hot reload makes a new one in a new
 * class loader). No method throws: every failure is logged through the {@link HostApi} once,
 * with the plugin and instance, and becomes a return code.
 *
 * <p>CONTRACT SKELETON: the signatures are fixed; the runtime issue implements the bodies.
 */
public final class PluginHost {
    /** Fluent Bit's return codes. */
    public static final int FLB_ERROR = 0;
    public static final int FLB_OK = 1;
    public static final int FLB_RETRY = 2;

    private PluginHost() {}

    /** Reads the descriptor visible to {@code pluginLoader} and finds the generated binding there. */
    public static PluginHost load(HostApi api, ClassLoader pluginLoader) throws IOException {
        throw new UnsupportedOperationException("contract skeleton");
    }

    public PluginDescriptor descriptor() {
        throw new UnsupportedOperationException("contract skeleton");
    }

    /**
     * Creates, configures and initialises one instance. Returns its handle (&gt; 0), which the
     * engine stores in {@code remote_context}, or 0 when init failed (already logged).
     */
    public long initInstance(long nativeInstance) {
        throw new UnsupportedOperationException("contract skeleton");
    }

    /** FLBPluginInputPreRun / FLBPluginOutputPreRun; returns 0. */
    public int preRun(int hotReload) {
        throw new UnsupportedOperationException("contract skeleton");
    }

    /** Flushes one chunk, valid only during this call, to the instance; returns FLB_OK, FLB_RETRY or FLB_ERROR. */
    public int flush(long handle, ByteBuffer chunk, String tag) {
        throw new UnsupportedOperationException("contract skeleton");
    }

    /** What the instance has queued (up to the maximum chunk size), encoded as Fluent Bit events; null when nothing. */
    public byte[] collect(long handle) {
        throw new UnsupportedOperationException("contract skeleton");
    }

    /** Fluent Bit took the buffer the last {@link #collect} returned (called from its cleanup callback). */
    public void handedOff(long handle) {
        throw new UnsupportedOperationException("contract skeleton");
    }

    /** FLBPluginInputPause: every input instance of the plugin stops handing out events; producers block. */
    public void pause() {
        throw new UnsupportedOperationException("contract skeleton");
    }

    /** FLBPluginInputResume. */
    public void resume() {
        throw new UnsupportedOperationException("contract skeleton");
    }

    /** FLBPlugin{Input,Output}PreExit. */
    public void preExit(int byHotReload) {
        throw new UnsupportedOperationException("contract skeleton");
    }

    /** FLBPluginExitCtx: stops and closes one instance; returns FLB_OK or FLB_ERROR. */
    public int exitInstance(long handle) {
        throw new UnsupportedOperationException("contract skeleton");
    }

    /** FLBPluginExit (no context): stops and closes every instance; returns FLB_OK or FLB_ERROR. */
    public int exitAll() {
        throw new UnsupportedOperationException("contract skeleton");
    }

    /** FLBPluginUnregister: closes whatever is left; the host is unusable afterwards. */
    public void unregister() {
        throw new UnsupportedOperationException("contract skeleton");
    }
}
