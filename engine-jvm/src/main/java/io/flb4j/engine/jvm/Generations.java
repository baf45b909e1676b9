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
        said(info, warn, "shutdown hooks", () -> runShutdownHooks(loader),
                "ran at its end, as at the JVM's exit, and were removed");
        step(warn, "HTTP servers", () -> {
            for (String address : stopServers(loader)) {
                warn.accept("the generation left an HTTP server listening on " + address + " (com.sun.net.httpserver, "
                        + "not stopped in close()); flb4j stopped it, so that the next generation can bind the address");
            }
        });
        said(info, warn, "thread pools", () -> stopExecutors(loader),
                "were still running after close(); flb4j shut them down");
        said(info, warn, "timers", () -> cancelTimers(loader), "were still running after close(); flb4j cancelled them");
        said(info, warn, "Flight Recorder listeners", () -> removeListeners(loader),
                "were still registered after close(); flb4j removed them");
        said(info, warn, "JMX beans", () -> unregisterBeans(loader),
                "were still registered after close(); flb4j unregistered them");
        said(info, warn, "java.util.logging handlers", () -> removeLogHandlers(loader),
                "were still on JUL's loggers after close(); flb4j removed them");
        said(info, warn, "JVM-wide defaults", () -> resetDefaults(loader),
                "were still set after close(); flb4j set them back to none, the JDK's default");
        said(info, warn, "security providers", () -> removeProviders(loader),
                "were still registered after close(); flb4j removed them, so that the next generation registers its own");
        said(info, warn, "threads", () -> ended(loader), "were still running after close(); interrupted, they ended");
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
     * The generation of {@code loader} has ended (every instance closed): runs and removes the
     * shutdown hooks it registered ({@link ShutdownHooks}), as the JVM would at exit, and returns
     * their thread names. Run it first: a library's hook stops it in its own order.
     */
    static List<String> runShutdownHooks(ClassLoader loader) {
        return ShutdownHooks.run(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): stops the JDK HTTP
     * servers it left listening ({@link GenerationServers}) and returns their addresses. Run it
     * before {@link #ended}, which detaches the threads that find them.
     */
    static List<String> stopServers(ClassLoader loader) {
        return GenerationServers.stop(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): shuts down the thread
     * pools it made and left running ({@link GenerationExecutors}) and returns a phrase per pool.
     * Run it before {@link #ended}, which waits for their threads.
     */
    static List<String> stopExecutors(ClassLoader loader) {
        return GenerationExecutors.stop(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): cancels the
     * {@code java.util.Timer}s it left running ({@link GenerationTimers}) and returns a phrase per
     * timer. Run it before {@link #ended}, which waits for their threads.
     */
    static List<String> cancelTimers(ClassLoader loader) {
        return GenerationTimers.cancel(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): removes the Flight
     * Recorder listeners it added ({@link JfrListeners}) and returns their class names.
     */
    static List<String> removeListeners(ClassLoader loader) {
        return JfrListeners.remove(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): unregisters the JMX beans
     * of its classes it left registered ({@link JmxBeans}) and returns their names.
     */
    static List<String> unregisterBeans(ClassLoader loader) {
        return JmxBeans.unregister(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): sets back to none the
     * JVM-wide defaults that hold an object of its classes (the default uncaught exception handler,
     * the default {@code Authenticator}, {@code CookieHandler} and {@code ResponseCache};
     * {@link JdkRegistries}) and returns one phrase each.
     */
    static List<String> resetDefaults(ClassLoader loader) {
        return JdkRegistries.resetDefaults(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): removes the
     * java.util.logging handlers (and logger filters) of its classes from every logger
     * ({@link JulHandlers}) and returns one phrase per logger.
     */
    static List<String> removeLogHandlers(ClassLoader loader) {
        return JulHandlers.remove(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): removes the security
     * providers of its classes ({@link JdkRegistries}) and returns their names, and drops the
     * resource bundles the JDK cached for it.
     */
    static List<String> removeProviders(ClassLoader loader) {
        JdkRegistries.clearBundles(loader);
        return JdkRegistries.removeProviders(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): returns the names of the
     * threads that still run its code after {@link #ended} interrupted them, except the caller.
     */
    public static List<String> stillRunning(ClassLoader loader) {
        return GenerationThreads.of(loader).stream().filter(h -> !h.detachable())
                .map(h -> h.thread().getName()).toList();
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): returns the names of the
     * threads it left running that ended when interrupted, except flb4j's own.
     */
    static List<String> ended(ClassLoader loader) {
        JdbcDrivers.deregister(loader);
        return GenerationThreads.stop(loader);
    }
}
