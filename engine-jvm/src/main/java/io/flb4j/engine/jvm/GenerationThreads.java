package io.flb4j.engine.jvm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Threads an ended generation left running, found as Tomcat finds a stopped web application's:
 * a thread whose context class loader is the generation's (a library's thread inherits it from
 * the plugin thread that started it, as pgjdbc's cleaner and the JDK's HttpClient selector do),
 * whose class the generation loaded, or whose stack runs the generation's code (a shared pool's
 * worker running one of its tasks; the loader's name, {@code flb4j:plugin:N}, is on each frame).
 *
 * <p>At the end of a generation, after every instance has closed, flb4j interrupts each of them
 * and waits a moment: a library thread that waits for work ends when interrupted with nothing to
 * do. One that survives is left running and named in the generation's leak report. A thread
 * that only inherited the loader as its context loader and runs none of its code gets the
 * loader's parent instead, so it no longer holds the generation. The same for a thread the
 * generation's code started inside a library (RMI's lease and connection threads, made while a
 * JMX client connects): on JDK 17 to 23 it keeps its creator's access control context, whose
 * protection domains hold the generation's class loader; flb4j gives it an empty one
 * ({@link InheritedContext}), as Tomcat's leak prevention does for threads it cannot stop.
 */
final class GenerationThreads {
    /** How long the end of a generation waits for the threads it interrupted, in all. */
    static final long WAIT_MILLIS = 500;

    private GenerationThreads() {}

    /**
     * One thread of the generation and why it counts as one. {@code detachable}: the thread runs
     * none of the generation's code and only holds it through its context class loader or its
     * inherited access control context, which can be taken from it.
     */
    record Held(Thread thread, String why, boolean detachable) {
        String phrase() {
            return "thread '" + thread.getName() + "' (" + why + ")";
        }
    }

    /** The live threads that belong to the generation of {@code loader}, except the caller's. */
    static List<Held> of(ClassLoader loader) {
        List<Held> found = new ArrayList<>();
        for (var e : Thread.getAllStackTraces().entrySet()) {
            Held h = held(e.getKey(), e.getValue(), loader);
            if (h != null && e.getKey() != Thread.currentThread()) {
                found.add(h);
            }
        }
        return found;
    }

    private static Held held(Thread t, StackTraceElement[] stack, ClassLoader loader) {
        if (t.getClass().getClassLoader() == loader) {
            return new Held(t, "its class is the generation's", false);
        }
        String name = loader.getName();
        if (name != null) {
            for (StackTraceElement frame : stack) {
                if (name.equals(frame.getClassLoaderName())) {
                    return new Held(t, "it runs the generation's " + frame.getClassName() + "." + frame.getMethodName(),
                            false);
                }
            }
        }
        if (t.getContextClassLoader() == loader) {
            return new Held(t, "the generation's class loader is its context class loader", true);
        }
        if (InheritedContext.holds(t, loader)) {
            return new Held(t, "the generation made it: its inherited access control context holds the generation's "
                    + "code", true);
        }
        return null;
    }

    /** The JVM's threads that run finalizers and cleaning actions, by name. */
    private static final List<String> REFERENCE_THREADS = List.of("Finalizer", "Secondary finalizer", "Common-Cleaner");

    /**
     * Whether {@code t} is one of the JVM's finalizer or cleaner threads: one of their names, a
     * class of the JDK's, and the JVM's own thread group ({@code system}) or one beside {@code main}
     * ({@code InnocuousThreadGroup}); every thread a plugin or Fluent Bit starts is in {@code main}
     * or below, so a plugin's own thread of that name is not one.
     */
    static boolean isReferenceThread(Thread t) {
        ThreadGroup group = t.getThreadGroup();   // null once the thread has ended
        return group != null && t.getClass().getClassLoader() == null && REFERENCE_THREADS.contains(t.getName())
                && (group.getParent() == null || group.getParent().getParent() == null && !group.getName().equals("main"));
    }

    /** flb4j's own threads are named so; a generation's end has already stopped them (they may still be exiting). */
    static final String OWN_PREFIX = "flb4j-";

    /**
     * Interrupts the generation's threads that run its code, waits up to {@link #WAIT_MILLIS} in
     * all for them to end, and detaches those that only hold the generation (a context class
     * loader, an inherited access control context) without running it: they are library or JDK
     * threads, never interrupted. Nor are the JVM's finalizer and cleaner threads
     * ({@link #isReferenceThread}), which run the generation's code only while they run one of its
     * {@code finalize()} methods or cleaning actions, and which serve every other generation and
     * the JDK too. Returns the names of the threads that ended, except flb4j's own.
     */
    static List<String> stop(ClassLoader loader) {
        List<Held> running = of(loader).stream().filter(h -> !h.detachable && !isReferenceThread(h.thread)).toList();
        for (Held h : running) {
            quietOnInterrupt(h.thread);
            h.thread.interrupt();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        List<String> ended = new ArrayList<>();
        for (Held h : running) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                h.thread.join(Math.max(left, 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (!h.thread.isAlive() && !h.thread.getName().startsWith(OWN_PREFIX)) {
                ended.add(h.thread.getName());
            }
        }
        List<String> detached = new ArrayList<>();
        for (Held h : of(loader)) {
            if (h.detachable) {
                if (h.thread.getContextClassLoader() == loader) {
                    h.thread.setContextClassLoader(loader.getParent());
                }
                InheritedContext.clear(h.thread, loader);
                detached.add(Long.toString(h.thread.getId()));
            }
        }
        String name = loader.getName();
        if (name != null) {
            if (!detached.isEmpty()) {
                // Kept for a leak report, which the next generation's own copy of this class makes:
                // a JVM-wide string, so nothing of this generation is held by it.
                System.setProperty(DETACHED_PROPERTY + name, String.join(",", detached));
            }
            forgetReported(name);
        }
        return ended;
    }

    /**
     * A thread with no uncaught-exception handler of its own, in a JVM with no default one, would
     * print the {@code InterruptedException} that flb4j's interrupt ends it with as a stack trace on
     * Fluent Bit's standard error ({@code Exception in thread "Thread-13"
     * java.lang.InterruptedException: sleep interrupted}, seen with Javalin); the info line that
     * names the threads that ended says it already. Any other exception is printed as before.
     */
    private static void quietOnInterrupt(Thread t) {
        if (t.getUncaughtExceptionHandler() != t.getThreadGroup() || Thread.getDefaultUncaughtExceptionHandler() != null) {
            return;   // someone chose how this thread's failures are told
        }
        t.setUncaughtExceptionHandler((thread, e) -> {
            if (!(e instanceof InterruptedException) && !(e.getCause() instanceof InterruptedException)) {
                thread.getThreadGroup().uncaughtException(thread, e);
            }
        });
    }

    /**
     * Drops what {@link #stop} kept for the generation two before {@code name}
     * ({@code flb4j:<plugin>:<n>}, the shim's name): the shim reports a leaked generation once,
     * at the end of the one after it, so by now its report has been made.
     */
    private static void forgetReported(String name) {
        int colon = name.lastIndexOf(':');
        try {
            int n = Integer.parseInt(name.substring(colon + 1));
            System.clearProperty(DETACHED_PROPERTY + name.substring(0, colon + 1) + (n - 2));
        } catch (NumberFormatException e) {
            // Not a name the shim gave (the testkit's generations): nothing was numbered to drop.
        }
    }

    /** Where {@link #stop} leaves the ids of the threads it detached, per generation (its loader's name). */
    static final String DETACHED_PROPERTY = "flb4j.detached.";

    /**
     * The threads {@link #stop} detached from the generation of {@code loader} that still run: a
     * pool's, an executor's or a client's threads that the generation started and never stopped.
     * Running only the JDK's code, they hold the generation through their work (a scheduled task,
     * the pool object), where flb4j cannot look.
     */
    static List<Thread> detachedAndAlive(ClassLoader loader) {
        String ids = loader.getName() == null ? null : System.getProperty(DETACHED_PROPERTY + loader.getName());
        List<Thread> alive = new ArrayList<>();
        if (ids != null) {
            List<String> wanted = List.of(ids.split(","));
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (wanted.contains(Long.toString(t.getId()))) {
                    alive.add(t);
                }
            }
        }
        return alive;
    }
}
