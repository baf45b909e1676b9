package io.flb4j.engine.jvm;

import java.util.List;

/**
 * The classes a generation's class loader defined, read from the loader's own list (through
 * flb4j's default {@code --add-opens java.base/java.lang}): a JVM-wide registry of the JDK's is
 * looked at only when one of them could be in it.
 */
final class GenerationClasses {
    private GenerationClasses() {}

    /**
     * Whether a class {@code loader} defined extends or implements the type named {@code type};
     * true where its classes cannot be read, so that the caller looks anyway.
     */
    static boolean anyIs(ClassLoader loader, String type) {
        try {
            List<?> classes = (List<?>) JdkFields.open(ClassLoader.class, "classes").get(loader);
            Object[] all;
            synchronized (classes) {   // ClassLoader adds to it so
                all = classes.toArray();
            }
            for (Object c : all) {
                if (is((Class<?>) c, type)) {
                    return true;
                }
            }
            return false;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    private static boolean is(Class<?> k, String type) {
        for (; k != null; k = k.getSuperclass()) {
            if (k.getName().equals(type)) {
                return true;
            }
            for (Class<?> i : k.getInterfaces()) {
                if (is(i, type)) {
                    return true;
                }
            }
        }
        return false;
    }
}
