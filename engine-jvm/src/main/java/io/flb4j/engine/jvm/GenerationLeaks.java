package io.flb4j.engine.jvm;

import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What holds an ended generation's class loader, as far as flb4j can see: the generation's
 * threads ({@link GenerationThreads}), thread-locals of any live thread whose key or value is of
 * the generation's classes (read as Tomcat reads them, through {@code --add-opens
 * java.base/java.lang=ALL-UNNAMED}, one of flb4j's default JVM options; without it they are not
 * looked at) and JMX beans it registered. When none of those holds it, the shim walks the heap
 * for the path that does ({@link HeapPaths}: a static field of a class outside the plugin, a
 * JDK collection); where it cannot, the report says how to find it with a heap dump.
 */
final class GenerationLeaks {
    private GenerationLeaks() {}

    /**
     * The holders of {@code loader} found, one phrase each; {@code timedWaits}: every holder is a
     * thread of the generation's waiting with a timeout (perhaps an idle timeout, after which it
     * ends by itself), none a thread-local, a JMX bean or a pool's worker; {@code finalizing}: every
     * holder is one of the JVM's finalizer or cleaner threads, now running the generation's code (a
     * library's {@code finalize()}: Netty's buffer caches have one), after which nothing holds it.
     */
    record Holders(List<String> phrases, boolean timedWaits, boolean finalizing) {}

    static Holders holders(ClassLoader loader) {
        List<GenerationThreads.Held> own = GenerationThreads.of(loader);
        List<String> found = new ArrayList<>();
        for (GenerationThreads.Held h : own) {
            found.add(h.phrase());
        }
        found.addAll(threadLocals(loader));
        try {
            found.addAll(JmxBeans.of(loader));   // only the MBean servers that exist: a report never starts JMX
        } catch (RuntimeException e) {
            // A report never fails the reload.
        }
        found.addAll(JdkRegistries.providers(loader));
        for (Thread hook : ShutdownHooks.of(loader)) {
            found.add("the shutdown hook '" + hook.getName() + "' (Runtime.addShutdownHook)");
        }
        for (Object listener : JfrListeners.of(loader)) {
            found.add("the Flight Recorder listener " + listener.getClass().getName() + " (FlightRecorder.addListener)");
        }
        for (Thread t : GenerationThreads.detachedAndAlive(loader)) {
            String named = "thread '" + t.getName() + "'";
            if (found.stream().anyMatch(f -> f.contains(named))) {
                continue;   // already named for what it holds (a ThreadLocal)
            }
            found.add(new GenerationThreads.Held(t, "the generation started it and it still runs: the pool, executor "
                    + "or client it works for was not closed, and holds the generation's objects as its work", true)
                    .phrase());
        }
        // Nothing but the generation's own threads (a pool's worker may hold periodic work for ever).
        boolean onlyThreads = !own.isEmpty() && found.size() == own.size();
        boolean timedWaits = onlyThreads && own.stream().allMatch(h -> h.thread().getState() == Thread.State.TIMED_WAITING);
        boolean finalizing = onlyThreads && own.stream().allMatch(h -> GenerationThreads.isReferenceThread(h.thread()));
        return new Holders(found, timedWaits, finalizing);
    }

    /** Thread-locals of live threads that hold one of the generation's objects. */
    static List<String> threadLocals(ClassLoader loader) {
        List<String> found = new ArrayList<>();
        try {
            Field locals = JdkFields.open(Thread.class, "threadLocals");
            Field inheritable = JdkFields.open(Thread.class, "inheritableThreadLocals");
            Field table = JdkFields.open(Class.forName("java.lang.ThreadLocal$ThreadLocalMap"), "table");
            Field value = JdkFields.open(Class.forName("java.lang.ThreadLocal$ThreadLocalMap$Entry"), "value");
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                for (Field map : List.of(locals, inheritable)) {
                    Object m = map.get(t);
                    Object[] entries = m == null ? new Object[0] : (Object[]) table.get(m);
                    for (Object entry : entries) {
                        if (entry == null) {
                            continue;
                        }
                        Object held = generationObject(((Reference<?>) entry).get(), loader);
                        held = held != null ? held : generationObject(value.get(entry), loader);
                        if (held != null) {
                            found.add("a ThreadLocal on thread '" + t.getName() + "' holding a "
                                    + held.getClass().getName());
                        }
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not opened to flb4j (FLB4J_JVM_OPTIONS replaced the defaults), or another JDK's layout.
        }
        return found;
    }

    /** {@code o}, what a reference in it holds, or an element of a collection in it, if of {@code loader}'s classes. */
    private static Object generationObject(Object o, ClassLoader loader) {
        if (o == null) {
            return null;
        }
        if (o.getClass().getClassLoader() == loader) {
            return o;
        }
        if (o instanceof Reference<?> r) {
            return generationObject(r.get(), loader);
        }
        if (o instanceof Collection<?> c) {
            for (Object e : c.toArray()) {
                if (e != null && e.getClass().getClassLoader() == loader) {
                    return e;
                }
            }
        }
        return null;
    }

    /**
     * The warning for generation {@code generation}, still loaded when generation {@code now} ends;
     * null when it is only being finalized ({@link Holders#finalizing}) and this is not the
     * {@code last} look.
     */
    static String warning(String plugin, ClassLoader loader, int generation, int now, boolean last) {
        Holders holders = holders(loader);
        if (!last && holders.finalizing()) {
            return null;
        }
        String held;
        if (!holders.phrases().isEmpty()) {
            held = "held by " + String.join(", ", holders.phrases());
        } else {
            String path = HeapPaths.of(loader);   // only now: the walk stops the JVM while it runs
            held = path != null ? "held by " + path + " (a path from a GC root, found by walking the heap)"
                    : "no holder flb4j can see: look for a static field of a class outside the plugin (a heap dump "
                            + "names it: jcmd " + ProcessHandle.current().pid() + " GC.heap_dump /tmp/fluent-bit.hprof, "
                            + "then the paths from the GC roots to the class loader '" + loader.getName() + "', as "
                            + "Eclipse MAT's Path To GC Roots gives them)";
        }
        if (holders.finalizing()) {
            held += " (a finalize() of the generation's that has run for several reloads: it holds the generation "
                    + "until it returns)";
        } else if (holders.timedWaits()) {
            held += " (each waits with a timeout: a library thread that ends after an idle timeout, as Okio's "
                    + "watchdog does 60 s after its last use, lets the generation go by itself, and a later reload "
                    + "says so)";
        }
        return "[flb4j:" + plugin + "] generation " + generation + " of the plugin was not unloaded by the end of "
                + "generation " + now + ", so its classes stay in memory (each reload that leaks adds to the "
                + "metaspace, up to -XX:MaxMetaspaceSize): " + held + ". Stop what you start in close() "
                + "(README, Pitfalls)";
    }
}
