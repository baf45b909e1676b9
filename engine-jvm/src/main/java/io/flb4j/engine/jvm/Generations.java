package io.flb4j.engine.jvm;

import java.util.List;

/**
 * What starts and ends a plugin generation besides its instances, given its class loader: the
 * JDBC drivers it bundles are registered at its start ({@link JdbcDrivers}); at its end they are
 * deregistered and the threads it left running are interrupted or detached
 * ({@link GenerationThreads}). The shim's {@link JvmEntry} runs it for every generation, and the
 * testkit's reloadable tester for the generations it makes, so that a test sees what Fluent Bit
 * will.
 */
public final class Generations {
    private Generations() {}

    /** A generation whose classes {@code loader} loads is starting. */
    public static void started(ClassLoader loader) {
        JdbcDrivers.register(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): runs and removes the
     * shutdown hooks it registered ({@link ShutdownHooks}), as the JVM would at exit, and returns
     * their thread names. Run it first: a library's hook stops it in its own order.
     */
    public static List<String> runShutdownHooks(ClassLoader loader) {
        return ShutdownHooks.run(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): stops the JDK HTTP
     * servers it left listening ({@link GenerationServers}) and returns their addresses. Run it
     * before {@link #ended}, which detaches the threads that find them.
     */
    public static List<String> stopServers(ClassLoader loader) {
        return GenerationServers.stop(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): shuts down the thread
     * pools it made and left running ({@link GenerationExecutors}) and returns a phrase per pool.
     * Run it before {@link #ended}, which waits for their threads.
     */
    public static List<String> stopExecutors(ClassLoader loader) {
        return GenerationExecutors.stop(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): cancels the
     * {@code java.util.Timer}s it left running ({@link GenerationTimers}) and returns a phrase per
     * timer. Run it before {@link #ended}, which waits for their threads.
     */
    public static List<String> cancelTimers(ClassLoader loader) {
        return GenerationTimers.cancel(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): removes the Flight
     * Recorder listeners it added ({@link JfrListeners}) and returns their class names.
     */
    public static List<String> removeListeners(ClassLoader loader) {
        return JfrListeners.remove(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): unregisters the JMX beans
     * of its classes it left registered ({@link JmxBeans}) and returns their names.
     */
    public static List<String> unregisterBeans(ClassLoader loader) {
        return JmxBeans.unregister(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): sets back to none the
     * JVM-wide defaults that hold an object of its classes (the default uncaught exception handler,
     * the default {@code Authenticator}, {@code CookieHandler} and {@code ResponseCache};
     * {@link JdkRegistries}) and returns one phrase each.
     */
    public static List<String> resetDefaults(ClassLoader loader) {
        return JdkRegistries.resetDefaults(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): removes the
     * java.util.logging handlers (and logger filters) of its classes from every logger
     * ({@link JulHandlers}) and returns one phrase per logger.
     */
    public static List<String> removeLogHandlers(ClassLoader loader) {
        return JulHandlers.remove(loader);
    }

    /**
     * The generation of {@code loader} has ended (every instance closed): removes the security
     * providers of its classes ({@link JdkRegistries}) and returns their names, and drops the
     * resource bundles the JDK cached for it.
     */
    public static List<String> removeProviders(ClassLoader loader) {
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
    public static List<String> ended(ClassLoader loader) {
        JdbcDrivers.deregister(loader);
        return GenerationThreads.stop(loader);
    }
}
