package io.flb4j.engine.jvm;

import io.flb4j.host.HostApi;
import java.nio.charset.StandardCharsets;

/**
 * The JVM engine's {@link HostApi}: each method is a native the shim registers on this class
 * (as loaded by the plugin's own class loader) when the plugin starts. Strings cross as UTF-8
 * bytes, so no text is ever read as JNI's modified UTF-8.
 */
final class JniHostApi implements HostApi {
    private static native byte[] property(long instance, byte[] key);

    /** Answers the shim's flush completion {@code token} (once per token); the flush coroutine resumes. */
    static native void flushDone(long token, int code);

    private static native int submitBatch(long instance, java.nio.ByteBuffer batch, int offset, int length);

    private static native long inChunks0(long instance);

    private static native byte[] nameOf(long instance);

    private static native boolean isLogEnabled(long instance, int level);

    private static native void log(long instance, int level, byte[] message);

    private static native long counterCreate(long instance, byte[][] names, byte[][] labelKeys);

    private static native long gaugeCreate(long instance, byte[][] names, byte[][] labelKeys);

    private static native void counterAdd(long counter, double value, byte[][] labelValues);

    private static native void gaugeSet(long gauge, double value, byte[][] labelValues);

    private static native void gaugeAdd(long gauge, double value, byte[][] labelValues);

    /**
     * The path from a GC root to an object of {@code loader}'s generation, walking the heap with
     * JVMTI, not through field {@code referents[i]} (the JVM's index) of an instance of
     * {@code references[i]}: {root thread, root kind (a JVMTI heap reference kind, as text), root
     * method, int[] kinds, int[] indexes, Object[] objects}; empty when there is none; null when
     * the JVM cannot walk its heap.
     */
    static native Object[] heapPath(Object loader, Class<?>[] references, int[] referents);

    /** A line for Fluent Bit's log that belongs to no instance (instance 0: every level is written). */
    static void logAlways(int level, String message) {
        log(0, level, message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public String property(long instance, String key) {
        byte[] value = property(instance, utf8(key));
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public long inChunks(long instance) {
        return inChunks0(instance);
    }

    @Override
    public int submit(long instance, java.nio.ByteBuffer batch, int offset, int length) {
        return submitBatch(instance, batch, offset, length);
    }

    @Override
    public String instanceName(long instance) {
        byte[] name = nameOf(instance);
        return name == null ? null : new String(name, StandardCharsets.UTF_8);
    }

    @Override
    public boolean logEnabled(long instance, int level) {
        return isLogEnabled(instance, level);
    }

    @Override
    public void log(long instance, int level, String message) {
        log(instance, level, utf8(message));
    }

    @Override
    public long counterCreate(long instance, String namespace, String subsystem, String name, String help,
                              String[] labelKeys) {
        return counterCreate(instance, utf8(namespace, subsystem, name, help), utf8(labelKeys));
    }

    @Override
    public long gaugeCreate(long instance, String namespace, String subsystem, String name, String help,
                            String[] labelKeys) {
        return gaugeCreate(instance, utf8(namespace, subsystem, name, help), utf8(labelKeys));
    }

    @Override
    public void counterAdd(long counter, double value, String[] labelValues) {
        counterAdd(counter, value, utf8(labelValues));
    }

    @Override
    public void gaugeSet(long gauge, double value, String[] labelValues) {
        gaugeSet(gauge, value, utf8(labelValues));
    }

    @Override
    public void gaugeAdd(long gauge, double value, String[] labelValues) {
        gaugeAdd(gauge, value, utf8(labelValues));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] utf8(String... strings) {
        byte[][] out = new byte[strings.length][];
        for (int i = 0; i < strings.length; i++) {
            out[i] = utf8(strings[i]);
        }
        return out;
    }
}
