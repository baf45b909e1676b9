package io.flb4j.engine.jvm;

import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * What holds an ended generation when none of the holders {@link GenerationLeaks} knows of does:
 * the path from a GC root to one of its objects, found by the shim's walk of the heap
 * ({@code heappath.c}, JVMTI), written out one hop at a time: {@code class java.lang.System →
 * static field props: java.util.Properties → field map: … → field val:
 * com.example.Cached (the generation's)}. The walk follows every reference; a hop from a
 * {@link Reference} to its referent (a weak, soft or finalizer reference) is found here and the
 * heap walked again without it, up to {@value #MOST_WALKS} times, so that the path named is one
 * that really holds the generation. A generation reachable only through such references (a
 * {@code SoftReference} cache, which the JVM clears only when the heap runs short) is said to be.
 */
final class HeapPaths {
    private HeapPaths() {}

    /** Hops named in full; a longer path is shortened in its middle. */
    private static final int MOST_HOPS = 24;

    // JVMTI's heap reference kinds (jvmtiHeapReferenceKind)
    private static final int CLASS = 1;
    private static final int FIELD = 2;
    private static final int ARRAY_ELEMENT = 3;
    private static final int CLASS_LOADER = 4;
    private static final int SIGNERS = 5;
    private static final int PROTECTION_DOMAIN = 6;
    private static final int INTERFACE = 7;
    private static final int STATIC_FIELD = 8;
    private static final int CONSTANT_POOL = 9;
    private static final int SUPERCLASS = 10;
    private static final int JNI_GLOBAL = 21;
    private static final int SYSTEM_CLASS = 22;
    private static final int MONITOR = 23;
    private static final int STACK_LOCAL = 24;
    private static final int JNI_LOCAL = 25;
    private static final int THREAD = 26;

    /**
     * The phrase that names what holds {@code loader}'s generation, after "held by"; null when the
     * heap cannot be walked here (not inside the shim, no JVMTI) or no path was found.
     */
    static String of(ClassLoader loader) {
        Object[] strong = walk(loader, false);
        if (strong != null && strong.length > 0) {
            return describe(strong, loader);
        }
        Object[] any = walk(loader, true);
        if (any == null || any.length == 0) {
            return null;
        }
        if (strong == null || weakHop(any) < 0) {
            return describe(any, loader);   // the referents could not be told apart here: the path as found
        }
        return "nothing but references the JVM clears later (a SoftReference when the heap runs short, a "
                + "finalizer's once its finalize() has run): " + describe(any, loader);
    }

    /** The shim's walk; null when it cannot walk here. */
    private static Object[] walk(ClassLoader loader, boolean followReferents) {
        try {
            return JniHostApi.heapPath(loader, followReferents);
        } catch (LinkageError e) {
            return null;   // the natives are the shim's: a plain JVM has none
        }
    }

    /** The first hop of {@code found} from a Reference to its referent, or -1. */
    @SuppressWarnings("unchecked")
    private static int weakHop(Object[] found) {
        Object[] objects = (Object[]) found[5];
        int[] kinds = (int[]) found[3];
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] == FIELD && objects[i] instanceof Reference<?> ref && objects[i + 1] != null
                    && ((Reference<Object>) ref).refersTo(objects[i + 1])) {
                return i;
            }
        }
        return -1;
    }

    /** A path the shim found, one hop at a time. */
    private static String describe(Object[] found, ClassLoader loader) {
        return describe((Thread) found[0], Integer.parseInt((String) found[1]), (String) found[2], (int[]) found[3],
                (int[]) found[4], (Object[]) found[5], loader);
    }

    static String describe(Thread thread, int rootKind, String method, int[] kinds, int[] indexes, Object[] objects,
                           ClassLoader loader) {
        List<String> hops = new ArrayList<>();
        String threadName = thread == null ? "?" : "'" + thread.getName() + "'";
        String first = what(objects[0], loader);
        hops.add(switch (rootKind) {
            case SYSTEM_CLASS -> first;
            case THREAD -> "thread " + threadName;
            case STACK_LOCAL -> "a local variable of thread " + threadName + (method == null ? "" : " in " + method)
                    + ": " + first;
            case JNI_LOCAL -> "a JNI local reference of thread " + threadName + (method == null ? "" : " in " + method)
                    + ": " + first;
            case JNI_GLOBAL -> "a JNI global reference (native code's): " + first;
            case MONITOR -> "a lock held on " + first;
            default -> "a root of the JVM's own: " + first;
        });
        for (int i = 0; i < kinds.length; i++) {
            hops.add(hop(kinds[i], indexes[i], objects[i], objects[i + 1]) + ": " + what(objects[i + 1], loader));
        }
        if (hops.size() > MOST_HOPS) {
            int cut = hops.size() - MOST_HOPS;
            List<String> shorter = new ArrayList<>(hops.subList(0, 8));
            shorter.add("… " + cut + " more …");
            shorter.addAll(hops.subList(8 + cut, hops.size()));
            hops = shorter;
        }
        return String.join(" → ", hops) + " (the generation's)";
    }

    /** How {@code from} refers to {@code to}. */
    private static String hop(int kind, int index, Object from, Object to) {
        return switch (kind) {
            case FIELD -> "field " + fieldName(from.getClass(), from, to);
            case STATIC_FIELD -> "static field " + (from instanceof Class<?> c ? fieldName(c, null, to) : "?");
            case ARRAY_ELEMENT -> "[" + index + "]";
            case CLASS -> "its class";
            case CLASS_LOADER -> "its class loader";
            case SIGNERS -> "its signers";
            case PROTECTION_DOMAIN -> "its protection domain";
            case INTERFACE -> "an interface it implements";
            case SUPERCLASS -> "its superclass";
            case CONSTANT_POOL -> "its constant pool";
            default -> "a reference of kind " + kind;
        };
    }

    private static String what(Object o, ClassLoader loader) {
        if (o == null) {
            return "?";
        }
        if (o == loader) {
            return "the generation's class loader '" + loader.getName() + "'";
        }
        if (o instanceof Class<?> c) {
            return "class " + c.getTypeName();
        }
        return o.getClass().getTypeName();
    }

    /**
     * The name of the field of {@code owner} (an instance of {@code type}; null for a static field)
     * that holds {@code value}: the one field whose type can hold it, or the one found holding it
     * where reflection may read it (no package is opened for this).
     */
    static String fieldName(Class<?> type, Object owner, Object value) {
        boolean statics = owner == null;
        List<Field> candidates = new ArrayList<>();
        for (Class<?> c = type; c != null; c = statics ? null : c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) == statics && !f.getType().isPrimitive()
                        && f.getType().isInstance(value)) {
                    candidates.add(f);
                }
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0).getName();
        }
        for (Field f : candidates) {
            try {
                if (f.trySetAccessible() && f.get(owner) == value) {
                    return f.getName();
                }
            } catch (IllegalAccessException | RuntimeException e) {
                // not readable from here: named among the candidates below
            }
        }
        return candidates.isEmpty() ? "?" : String.join(" or ", candidates.stream().map(Field::getName).toList());
    }
}
