package io.flb4j.engine.jvm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Thread pools an ended generation made and did not shut down: a library's executor that no one
 * closed (OkHttp's task runner, a connection pool's housekeeper, a client's dispatcher). An idle
 * worker waits for work in the JDK's code, so an interrupt does not end it; it holds the pool, and
 * the pool holds the generation's thread factory and tasks, until its keep-alive ends (OkHttp's:
 * 60 s) or forever (a core thread). So at the end of a generation flb4j shuts down each
 * {@link ThreadPoolExecutor} (scheduled ones too) that a live worker thread serves and that is
 * provably the generation's: its class, its thread factory or its rejection handler is of the
 * generation's classes; or that has {@code Executors}' default thread factory (the plugin's own
 * {@code Executors.newFixedThreadPool(n)}, never shut down) and whose worker the generation
 * started. A {@link ForkJoinPool} (not the common one) is the generation's when its class, its
 * worker factory, its handler or its worker's class is: a library's own pool, whose idle workers
 * wait 60 s before they end, holding the pool and its factory (a plain {@code new ForkJoinPool(n)}
 * gives its workers the system class loader, and holds nothing of the generation once its tasks
 * are done). Other pools of the JDK's classes may be ones the JDK shares with later generations
 * (RMI's scheduler), so they are left running and named in the leak report if they hold the
 * generation. Without this an idle pool that holds nothing of the generation would not even leak
 * it: its threads would stay, a few more at every reload, and nothing would say so.
 *
 * <p>{@code shutdownNow} is the pool's public way to end: queued tasks are dropped (the
 * generation's instances have all closed, so nothing will ask for their results) and the workers
 * are interrupted; {@link GenerationThreads#stop} then waits for them as for the generation's
 * other threads.
 */
final class GenerationExecutors {
    private GenerationExecutors() {}

    /** Shuts down the generation's pools; returns one phrase per pool, naming a thread of it. */
    static List<String> stop(ClassLoader loader) {
        Map<ExecutorService, Thread> pools = new IdentityHashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            try {
                ExecutorService pool = poolOf(t);
                if (pool != null && !pool.isShutdown() && generations(pool, t, loader)) {
                    pools.putIfAbsent(pool, t);
                }
            } catch (RuntimeException e) {
                // A subclass whose getters throw: left running, and reported if it holds the generation.
            }
        }
        List<String> stopped = new ArrayList<>();
        for (Map.Entry<ExecutorService, Thread> e : pools.entrySet()) {
            try {
                int dropped = e.getKey().shutdownNow().size();
                stopped.add("'" + e.getValue().getName() + "' (" + e.getKey().getClass().getName()
                        + (dropped == 0 ? "" : ", " + dropped + " queued task(s) dropped") + ")");
            } catch (RuntimeException ex) {
                // A pool that refuses (a subclass's shutdownNow throwing) stays, and is reported if it leaks.
            }
        }
        Collections.sort(stopped);
        return stopped;
    }

    /** Whether {@code pool}, which {@code t} works for, is the generation's. */
    private static boolean generations(ExecutorService pool, Thread t, ClassLoader loader) {
        if (pool instanceof ThreadPoolExecutor executor) {
            return ownedBy(executor, loader) || startedBy(executor, t, loader);
        }
        ForkJoinPool forkJoin = (ForkJoinPool) pool;
        return forkJoin != ForkJoinPool.commonPool() && (forkJoin.getClass().getClassLoader() == loader
                || forkJoin.getFactory().getClass().getClassLoader() == loader || t.getClass().getClassLoader() == loader
                || forkJoin.getUncaughtExceptionHandler() != null
                && forkJoin.getUncaughtExceptionHandler().getClass().getClassLoader() == loader);
    }

    /** The pool whose worker {@code t} is, or null. */
    private static ExecutorService poolOf(Thread t) {
        if (t instanceof ForkJoinWorkerThread worker) {
            return worker.getPool();
        }
        try {
            Object worker = JdkFields.runnableOf(t);
            if (worker != null && worker.getClass().getName().equals("java.util.concurrent.ThreadPoolExecutor$Worker")
                    && JdkFields.read(worker, "this$0") instanceof ThreadPoolExecutor pool) {
                return pool;
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // Not a layout this class knows (options without the opens, another JDK): left alone.
        }
        return null;
    }

    /**
     * Whether {@code pool} is one the JDK never makes for itself, {@link java.util.concurrent.Executors}'s
     * default thread factory (what {@code Executors.newFixedThreadPool(n)} and the like use), and its
     * worker {@code t} was started by the generation (the generation's loader is its context class
     * loader, inherited from the generation's thread that made it). The JDK's own pools (RMI's,
     * the HTTP client's, the NIO groups') have thread factories of their own.
     */
    private static boolean startedBy(ThreadPoolExecutor pool, Thread t, ClassLoader loader) {
        return pool.getThreadFactory().getClass().getName().equals("java.util.concurrent.Executors$DefaultThreadFactory")
                && t.getContextClassLoader() == loader;
    }

    /** Whether the generation made {@code pool}: its class, thread factory or rejection handler is the generation's. */
    private static boolean ownedBy(ThreadPoolExecutor pool, ClassLoader loader) {
        return pool.getClass().getClassLoader() == loader
                || pool.getThreadFactory().getClass().getClassLoader() == loader
                || pool.getRejectedExecutionHandler().getClass().getClassLoader() == loader;
    }
}
