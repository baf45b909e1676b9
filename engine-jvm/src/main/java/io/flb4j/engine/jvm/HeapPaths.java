package io.flb4j.engine.jvm;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What holds an ended generation when none of the holders {@link GenerationLeaks} knows of does:
 * the path from a GC root to one of its objects, found by the shim's walk of the heap
 * ({@code heappath.c}, JVMTI), written out one hop at a time: {@code class java.lang.System →
 * static field props: java.util.Properties → field map: … → field val:
 * com.example.Cached (the generation's)}. A hop from a {@link Reference} to its referent (a weak,
 * soft, phantom or finalizer reference) does not hold: when a path has one, the heap is walked again
 * without the referents of that Reference class (the field as JVMTI numbers it, learnt from the
 * hop), up to {@value #MOST_WALKS} walks, so that the path named is one that holds. A generation
 * reachable only through such references (a {@code SoftReference} cache, which the JVM clears only
 * when the heap runs short) is said to be, with a path through one that is not a plain
 * {@code WeakReference} where there is one.
 */
final class HeapPaths {
    private HeapPaths() {}

    /** Walks of the heap for one report, at most: each learns one Reference class's referent. */
    static final int MOST_WALKS = 16;

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
        Map<Class<?>, Integer> referents = new LinkedHashMap<>();
        Object[] throughReference = null;   // the path to show if none holds without such a hop
        boolean throughWeak = false;
        for (int walk = 0; walk < MOST_WALKS; walk++) {
            Object[] found;
            try {
                found = JniHostApi.heapPath(loader, referents.keySet().toArray(new Class<?>[0]),
                        referents.values().stream().mapToInt(Integer::intValue).toArray());
            } catch (LinkageError e) {
                return null;   // the natives are the shim's: a plain JVM has none
            }
            if (found == null) {
                return null;
            }
            if (found.length == 0) {
                return throughReference == null ? null : "nothing but references the JVM clears later (a "
                        + "SoftReference when the heap runs short, a finalizer's once its finalize() has run): "
                        + describe(throughReference, loader);
            }
            int weak = weakHop(found);
            if (weak < 0) {
                return describe(found, loader);
            }
            Object reference = ((Object[]) found[5])[weak];
            // Shown: the first path not through a plain weak reference (a soft cache, a finalizer),
            // which is what keeps the generation.
            if (throughReference == null || (throughWeak && !(reference instanceof WeakReference<?>))) {
                throughReference = found;
                throughWeak = reference instanceof WeakReference<?>;
            }
            // That class's referent, by the index this JVM gave it, is not followed in the next walk.
            if (referents.putIfAbsent(reference.getClass(), ((int[]) found[4])[weak]) != null) {
                break;   // not told apart: the path as found
            }
        }
        return describe(throughReference, loader) + " (through a reference the JVM clears later; the walks found "
                + "no path without one, but did not look at every kind of reference)";
    }

    /** The first hop of {@code found} from a Reference to its referent, or -1. */
    private static int weakHop(Object[] found) {
        Object[] objects = (Object[]) found[5];
        int[] kinds = (int[]) found[3];
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] == FIELD && objects[i] instanceof Reference<?> ref && objects[i + 1] != null
                    && refersTo(ref, objects[i + 1])) {
                return i;
            }
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    private static boolean refersTo(Reference<?> ref, Object o) {
        return ((Reference<Object>) ref).refersTo(o);
    }

    /** A path the shim found ({@link JniHostApi#heapPath}), one hop at a time. */
    private static String describe(Object[] found, ClassLoader loader) {
        Thread thread = (Thread) found[0];
        int rootKind = Integer.parseInt((String) found[1]);
        String method = (String) found[2];
        int[] kinds = (int[]) found[3];
        int[] indexes = (int[]) found[4];
        Object[] objects = (Object[]) found[5];
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
        if (kind == FIELD && from instanceof Reference<?> ref && to != null && refersTo(ref, to)) {
            return "field referent";
        }
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
