package io.flb4j.engine.jvm;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What starts and ends a plugin generation besides its instances, given its class loader: the
 * JDBC drivers it bundles are registered at its start ({@link JdbcDrivers}); at its end they are
 * deregistered and the threads it left running are interrupted or detached
 * ({@link GenerationThreads}), with the rest {@link #end} lists. The shim's {@link JvmEntry} runs it
 * for every generation, and the testkit's reloadable tester for the generations it makes, so that a
 * test sees what Fluent Bit will.
 */
public final class Generations {
    private Generations() {}

    /** A generation whose classes {@code loader} loads is starting. */
    public static void started(ClassLoader loader) {
        JdbcDrivers.register(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): runs every step below,
     * in this order, each on its own. What a step found is one line to {@code info} ({@code the
     * generation's <what> [...] <done>}); an HTTP server stopped, or a step that failed (another
     * JDK's layout, a hook that throws, a {@code LinkageError}), one line to {@code warn}, and the
     * other steps still run, the threads' interrupt last. The shim's {@link JvmEntry} and the
     * testkit's reloadable tester both end generations through it.
     */
    public static void end(ClassLoader loader, Consumer<String> info, Consumer<String> warn) {
        // Hooks first: a library's hook stops it in its own order.
        said(info, warn, "shutdown hooks", () -> ShutdownHooks.run(loader),
                "ran at its end, as at the JVM's exit, and were removed");
        // Servers, pools and timers before the threads: their threads are then waited for, not detached.
        step(warn, "HTTP servers", () -> {
            for (String address : GenerationServers.stop(loader)) {
                warn.accept("the generation left an HTTP server listening on " + address + " (com.sun.net.httpserver, "
                        + "not stopped in close()); flb4j stopped it, so that the next generation can bind the address");
            }
        });
        said(info, warn, "thread pools", () -> GenerationExecutors.stop(loader),
                "were still running after close(); flb4j shut them down");
        said(info, warn, "timers", () -> GenerationTimers.cancel(loader),
                "were still running after close(); flb4j cancelled them");
        said(info, warn, "Flight Recorder listeners", () -> JfrListeners.remove(loader),
                "were still registered after close(); flb4j removed them");
        said(info, warn, "JMX beans", () -> JmxBeans.unregister(loader),
                "were still registered after close(); flb4j unregistered them");
        said(info, warn, "java.util.logging handlers", () -> JulHandlers.remove(loader),
                "were still on JUL's loggers after close(); flb4j removed them");
        said(info, warn, "JVM-wide defaults", () -> JdkRegistries.resetDefaults(loader),
                "were still set after close(); flb4j set them back to the JDK's defaults");
        said(info, warn, "security providers", () -> {
            JdkRegistries.clearBundles(loader);
            return JdkRegistries.removeProviders(loader);
        }, "were still registered after close(); flb4j removed them, so that the next generation registers its own");
        step(warn, "JDBC drivers", () -> JdbcDrivers.deregister(loader));
        step(warn, "JavaBeans caches", () -> JdkRegistries.flushBeanCaches(loader));
        said(info, warn, "threads", () -> GenerationThreads.stop(loader),
                "were still running after close(); interrupted, they ended");
    }

    /** One step whose findings are one info line, when it found any. */
    private static void said(Consumer<String> info, Consumer<String> warn, String what, Supplier<List<String>> step,
                             String done) {
        step(warn, what, () -> {
            List<String> items = step.get();
            if (!items.isEmpty()) {
                info.accept("the generation's " + what + " " + items + " " + done);
            }
        });
    }

    /** One step; a failure is one warning naming it. */
    private static void step(Consumer<String> warn, String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | LinkageError e) {
            warn.accept("ending the generation: its " + what + " could not be looked at or ended: " + e);
        }
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): returns the names of the
     * threads that still run its code after {@link #end} interrupted them, except the caller.
     */
    public static List<String> stillRunning(ClassLoader loader) {
        return GenerationThreads.of(loader).stream().filter(h -> !h.detachable())
                .map(h -> h.thread().getName()).toList();
    }
}
