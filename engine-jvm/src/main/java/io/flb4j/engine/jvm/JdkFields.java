package io.flb4j.engine.jvm;

import java.lang.reflect.Field;

/**
 * Fields of JDK objects that the end of a generation reads to find what the generation left
 * behind: through the {@code --add-opens} of flb4j's JVM defaults ({@code java.lang},
 * {@code java.util.concurrent}). A package they do not open (the JDK's HTTP server, Flight
 * Recorder's list of listeners) is opened to unnamed modules when first needed, as
 * {@code --add-opens …=ALL-UNNAMED} would have, through {@code Module}'s own method for it
 * (reachable since {@code java.lang} is open); only where that fails (options that replaced the
 * defaults) is {@code sun.misc.Unsafe} used, for which JDK 24 and later print one deprecation
 * warning. A caller treats any failure as "not the layout this class knows" and leaves the object
 * alone.
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
        if (accessible(f)) {
            return f.get(o);
        }
        long offset = (long) unsafe("objectFieldOffset", new Class<?>[] {Field.class}, f);
        return unsafe("getObject", new Class<?>[] {Object.class, long.class}, o, offset);
    }

    /**
     * A static field of a JDK class, read as {@link #read} reads an instance's (through reflection
     * the class is initialized first; through {@code sun.misc.Unsafe} it is not, and a class no one
     * has used yet reads {@code null}).
     */
    static Object readStatic(Class<?> c, String field) throws ReflectiveOperationException {
        Field f = c.getDeclaredField(field);
        if (accessible(f)) {
            return f.get(null);
        }
        Object base = unsafe("staticFieldBase", new Class<?>[] {Field.class}, f);
        long offset = (long) unsafe("staticFieldOffset", new Class<?>[] {Field.class}, f);
        return unsafe("getObject", new Class<?>[] {Object.class, long.class}, base, offset);
    }

    /**
     * Makes {@code member} (a field or method of a JDK class) accessible, opening its package to
     * unnamed modules first if need be.
     */
    static boolean accessible(java.lang.reflect.AccessibleObject member) {
        if (member.trySetAccessible()) {
            return true;
        }
        Class<?> c = ((java.lang.reflect.Member) member).getDeclaringClass();
        try {
            var open = Module.class.getDeclaredMethod("implAddOpensToAllUnnamed", String.class);
            open.setAccessible(true);
            open.invoke(c.getModule(), c.getPackageName());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
        return member.trySetAccessible();
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
