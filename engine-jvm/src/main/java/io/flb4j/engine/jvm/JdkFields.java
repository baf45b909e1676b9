package io.flb4j.engine.jvm;

import java.lang.reflect.Field;

/**
 * Fields of JDK objects that the end of a generation reads to find what the generation left
 * behind: through the {@code --add-opens} of flb4j's JVM defaults ({@code java.lang},
 * {@code java.util.concurrent}), and where a package is not opened (the JDK's HTTP server, or
 * options that replaced the defaults) with {@code sun.misc.Unsafe}, for which JDK 24 and later
 * print one deprecation warning, the first time only. A caller treats any failure as "not the
 * layout this class knows" and leaves the object alone.
 */
final class JdkFields {
    private JdkFields() {}

    /** A field made accessible (for {@code java.lang}: the --add-opens of flb4j's JVM defaults allow it). */
    static Field open(Class<?> c, String name) throws NoSuchFieldException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /** A field of a JDK object: through reflection where its package is opened to flb4j, else with {@code sun.misc.Unsafe}. */
    static Object read(Object o, String field) throws ReflectiveOperationException {
        Field f = o.getClass().getDeclaredField(field);
        if (f.trySetAccessible()) {
            return f.get(o);
        }
        long offset = (long) unsafe("objectFieldOffset", new Class<?>[] {Field.class}, f);
        return unsafe("getObject", new Class<?>[] {Object.class, long.class}, o, offset);
    }

    /**
     * A static field of a JDK class, read as {@link #read} reads an instance's. Through
     * {@code sun.misc.Unsafe} the class is not initialized: a class no one has used yet reads
     * {@code null}.
     */
    static Object readStatic(Class<?> c, String field) throws ReflectiveOperationException {
        Field f = c.getDeclaredField(field);
        if (f.trySetAccessible()) {
            return f.get(null);
        }
        Object base = unsafe("staticFieldBase", new Class<?>[] {Field.class}, f);
        long offset = (long) unsafe("staticFieldOffset", new Class<?>[] {Field.class}, f);
        return unsafe("getObject", new Class<?>[] {Object.class, long.class}, base, offset);
    }

    private static Object unsafe(String method, Class<?>[] types, Object... args) throws ReflectiveOperationException {
        Class<?> unsafe = Class.forName("sun.misc.Unsafe");
        return unsafe.getMethod(method, types).invoke(open(unsafe, "theUnsafe").get(null), args);
    }

    /** The {@code Runnable} a thread was made with: {@code target} to JDK 18, {@code holder.task} after. */
    static Object runnableOf(Thread t) throws ReflectiveOperationException {
        try {
            return open(Thread.class, "target").get(t);
        } catch (NoSuchFieldException e) {
            Object holder = open(Thread.class, "holder").get(t);
            return holder == null ? null : open(holder.getClass(), "task").get(holder);
        }
    }
}
