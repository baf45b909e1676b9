package io.flb4j.engine.graal;

import io.flb4j.host.HostApi;
import java.nio.ByteBuffer;
import org.graalvm.nativeimage.UnmanagedMemory;
import org.graalvm.nativeimage.c.type.CCharPointer;
import org.graalvm.nativeimage.c.type.CCharPointerPointer;
import org.graalvm.nativeimage.c.type.CTypeConversion;
import org.graalvm.word.PointerBase;
import org.graalvm.word.WordFactory;

/**
 * The GraalVM engine's {@link HostApi}: each call goes through the C function the shim put in
 * {@link GraalHost}, the same host functions the JVM engine's JNI natives reach.
 */
public final class GraalHostApi implements HostApi {
    private final GraalHost host;

    /** The host API over the shim's table of host functions. */
    public GraalHostApi(GraalHost host) {
        this.host = host;
    }

    @Override
    public String property(long instance, String key) {
        try (CTypeConversion.CCharPointerHolder k = CTypeConversion.toCString(key)) {
            return string(host.property().invoke(instance, k.get()));
        }
    }

    @Override
    public String instanceName(long instance) {
        return string(host.instanceName().invoke(instance));
    }

    @Override
    public boolean logEnabled(long instance, int level) {
        return host.logEnabled().invoke(instance, level) != 0;
    }

    @Override
    public void log(long instance, int level, String message) {
        try (CTypeConversion.CCharPointerHolder m = CTypeConversion.toCString(message)) {
            host.log().invoke(instance, level, m.get());
        }
    }

    @Override
    public long counterCreate(long instance, String namespace, String subsystem, String name, String help,
                              String[] labelKeys) {
        return create(host.counterCreate(), instance, new String[] {namespace, subsystem, name, help}, labelKeys);
    }

    @Override
    public long gaugeCreate(long instance, String namespace, String subsystem, String name, String help,
                            String[] labelKeys) {
        return create(host.gaugeCreate(), instance, new String[] {namespace, subsystem, name, help}, labelKeys);
    }

    @Override
    public void counterAdd(long counter, double value, String[] labelValues) {
        update(host.counterAdd(), counter, value, labelValues);
    }

    @Override
    public void gaugeSet(long gauge, double value, String[] labelValues) {
        update(host.gaugeSet(), gauge, value, labelValues);
    }

    @Override
    public void gaugeAdd(long gauge, double value, String[] labelValues) {
        update(host.gaugeAdd(), gauge, value, labelValues);
    }

    /**
     * Hands C the batch in place, as the JVM engine does: the queue's batches are direct buffers,
     * whose address the image reads through {@code sun.nio.ch.DirectBuffer} (exported to the
     * image by {@code GraalVm.OPTIONS}). A buffer without one (a heap buffer) is copied into
     * unmanaged memory for the call.
     */
    @Override
    public int submit(long instance, ByteBuffer batch, int offset, int length) {
        if (batch instanceof sun.nio.ch.DirectBuffer direct && direct.address() != 0) {
            PointerBase at = WordFactory.pointer(direct.address() + offset);
            int rc = host.submit().invoke(instance, at, length);
            java.lang.ref.Reference.reachabilityFence(batch);   // C read it during the call
            return rc;
        }
        PointerBase copy = UnmanagedMemory.malloc(Math.max(1, length));
        try {
            CTypeConversion.asByteBuffer(copy, length).put(batch.duplicate().limit(offset + length).position(offset));
            return host.submit().invoke(instance, copy, length);
        } finally {
            UnmanagedMemory.free(copy);
        }
    }

    @Override
    public long inChunks(long instance) {
        return host.inChunks().invoke(instance);
    }

    /** Answers the shim's flush completion {@code token} (once per token); the flush coroutine resumes. */
    public void flushDone(long token, int code) {
        host.flushDone().invoke(token, code);
    }

    private static String string(CCharPointer s) {
        return s.isNull() ? null : CTypeConversion.toJavaString(s);
    }

    private static long create(GraalHost.MetricCreate fn, long instance, String[] names, String[] keys) {
        CCharPointerPointer n = strings(names);
        CCharPointerPointer k = strings(keys);
        try {
            return fn.invoke(instance, n, keys.length, k);
        } finally {
            free(n, names.length);
            free(k, keys.length);
        }
    }

    private static void update(GraalHost.MetricUpdate fn, long metric, double value, String[] labels) {
        CCharPointerPointer l = strings(labels);
        try {
            fn.invoke(metric, value, labels.length, l);
        } finally {
            free(l, labels.length);
        }
    }

    /** A C array of C strings in unmanaged memory; freed with {@link #free}. */
    private static CCharPointerPointer strings(String[] values) {
        CCharPointerPointer array = UnmanagedMemory.calloc(Math.max(1, values.length) * 8);
        for (int i = 0; i < values.length; i++) {
            byte[] utf8 = values[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            CCharPointer c = UnmanagedMemory.malloc(utf8.length + 1);
            for (int b = 0; b < utf8.length; b++) {
                c.write(b, utf8[b]);
            }
            c.write(utf8.length, (byte) 0);
            array.write(i, c);
        }
        return array;
    }

    private static void free(CCharPointerPointer array, int count) {
        for (int i = 0; i < count; i++) {
            UnmanagedMemory.free(array.read(i));
        }
        UnmanagedMemory.free(array);
    }
}
