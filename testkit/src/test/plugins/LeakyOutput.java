package io.flb4j.testplugins;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.OutputPlugin;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Leaks its generation on purpose. {@code leak=thread} (the default), as a library that starts a
 * thread and never stops it: the thread inherits the plugin's class loader as its context class
 * loader, runs the plugin's code and ignores interrupts. {@code leak=threadlocal}, as a library
 * that caches an object of its own in a ThreadLocal of a pool thread that outlives the
 * generation: the thread runs only the JDK's code once the task is done and has no context
 * class loader, so the ThreadLocal is all that holds the generation. {@code leak=pool}, as a
 * connection pool never closed: a scheduled executor of the JDK's default thread factory whose
 * idle thread runs only the JDK's code and holds the generation through its task; flb4j shuts it
 * down. {@code leak=jdk_pool}: the same with another factory of the JDK's, which flb4j leaves
 * running and reports. {@code leak=http_server}, as a receiver whose
 * close() forgets its server: the JDK's HttpServer on {@code server_port}, never stopped.
 * {@code leak=library_pool}, as a library's client never closed (OkHttp's task runner, a pool's
 * housekeeper): a scheduled executor made with the library's own thread factory, which flb4j
 * shuts down at the generation's end, so nothing leaks. {@code leak=idle_thread}, as Okio's
 * watchdog: a thread of the plugin's class that ends after 4 s with nothing to do, an interrupt
 * only starting its wait again, so the generation is reported and unloaded later.
 * {@code leak=jfr_listener}, as Netty 4.2's buffer allocator: a Flight Recorder listener added and
 * never removed, which flb4j removes at the generation's end, so nothing leaks.
 * {@code leak=slow_stop}, as Netty's event loops after {@code shutdownGracefully()}: a thread that
 * runs on for a second after close() and then loads a class of the generation's for the first
 * time; it prints whether it could.
 * {@code leak=finalizer}, as a library whose objects have a {@code finalize()} (Netty's buffer
 * caches): the generation keeps one whose finalizer takes 1.5 s, so the generation is held by the
 * JVM's finalizer thread for a while after it ended, and is not a leak.
 * {@code leak=sleeper}, as a library's thread that dies of the interrupt that flb4j ends it with
 * (Javalin's did, with a bare InterruptedException): nothing printed on standard error.
 * {@code leak=exit}: calls {@code System.exit(3)} in its flush, as a careless library can; the JVM
 * ends the process, and says why.
 * {@code leak=hook}, as Log4j 2 or a cache that flushes at exit: a shutdown hook of the plugin's
 * class, which flb4j runs at the generation's end and removes, so nothing leaks.
 * {@code leak=timer}, as older code that schedules with {@code java.util.Timer} and never cancels
 * it: a periodic task of the plugin's class; flb4j cancels the timer, so nothing leaks.
 * {@code leak=mbean}, as a connection pool or a client with JMX statistics never closed: a bean of
 * the plugin's class registered under the same name by every generation and never unregistered;
 * flb4j unregisters it at the generation's end, so nothing leaks and the next one can register it.
 * {@code leak=finalizing}: close() drops an object whose {@code finalize()} takes 1.5 s and waits
 * until the JVM's finalizer thread runs it, so the generation ends while that thread runs its code;
 * the finalizer prints whether it was interrupted (it must not be: that thread serves everyone).
 * {@code leak=static}, as a library that keeps an object of its first user in a JVM-wide
 * collection: one of the plugin's objects in the system properties, which the report finds by
 * walking the heap. {@code leak=weak_and_static}: the same, the object also held by weak
 * references beside it (the path named must be the strong one). {@code leak=soft}: held only by a
 * {@code SoftReference} there (kept while the heap has room); {@code leak=soft_and_weak}: and by
 * weak references beside it (the path named is the soft one). {@code leak=introspector}, as
 * SnakeYAML or Commons BeanUtils: {@code java.beans.Introspector} reads a class of the plugin's,
 * and its soft cache kept it until flb4j flushed its caches at the generation's end.
 * {@code leak=provider}, as code that calls {@code Security.addProvider(new BouncyCastleProvider())}:
 * a security provider of the plugin's class, registered by every generation under one name; it
 * prints whether the provider it then gets is its own generation's.
 * {@code leak=fork_join}, as a library with a {@code ForkJoinPool} of its own (its own worker
 * factory) that its client never shuts down: the pool's idle workers wait 60 s before they end,
 * and the pool holds the factory; flb4j shuts it down.
 * {@code leak=jul_handler}, as {@code SLF4JBridgeHandler.install()}: a java.util.logging handler of
 * the plugin's class on the root logger, never removed.
 * {@code leak=defaults}: sets the JVM's default uncaught exception handler and the default
 * {@code Authenticator} to objects of the plugin's classes, and never sets them back.
 * PLUGIN_NAME is set by the test.
 */
@FluentBitOutput(name = "PLUGIN_NAME", description = "leaks a thread")
public final class LeakyOutput implements OutputPlugin {
    private static final ThreadLocal<Cached> CACHE = new ThreadLocal<>();

    @ConfigKey(defaultValue = "thread", description = "thread, threadlocal, pool, jdk_pool, library_pool, idle_thread, jfr_listener, slow_stop, finalizer, sleeper, exit, hook, timer, mbean, finalizing, static, weak_and_static, soft, soft_and_weak, introspector, provider, jul_handler, defaults, fork_join or http_server")
    String leak;

    @ConfigKey(defaultValue = "0", description = "the port of leak=http_server's server")
    int serverPort;

    @Override
    public void init(FluentBit fbit) throws InterruptedException, ExecutionException, java.io.IOException,
            javax.management.JMException, java.beans.IntrospectionException {
        if (leak.equals("http_server")) {   // started and never stopped, as a receiver that forgets close()
            com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress("127.0.0.1", serverPort), 0);
            server.createContext("/", new NoContent());
            server.start();
            return;
        }
        if (leak.equals("pool")) {   // a plain JDK pool never shut down: flb4j shuts it down
            var housekeeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            housekeeper.scheduleWithFixedDelay(new Housekeeping(), 30, 30, TimeUnit.SECONDS);
            return;
        }
        if (leak.equals("jdk_pool")) {   // a pool of a JDK factory flb4j cannot tell from the JDK's own: reported
            @SuppressWarnings("removal")
            var factory = java.util.concurrent.Executors.privilegedThreadFactory();
            var housekeeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(factory);
            housekeeper.scheduleWithFixedDelay(new Housekeeping(), 30, 30, TimeUnit.SECONDS);
            return;
        }
        if (leak.equals("fork_join")) {
            var pool = new java.util.concurrent.ForkJoinPool(2, new ForkJoinThreads(), null, false);
            pool.submit(() -> new Cached()).get();
            return;
        }
        if (leak.equals("library_pool")) {
            var housekeeper = new java.util.concurrent.ScheduledThreadPoolExecutor(1, new LibraryThreads());
            housekeeper.scheduleWithFixedDelay(new Housekeeping(), 30, 30, TimeUnit.SECONDS);
            return;
        }
        if (leak.equals("idle_thread")) {
            Thread idle = new IdleThread();
            idle.setDaemon(true);
            idle.start();
            return;
        }
        if (leak.equals("jfr_listener")) {
            jdk.jfr.FlightRecorder.addListener(new Recorded());
            return;
        }
        if (leak.equals("slow_stop")) {
            return;   // started in close()
        }
        if (leak.equals("timer")) {
            new java.util.Timer("leaky-timer", true).schedule(new Tick(), 30_000, 30_000);
            return;
        }
        if (leak.equals("hook")) {
            Runtime.getRuntime().addShutdownHook(new Thread(new AtExit(), "leaky-hook"));
            return;
        }
        if (leak.equals("sleeper")) {
            Thread sleeper = new Thread(() -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, "sleeping-library-thread");
            sleeper.setDaemon(true);
            sleeper.start();
            return;
        }
        if (leak.equals("finalizer") || leak.equals("finalizing")) {
            finalizable = new Finalizable();
            return;
        }
        if (leak.equals("defaults")) {
            java.net.ProxySelector found = java.net.ProxySelector.getDefault();
            System.out.println("proxy selector " + (found == null ? "none" : found.getClass().getClassLoader() == null
                    ? "the JDK's" : "of " + found.getClass().getClassLoader().getName()));
            Thread.setDefaultUncaughtExceptionHandler(new Uncaught());
            java.net.Authenticator.setDefault(new Credentials());
            java.net.ProxySelector.setDefault(new Proxies());
            return;
        }
        if (leak.equals("jul_handler")) {
            java.util.logging.Logger.getLogger("").addHandler(new LeakyHandler());
            return;
        }
        if (leak.equals("provider")) {
            java.security.Security.addProvider(new LeakyProvider());
            java.security.Provider got = java.security.Security.getProvider("LeakyTest");
            System.out.println("provider " + (got.getClass() == LeakyProvider.class ? "own" : "another generation's"));
            return;
        }
        if (leak.equals("static")) {
            System.getProperties().put("flb4j.test.held." + System.identityHashCode(this), new Cached());
            return;
        }
        if (leak.equals("weak_and_static")) {   // the same object held weakly as well: the path named is the strong one
            Cached held = new Cached();
            for (int i = 0; i < 8; i++) {
                System.getProperties().put("flb4j.test.weak." + i + "." + System.identityHashCode(this),
                        new java.lang.ref.WeakReference<>(held));
            }
            System.getProperties().put("flb4j.test.strong." + System.identityHashCode(this), new Object[] {held});
            return;
        }
        if (leak.equals("introspector")) {   // as a bean-mapping library does (Commons BeanUtils, Spring's BeanUtils)
            System.out.println("bean properties " + java.beans.Introspector.getBeanInfo(Cached.class).getPropertyDescriptors().length);
            return;
        }
        if (leak.equals("soft") || leak.equals("soft_and_weak")) {   // held only by a SoftReference, as a cache keeps its values
            Cached held = new Cached();
            System.getProperties().put("flb4j.test.soft." + System.identityHashCode(this),
                    new java.lang.ref.SoftReference<>(held));
            for (int i = 0; leak.equals("soft_and_weak") && i < 8; i++) {
                System.getProperties().put("flb4j.test.weak." + i + "." + System.identityHashCode(this),
                        new java.lang.ref.WeakReference<>(held));
            }
            return;
        }
        if (leak.equals("mbean")) {   // InstanceAlreadyExistsException from the second generation on, unless unregistered
            java.lang.management.ManagementFactory.getPlatformMBeanServer().registerMBean(new Stats(),
                    new javax.management.ObjectName("io.flb4j.test:type=LeakyStats"));
            return;
        }
        if (leak.equals("threadlocal")) {
            var pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
            pool.submit(() -> {
                CACHE.set(new Cached());
                Thread.currentThread().setContextClassLoader(null);
            }).get();
            return;
        }
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // carries on, as a thread that never checks does
                }
            }
        }, "leaky-library-thread");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public FlushResult flush(String tag, Events events) {
        if (leak.equals("exit")) {
            System.exit(3);
        }
        return FlushResult.OK;
    }

    @Override
    public void close() throws InterruptedException {
        if (leak.equals("finalizing")) {
            finalizable = null;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!Finalizable.started && System.nanoTime() < until) {
                System.gc();
                Thread.sleep(20);
            }
        }
        if (leak.equals("slow_stop")) {
            Thread stopping = new Thread(new SlowStop(), "slow-stopping-loop");
            stopping.setDaemon(true);
            stopping.start();
        }
    }

    /** leak=slow_stop's thread: a second after close(), its last task needs a class not loaded yet. */
    static final class SlowStop implements Runnable {
        @Override
        public void run() {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() < until) {
                try {
                    TimeUnit.NANOSECONDS.sleep(until - System.nanoTime());
                } catch (InterruptedException e) {
                    // a loop that finishes its quiet period whatever happens
                }
            }
            try {
                System.out.println("slow stop loaded " + new LoadedLate().getClass().getName());
            } catch (Throwable e) {
                System.out.println("slow stop failed: " + e);
            }
        }
    }

    /** Loaded for the first time after close(), by leak=slow_stop's thread. */
    static final class LoadedLate {
    }

    private static Finalizable finalizable;

    /** leak=finalizer's object: finalized slowly, once its generation is gone. */
    static final class Finalizable {
        static volatile boolean started;

        @Override
        @SuppressWarnings({"deprecation", "removal"})
        protected void finalize() {
            started = true;
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                System.out.println("finalize interrupted");
            }
        }
    }

    /** leak=defaults' uncaught exception handler. */
    static final class Uncaught implements Thread.UncaughtExceptionHandler {
        @Override
        public void uncaughtException(Thread t, Throwable e) {
        }
    }

    /** leak=defaults' authenticator. */
    static final class Credentials extends java.net.Authenticator {
    }

    /** leak=defaults' proxy selector: no proxy for anything. */
    static final class Proxies extends java.net.ProxySelector {
        @Override
        public java.util.List<java.net.Proxy> select(java.net.URI uri) {
            return java.util.List.of(java.net.Proxy.NO_PROXY);
        }

        @Override
        public void connectFailed(java.net.URI uri, java.net.SocketAddress address, java.io.IOException e) {
        }
    }

    /** leak=jul_handler's handler. */
    static final class LeakyHandler extends java.util.logging.Handler {
        @Override
        public void publish(java.util.logging.LogRecord record) {
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** leak=provider's security provider. */
    static final class LeakyProvider extends java.security.Provider {
        LeakyProvider() {
            super("LeakyTest", "1.0", "flb4j test provider");
        }
    }

    /** leak=mbean's bean's interface. */
    public interface StatsMBean {
        long getFlushes();
    }

    /** leak=mbean's bean. */
    public static final class Stats implements StatsMBean {
        @Override
        public long getFlushes() {
            return 0;
        }
    }

    /** leak=timer's periodic task. */
    static final class Tick extends java.util.TimerTask {
        @Override
        public void run() {
        }
    }

    /** leak=hook's work at exit. */
    static final class AtExit implements Runnable {
        @Override
        public void run() {
            System.out.println("hook ran");
        }
    }

    /** leak=jfr_listener's listener. */
    static final class Recorded implements jdk.jfr.FlightRecorderListener {
    }

    /** What a library caches per thread. */
    static final class Cached {
    }

    /** leak=http_server's handler: 204 to everything. */
    static final class NoContent implements com.sun.net.httpserver.HttpHandler {
        @Override
        public void handle(com.sun.net.httpserver.HttpExchange exchange) throws java.io.IOException {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        }
    }

    /** leak=idle_thread's thread: ends after 4 s idle; an interrupt starts the wait again. */
    static final class IdleThread extends Thread {
        IdleThread() {
            super("idle-library-thread");
        }

        @Override
        public void run() {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (System.nanoTime() < until) {
                try {
                    TimeUnit.NANOSECONDS.sleep(until - System.nanoTime());
                } catch (InterruptedException e) {
                    until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                }
            }
        }
    }

    /** A library's thread factory: daemon threads with the library's name. */
    static final class LibraryThreads implements java.util.concurrent.ThreadFactory {
        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "library-housekeeper");
            t.setDaemon(true);
            return t;
        }
    }

    /** leak=fork_join's worker factory, as a library's. */
    static final class ForkJoinThreads implements java.util.concurrent.ForkJoinPool.ForkJoinWorkerThreadFactory {
        @Override
        public java.util.concurrent.ForkJoinWorkerThread newThread(java.util.concurrent.ForkJoinPool pool) {
            var t = new java.util.concurrent.ForkJoinWorkerThread(pool) { };
            t.setName("library-fj-" + t.getPoolIndex());
            return t;
        }
    }

    /** A pool's periodic task, as a connection pool's housekeeper. */
    static final class Housekeeping implements Runnable {
        @Override
        public void run() {
        }
    }
}
