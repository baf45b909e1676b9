package io.flb4j.engine.jvm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Shutdown hooks an ended generation registered ({@code Runtime.addShutdownHook}): a library that
 * cleans up at JVM exit (Log4j 2's logger context, a cache that flushes to disk) registers one
 * from the plugin's code. The JVM keeps the hook, an unstarted thread, until it exits, and with it
 * the generation's class loader: every generation of such a plugin stayed in memory, reported
 * with "no holder flb4j can see". For a generation, its end is the JVM's exit: flb4j takes each of
 * its hooks off the JVM's list ({@code Runtime.removeShutdownHook}) and runs it as the JVM would,
 * on its own thread, waiting up to {@link #WAIT_MILLIS} in all. A hook is the generation's when
 * its class or its {@code Runnable}'s class is. A hook of the JDK's that the generation's code
 * made (java.util.logging's {@code LogManager} registers one the first time it is used) keeps
 * running at exit, for everyone; it only inherited the generation's class loader as its context
 * loader, which it gets the loader's parent for instead. The list is
 * {@code java.lang.ApplicationShutdownHooks.hooks}, read through flb4j's {@code java.lang} opens.
 */
final class ShutdownHooks {
    /** How long the end of a generation waits for its hooks, in all. */
    static final long WAIT_MILLIS = 2000;

    private ShutdownHooks() {}

    /** Runs and removes the generation's hooks; returns their thread names. */
    static List<String> run(ClassLoader loader) {
        List<Thread> ours = new ArrayList<>();
        for (Thread hook : all()) {
            if (owned(hook, loader)) {
                ours.add(hook);
            } else if (hook.getContextClassLoader() == loader) {
                hook.setContextClassLoader(loader.getParent());
            }
        }
        List<String> ran = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        for (Thread hook : ours) {
            try {
                if (!Runtime.getRuntime().removeShutdownHook(hook)) {
                    continue;
                }
                hook.start();
                ran.add(hook.getName());
            } catch (IllegalStateException | IllegalThreadStateException | SecurityException e) {
                // The JVM is exiting already, or the hook was started by someone else: leave it.
            }
        }
        for (Thread hook : ours) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                hook.join(Math.max(left, 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return ran;
    }

    /** The registered hooks that belong to the generation of {@code loader}. */
    static List<Thread> of(ClassLoader loader) {
        return all().stream().filter(h -> owned(h, loader)).toList();
    }

    private static boolean owned(Thread hook, ClassLoader loader) {
        try {
            Object task = JdkFields.runnableOf(hook);
            return hook.getClass().getClassLoader() == loader || (task != null && task.getClass().getClassLoader() == loader);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return hook.getClass().getClassLoader() == loader;
        }
    }

    /** Every registered hook; none when the list cannot be read. */
    private static List<Thread> all() {
        List<Thread> found = new ArrayList<>();
        try {
            Class<?> hooks = Class.forName("java.lang.ApplicationShutdownHooks");
            Object[] all;
            synchronized (hooks) {   // its methods are static synchronized
                Object map = JdkFields.open(hooks, "hooks").get(null);
                if (!(map instanceof Map<?, ?> m)) {
                    return found;   // the JVM is exiting
                }
                all = m.keySet().toArray();
            }
            for (Object o : all) {
                found.add((Thread) o);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Another JDK's layout, or java.lang not opened: nothing found.
        }
        return found;
    }
}
