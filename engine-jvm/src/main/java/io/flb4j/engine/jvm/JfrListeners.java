package io.flb4j.engine.jvm;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Flight Recorder listeners a generation added and never removed. {@code FlightRecorder.addListener}
 * keeps a listener in a JVM-wide list for ever; a library that adds one from a static initializer
 * (Netty 4.2's buffer allocator does, to register its allocation events) holds its class loader
 * there: every generation of a plugin that bundles it would stay in memory, and nothing but a heap
 * dump would say why. At the end of a generation flb4j removes every listener of the generation's
 * classes with the public {@code FlightRecorder.removeListener}. The list itself is the JDK's
 * ({@code jdk.jfr.internal.PlatformRecorder.changeListeners}: JDK 17 wraps each listener with its
 * access control context, later JDKs keep it bare). It is read only when one of the generation's
 * classes is a listener (its class loader's list of classes, through flb4j's default
 * {@code --add-opens java.base/java.lang}), and then through {@link JdkFields}, which opens
 * {@code jdk.jfr.internal} for it. Without the {@code jdk.jfr} module (a trimmed runtime) nothing
 * is looked at.
 */
final class JfrListeners {
    private static final String RECORDER = "jdk.jfr.internal.PlatformRecorder";
    private static final String LISTENER = "jdk.jfr.FlightRecorderListener";

    private JfrListeners() {}

    /** Removes the listeners of {@code loader}'s classes; returns their class names. */
    static List<String> remove(ClassLoader loader) {
        List<String> removed = new ArrayList<>();
        List<Object> listeners = of(loader);
        if (listeners.isEmpty()) {
            return removed;
        }
        try {
            Method removal = Class.forName("jdk.jfr.FlightRecorder").getMethod("removeListener", Class.forName(LISTENER));
            for (Object listener : listeners) {
                if ((boolean) removal.invoke(null, listener)) {
                    removed.add(listener.getClass().getName());
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Left in place; the leak report names it.
        }
        return removed;
    }

    /** The Flight Recorder listeners whose class {@code loader} loaded. */
    static List<Object> of(ClassLoader loader) {
        List<Object> found = new ArrayList<>();
        var module = ModuleLayer.boot().findModule("jdk.jfr");
        if (module.isEmpty() || !GenerationClasses.anyIs(loader, LISTENER)) {
            return found;
        }
        try {
            Class<?> recorder = Class.forName(RECORDER, false, module.get().getClassLoader());
            Object list = JdkFields.readStatic(recorder, "changeListeners");
            if (!(list instanceof List<?> listeners)) {
                return found;
            }
            Object[] all;
            synchronized (recorder) {   // PlatformRecorder's own lock for the list
                all = listeners.toArray();
            }
            for (Object entry : all) {
                Object listener = unwrapped(entry);
                if (listener != null && listener.getClass().getClassLoader() == loader) {
                    found.add(listener);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Another JDK's layout: nothing found, nothing removed.
        }
        return found;
    }

    /** The listener an entry of the list holds: itself, or (JDK 17) the one its security wrapper holds. */
    private static Object unwrapped(Object entry) throws ReflectiveOperationException {
        if (entry == null || entry.getClass().getClassLoader() != null) {
            return entry;
        }
        for (Field f : entry.getClass().getDeclaredFields()) {
            if (f.getName().equals("changeListener")) {
                return JdkFields.read(entry, "changeListener");
            }
        }
        return entry;
    }
}
