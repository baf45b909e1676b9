package io.flb4j.host;

import io.flb4j.api.Config;
import io.flb4j.api.CustomPlugin;
import io.flb4j.api.FlushResult;
import io.flb4j.api.InputPlugin;
import io.flb4j.api.Logger;
import io.flb4j.api.OutputPlugin;
import io.flb4j.api.RetryableException;
import io.flb4j.binding.Flb4jKeys;
import io.flb4j.binding.PluginBinding;
import io.flb4j.binding.PluginDescriptor;
import io.flb4j.codec.RecordMappers;
import io.flb4j.config.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The plugin life cycle of the Fluent Bit proxy ABI as plain Java calls, for an engine to make.
 * One {@code PluginHost} per loaded plugin generation (a hot reload makes a new one in a new
 * class loader). No method throws: every failure is logged through the {@link HostApi} once,
 * with the plugin and instance, and becomes a return code.
 *
 * <pre>{@code
 * PluginHost host = PluginHost.load(api, pluginLoader);
 * long handle = host.initInstance(outputInstancePointer);   // 0: failed, already logged
 * int code = host.flush(handle, chunk, "app.logs");          // FLB_OK, FLB_RETRY or FLB_ERROR
 * host.exitInstance(handle);
 * }</pre>
 */
public final class PluginHost {
    /** Fluent Bit's return codes, as {@link FlushResult} defines them. */
    public static final int FLB_ERROR = FlushResult.ERROR.code();
    public static final int FLB_OK = FlushResult.OK.code();
    public static final int FLB_RETRY = FlushResult.RETRY.code();

    private final HostApi api;
    private final ClassLoader loader;
    private final PluginDescriptor descriptor;
    private final PluginBinding<?> binding;
    private final Map<Long, Instance> instances = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private volatile boolean paused;
    /** Whether Fluent Bit's pre-run came: an input whose init succeeds later starts then. */
    private volatile boolean preRunDone;
    /**
     * The thread of this generation that runs plugins' init, close and hand-off; ends at
     * unregister. Replaced by a new one when a close() past its deadline does not return.
     */
    private volatile ExecutorService generationThread;
    private volatile Thread generationThreadItself;
    /** One thread per generation that answers RETRY for flushes past their deadline; made at the first output. */
    private ScheduledThreadPoolExecutor deadlines;
    private final RecordMappers mappers;

    private PluginHost(HostApi api, ClassLoader loader, PluginDescriptor descriptor, PluginBinding<?> binding) {
        this.api = api;
        this.loader = loader;
        this.descriptor = descriptor;
        this.binding = binding;
        this.mappers = RecordMappers.of(binding.recordMappers());
        this.generationThread = newGenerationThread();
        LogBridge.activate(this);
    }

    private ExecutorService newGenerationThread() {
        String threadName = "flb4j-" + descriptor.name() + "-generation";
        // A plain pool, not Executors.newSingleThreadExecutor: that one has a finalizer, which would
        // keep this generation's class loader past the collection that ends it.
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            generationThreadItself = t;
            return t;
        });
    }

    /** Reads the descriptor visible to {@code pluginLoader} and finds the generated binding there. */
    public static PluginHost load(HostApi api, ClassLoader pluginLoader) throws IOException {
        PluginDescriptor descriptor = PluginDescriptor.load(pluginLoader);
        for (PluginBinding<?> b : ServiceLoader.load(PluginBinding.class, pluginLoader)) {
            if (descriptor.pluginClass().equals(b.pluginClass().getCanonicalName())) {
                return new PluginHost(api, pluginLoader, descriptor, b);
            }
        }
        throw new IOException("plugin '" + descriptor.name() + "': no generated binding for " + descriptor.pluginClass()
                + " was found; rebuild the plugin with the flb4j annotation processor");
    }

    /**
     * A host for a binding and descriptor already at hand (the testkit; several plugins on one
     * class path). Engines use {@link #load}.
     */
    public static PluginHost create(HostApi api, ClassLoader pluginLoader, PluginDescriptor descriptor,
                                    PluginBinding<?> binding) {
        return new PluginHost(api, pluginLoader, descriptor, binding);
    }

    /**
     * What to say after an init that failed to bind an address: the likeliest cause after a hot
     * reload is the plugin's previous generation, whose server still listens because close() did
     * not stop it, and Fluent Bit then aborts the reload and exits.
     */
    static String bindHint(Throwable e) {
        for (Throwable t : Causes.of(e)) {
            if (t instanceof java.net.BindException) {
                return " (if this follows a hot reload: the previous generation's close() ran first, so a server "
                        + "the plugin starts in init and does not stop in close() still holds the address, and Fluent "
                        + "Bit aborts the reload; 5.1.1 then exits)";
            }
        }
        return "";
    }

    /** The plugin's name, as Fluent Bit knows it. */
    public String pluginName() {
        return descriptor.name();
    }

    /** The host API this generation talks to Fluent Bit through. */
    public HostApi api() {
        return api;
    }

    /**
     * Creates, configures and initialises one instance. Returns its handle (&gt; 0), which the
     * engine stores in {@code remote_context}, or 0 when init failed (already logged).
     */
    public long initInstance(long nativeInstance) {
        int id = nextId.getAndIncrement();
        Instance instance;
        try {
            // The plugin's constructor and static initializers (a library's first log lines) log
            // as its init does: at the instance's log_level.
            HostLogger early = new HostLogger(api, nativeInstance, descriptor.name(), id);
            InstanceConfig config = new InstanceConfig(api, nativeInstance, descriptor.name());
            Duration initTimeout = Instance.readTimeout(descriptor.name(), config, Flb4jKeys.INIT_TIMEOUT,
                    Flb4jKeys.DEFAULT_INIT_TIMEOUT);
            Object plugin = construct(id, nativeInstance, early, initTimeout);
            if (plugin == null) {
                return 0;
            }
            instance = onGenerationThread(() -> LogBridge.with(early,
                    () -> create(id, nativeInstance, plugin, config, initTimeout)));
        } catch (ConfigException e) {
            log(nativeInstance, id, 1, e.getMessage());
            return 0;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // Thrown by the constructor, its field or static initializers, before any init: no plugin
            // object to try init on again, so a connection that could not be made fails here too.
            String away = AwayForNow.reason(e);
            log(nativeInstance, id, 1, "init failed: " + Logger.causes(e) + (away == null ? "" : " (the plugin's "
                    + "constructor could not connect, " + away + ": connect in init(), where a connection that cannot "
                    + "be made is tried again instead of failing Fluent Bit)"));
            return 0;
        }
        InitRun run;
        try {
            run = startInit(instance, 0, true);
        } catch (RejectedExecutionException e) {
            log(nativeInstance, id, 1, "init failed: the plugin's generation has ended");
            return 0;
        }
        try {
            if (!run.ended.await(instance.initTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                // A connect to a host that does not answer, with no timeout of its own: Fluent Bit's
                // start or hot reload (every pipeline stopped for it) goes on, and the init with it.
                // Registered first, not ready: the run, once let go, finds its instance when it ends.
                instance.ready = false;
                instances.put((long) id, instance);
                if (!run.letGo()) {
                    instances.remove((long) id);   // it ended just now: its outcome is the caller's, as in time
                    instance.ready = true;
                    run.ended.await();
                    return initOutcome(instance, run.failure);
                }
                instance.logger.warn("init has not returned within %s (%s); Fluent Bit goes on without it, and the "
                        + "instance takes nothing until it succeeds (its flushes are answered RETRY, an input collects "
                        + "nothing)", instance.initTimeout, Flb4jKeys.INIT_TIMEOUT);
                abandonGenerationThread();   // what follows (another instance's init, a close) does not queue behind it
                return id;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return initOutcome(instance, e);
        }
        return initOutcome(instance, run.failure);
    }

    /** After the first init returned in time: the instance's handle, or 0 when it failed. */
    private long initOutcome(Instance instance, Throwable failure) {
        int id = instance.id;
        long nativeInstance = instance.nativeInstance;
        if (failure == null) {
            instances.put((long) id, instance);
            return id;
        }
        String away = failure instanceof RetryableException ? null : AwayForNow.reason(failure);
        if (failure instanceof RetryableException || away != null) {
            // Something the instance needs is away (a database, a broker): start it anyway and
            // try again, rather than fail Fluent Bit's start or hot reload (5.1.1 then exits).
            instance.ready = false;
            instances.put((long) id, instance);
            instance.logger.warn("init failed, tried again in %d s%s; until it succeeds the instance takes nothing "
                    + "(its flushes are answered RETRY, an input collects nothing): %s",
                    FIRST_INIT_RETRY_MILLIS / 1000, away == null ? "" : " (a connection that could not be made, "
                    + away + ", counts as RetryableException)", Logger.causes(failure));
            retryInitLater(instance, FIRST_INIT_RETRY_MILLIS);
            return id;
        }
        if (failure instanceof VirtualMachineError e) {
            throw e;
        }
        log(nativeInstance, id, 1, "init failed: " + Logger.causes(failure) + bindHint(failure));
        instance.ready = false;   // its close() meets what init left half made
        closeQuietly(instance);
        return 0;
    }

    /**
     * The plugin's constructor and static initializers, on the generation thread, waited for at
     * most the section's {@code flb4j.init_timeout}: one that connects to a host that does not
     * answer, with no timeout of its own, would otherwise hold Fluent Bit's start, or a hot reload
     * with every pipeline stopped, for as long as it waits. Past the timeout: one error line, the
     * constructor is interrupted and left to the generation thread it holds (a new one runs what
     * follows), whatever it made later is dropped, and null (init failed). Unlike a slow init, a
     * slow constructor leaves no plugin object to start the instance with.
     */
    private Object construct(int id, long nativeInstance, HostLogger early, Duration timeout) throws Exception {
        Callable<Object> make = () -> LogBridge.with(early, () -> binding.newInstance());
        if (Thread.currentThread() == generationThreadItself) {
            return make.call();
        }
        Future<Object> made = generationThread.submit(make);
        long started = System.nanoTime();
        try {
            return made.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw unwrapped(e);
        } catch (TimeoutException e) {
            if (!made.cancel(true)) {   // it ended just now: its outcome is the caller's, as in time
                try {
                    return made.get();
                } catch (ExecutionException x) {
                    throw unwrapped(x);
                }
            }
            // Cancelled: what the constructor returns later is dropped with the future.
            early.detach();   // Fluent Bit frees the instance after a failed init: a late line must not reach it
            abandonGenerationThread();
            log(nativeInstance, id, 1, "init failed: the plugin's constructor (with its field initializers "
                    + "and static initializers) has not returned within " + timeout + " (" + Flb4jKeys.INIT_TIMEOUT
                    + "); it was interrupted after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
                    + " ms. Connect and load in init(), which Fluent Bit waits for at most that long and then goes on "
                    + "without, not in the constructor");
            return null;
        }
    }

    private Instance create(int id, long nativeInstance, Object plugin, InstanceConfig config, Duration initTimeout)
            throws Exception {
        bindConfig(plugin, config);
        Instance instance;
        String name = descriptor.name();
        switch (descriptor.kind()) {
            case INPUT -> instance = new InputInstance(id, nativeInstance, name, api, config, loader,
                    (InputPlugin) plugin, InputLimits.read(name, config), mappers, descriptor.eventTypes());
            case OUTPUT -> instance = new OutputInstance(id, nativeInstance, name, api, config, loader,
                    (OutputPlugin) plugin, descriptor.eventTypes(),
                    FlushLimits.read(name, config, descriptor.concurrentFlush()), deadlines(), mappers);
            default -> instance = new CustomInstance(id, nativeInstance, name, api, config, loader, (CustomPlugin) plugin);
        }
        instance.closeTimeout = Instance.readTimeout(name, config, Flb4jKeys.CLOSE_TIMEOUT, Flb4jKeys.DEFAULT_CLOSE_TIMEOUT);
        instance.initTimeout = initTimeout;
        registerMetrics(plugin, instance);
        return instance;
    }

    /** The first wait before an init that threw {@code RetryableException} is tried again; it doubles up to the last. */
    static final long FIRST_INIT_RETRY_MILLIS = 1_000;
    static final long LAST_INIT_RETRY_MILLIS = 30_000;

    /**
     * One run of the plugin's init on the generation thread: the first, whose outcome the caller
     * waits for, or one tried again or let go, which sees to its own outcome.
     */
    static final class InitRun {
        final CountDownLatch ended = new CountDownLatch(1);
        private final AtomicBoolean started = new AtomicBoolean();
        /** Whether the caller still waits for the outcome; whoever turns it false first has it. */
        private final AtomicBoolean callerWaits;
        volatile Future<?> future;
        volatile Throwable failure;

        InitRun(boolean callerWaits) {
            this.callerWaits = new AtomicBoolean(callerWaits);
        }

        /** The caller stops waiting; false when the run has just ended and the outcome is the caller's. */
        boolean letGo() {
            return callerWaits.compareAndSet(true, false);
        }

        /** At the run's end: whether the caller takes the outcome. */
        boolean handToCaller() {
            return callerWaits.compareAndSet(true, false);
        }

        /** Keeps a run not started from starting; false when it has started. */
        boolean cancelBeforeStart() {
            if (started.compareAndSet(false, true)) {
                ended.countDown();
                return true;
            }
            return false;
        }
    }

    /**
     * Runs the plugin's init, with its class loader and the instance's logger: the first on the
     * generation thread, one tried again on a thread of its own that ends with it, so that an
     * attempt waiting on a network does not hold what the generation thread runs for the
     * plugin's other instances (their hand-offs, their exits). {@code lastDelayMillis}: the wait
     * before this run (0 for the first).
     */
    private InitRun startInit(Instance instance, long lastDelayMillis, boolean callerWaits) {
        InitRun run = new InitRun(callerWaits);
        Runnable body = () -> {
            if (!run.started.compareAndSet(false, true)) {
                return;   // the instance exited before the run started
            }
            try {
                if (callerWaits || instances.get((long) instance.id) == instance) {
                    inPluginLoader(instance, () -> {
                        instance.init();
                        return null;
                    });
                    if (!run.handToCaller()) {
                        initSucceeded(instance);
                    }
                }
            } catch (Throwable e) {
                run.failure = e;
                if (!run.handToCaller()) {
                    initFailed(instance, e, lastDelayMillis);
                }
            } finally {
                run.ended.countDown();
            }
        };
        FutureTask<Void> task = new FutureTask<>(body, null);
        run.future = task;
        instance.initRun = run;   // with its future, before it can start: an exit can always interrupt it
        if (callerWaits && Thread.currentThread() == generationThreadItself) {
            task.run();
            return run;
        }
        if (!callerWaits) {
            Thread t = new Thread(task, "flb4j-" + descriptor.name() + "-init#" + instance.id);
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            t.start();
            return run;
        }
        try {
            generationThread.execute(task);
        } catch (RejectedExecutionException e) {
            run.cancelBeforeStart();
            throw e;
        }
        return run;
    }

    private void retryInitLater(Instance instance, long delayMillis) {
        try {
            // The run itself checks that the instance has not exited meanwhile.
            deadlines().schedule(() -> startInit(instance, delayMillis, false), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the generation ended
        }
    }

    /** A run tried again or let go has succeeded: the instance takes events. */
    private void initSucceeded(Instance instance) {
        instance.ready = true;
        instance.logger.info("init succeeded; the instance takes events now");
        if (preRunDone && instance instanceof InputInstance input && instances.get((long) instance.id) == instance) {
            input.start();
        }
    }

    /** A run tried again or let go has failed: tried again later, unless the instance exited. */
    private void initFailed(Instance instance, Throwable e, long lastDelayMillis) {
        if (instances.get((long) instance.id) != instance) {
            instance.logger.debug("%s", "init ended by the instance's exit: " + Logger.causes(e));
            return;
        }
        long next = lastDelayMillis == 0 ? FIRST_INIT_RETRY_MILLIS : Math.min(lastDelayMillis * 2, LAST_INIT_RETRY_MILLIS);
        instance.logger.warn("init failed%s, tried again in %d s: %s", lastDelayMillis == 0 ? "" : " again",
                next / 1000, Logger.causes(e));
        retryInitLater(instance, next);
    }

    private synchronized ScheduledExecutorService deadlines() {
        if (deadlines == null) {
            String name = "flb4j-deadlines-" + descriptor.name();
            deadlines = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                t.setContextClassLoader(PluginHost.class.getClassLoader());   // not the plugin's: it runs no plugin code
                return t;
            });
            deadlines.setRemoveOnCancelPolicy(true);
        }
        return deadlines;
    }

    @SuppressWarnings("unchecked")
    private void bindConfig(Object plugin, Config config) throws ConfigException {
        ((PluginBinding<Object>) binding).bindConfig(plugin, config);
    }

    @SuppressWarnings("unchecked")
    private void registerMetrics(Object plugin, Instance instance) {
        ((PluginBinding<Object>) binding).registerMetrics(plugin, instance.metrics);
    }

    /** FLBPluginInputPreRun / FLBPluginOutputPreRun: starts the collect loops; returns 0. */
    public int preRun(int hotReload) {
        preRunDone = true;
        for (Instance i : instances.values()) {
            if (i instanceof InputInstance input) {
                input.start();
            }
        }
        return 0;
    }

    /** {@link #flush(long, ByteBuffer, String, IntConsumer)}: the answer will come through the callback. */
    public static final int FLUSH_PENDING = -1;

    /**
     * Starts a flush of one chunk, which must stay valid until the answer (Fluent Bit's does: its
     * coroutine waits for it) and is read in place until then, never after. Returns
     * {@link #FLUSH_PENDING} when {@code done} will be called exactly once, from another thread, with
     * FLB_OK, FLB_RETRY or FLB_ERROR (within the instance's {@code flb4j.flush_timeout}); otherwise
     * the code now (FLB_RETRY: no instance took the chunk), and {@code done} is never called.
     */
    public int flush(long handle, ByteBuffer chunk, String tag, IntConsumer done) {
        try {
            if (!(instances.get(handle) instanceof OutputInstance output)) {
                log(0, handle, 1, "flush of tag '" + tag + "' for unknown output instance " + handle
                        + " (closed, or never started); Fluent Bit will retry it");
                return FLB_RETRY;
            }
            if (!output.ready) {
                return output.notReady(tag);
            }
            output.flush(chunk, tag, done, (o, c, t) -> inPluginLoader(o, () -> o.flushNow(c, t)));
            return FLUSH_PENDING;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {   // before the plugin saw the chunk: the host's own failure keeps it
            log(0, handle, 1, "flush of tag '" + tag + "' could not start: " + Logger.causes(e) + "; Fluent Bit will retry it");
            return FLB_RETRY;
        }
    }

    /** The same, waiting for the answer: FLB_OK, FLB_RETRY or FLB_ERROR (the testkit, benchmarks). */
    public int flush(long handle, ByteBuffer chunk, String tag) {
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        int now = flush(handle, chunk, tag, answer::complete);
        return now != FLUSH_PENDING ? now : answer.join();
    }

    /**
     * The next batch the instance has queued, encoded as Fluent Bit events: a direct buffer to read
     * in place until {@link #handedOff}; null when nothing. Until then the events are not taken:
     * a batch never handed off goes out again at the next collect.
     */
    public ByteBuffer collect(long handle) {
        try {
            if (!(instances.get(handle) instanceof InputInstance input)) {
                log(0, handle, 1, "collect for unknown input instance " + handle);
                return null;
            }
            return paused ? null : input.collect();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            log(0, handle, 1, "collect failed: " + Logger.causes(e));
            return null;
        }
    }

    /** Fluent Bit appended the buffer the last {@link #collect} returned (called from its cleanup callback). */
    public void handedOff(long handle) {
        if (instances.get(handle) instanceof InputInstance input) {
            try {
                onGenerationThread(() -> inPluginLoader(input, () -> {
                    input.handedOff();
                    return null;
                }));
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                input.logger.error("handedOff failed", e);
            }
        }
    }

    /** FLBPluginInputPause: every input instance of the plugin stops handing out events; producers block. */
    public void pause() {
        setPaused(true);
    }

    /** FLBPluginInputResume. */
    public void resume() {
        setPaused(false);
    }

    private void setPaused(boolean pause) {
        paused = pause;
        for (Instance i : instances.values()) {
            if (i instanceof InputInstance input) {
                input.pause(pause);
            }
        }
    }

    /** FLBPlugin{Input,Output}PreExit: nothing to do before exit; the instances stop at exit. */
    public void preExit(int byHotReload) {
        // Exit follows and drains; stopping earlier would only lose events Fluent Bit still takes.
    }

    /** FLBPluginExitCtx: stops and closes one instance; returns FLB_OK or FLB_ERROR. */
    public int exitInstance(long handle) {
        Instance instance = instances.remove(handle);
        if (instance == null) {
            return FLB_OK;
        }
        return closeQuietly(instance) ? FLB_OK : FLB_ERROR;
    }

    /** FLBPluginExit (no context): stops and closes every instance; returns FLB_OK or FLB_ERROR. */
    public int exitAll() {
        int result = FLB_OK;
        for (Long handle : new ArrayList<>(instances.keySet())) {
            if (exitInstance(handle) != FLB_OK) {
                result = FLB_ERROR;
            }
        }
        return result;
    }

    /** FLBPluginUnregister: closes whatever is left; the host is unusable afterwards. */
    public void unregister() {
        exitAll();
        ScheduledThreadPoolExecutor d;
        synchronized (this) {
            d = deadlines;
            if (d != null) {
                d.shutdownNow();
            }
            generationThread.shutdown();
        }
        try {
            generationThread.awaitTermination(5, TimeUnit.SECONDS);
            if (d != null) {
                d.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LogBridge.deactivate(this);   // and whatever logging adapter asked to be undone with it
    }

    private boolean closeQuietly(Instance instance) {
        if (instance == null) {
            return true;
        }
        try {
            endInit(instance);
            onGenerationThread(() -> inPluginLoader(instance, () -> {
                instance.stop();
                return null;
            }));
            return closePluginWithin(instance);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            if (instance.ready) {
                instance.logger.error("close failed", e);
            } else {
                // After an init that failed, close() meets what init left half made (a field still
                // null): the init's error is the instance's line, this one only adds noise.
                instance.logger.debug("%s", "close after an init that did not succeed failed: " + Logger.causes(e));
            }
            return false;
        } finally {
            instance.closed();
            instance.detach();
        }
    }

    /**
     * At the exit of an instance whose init is being tried again or was let go: a run not started
     * does not start, and one still running (a connect to a host that does not answer, with no
     * timeout of its own) is interrupted and given the instance's {@code flb4j.close_timeout} to
     * return. Past that it is left to its thread (its own, or the generation thread it had when it
     * was let go, which the generation no longer uses), as a close() that does not return is, so
     * a hot reload or a SIGTERM during an outage is not held by it.
     */
    private void endInit(Instance instance) throws InterruptedException {
        InitRun run = instance.initRun;
        if (run == null || run.ended.getCount() == 0 || run.cancelBeforeStart()) {
            return;
        }
        run.future.cancel(true);
        if (!run.ended.await(instance.closeTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
            instance.logger.warn("init, still running at the instance's exit, was interrupted and did not return within "
                    + "%s (%s): it is left behind and the exit goes on without it", instance.closeTimeout,
                    Flb4jKeys.CLOSE_TIMEOUT);
        }
    }

    /** How long a close() past its deadline is given to return once interrupted. */
    static final long INTERRUPTED_CLOSE_WAIT_MILLIS = 1_000;

    /**
     * Runs the plugin's close() on the generation thread for at most the instance's
     * {@code flb4j.close_timeout}: past it, one warning, and close() is interrupted; when it does
     * not return even then, the generation thread is left to it and a new one runs what follows.
     * A hot reload or a SIGTERM then goes on instead of waiting for a close() that waits on a
     * network (a client library draining what it buffered to a broker that is away).
     */
    private boolean closePluginWithin(Instance instance) throws Exception {
        LogBridge.Call<Void> close = () -> {
            instance.closePlugin();
            return null;
        };
        if (Thread.currentThread() == generationThreadItself) {
            inPluginLoader(instance, close);
            return true;
        }
        CountDownLatch returned = new CountDownLatch(1);
        Future<Void> running = generationThread.submit(() -> {
            try {
                return inPluginLoader(instance, close);
            } finally {
                returned.countDown();
            }
        });
        Duration timeout = instance.closeTimeout;
        try {
            running.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException e) {
            throw unwrapped(e);
        } catch (TimeoutException e) {
            running.cancel(true);   // interrupts close() if it still runs
            boolean ended = returned.await(INTERRUPTED_CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            instance.logger.warn("close() did not return within %s (%s); it was interrupted%s", timeout,
                    Flb4jKeys.CLOSE_TIMEOUT, ended ? " and returned"
                            : ", still runs, and is left behind: the instance's exit goes on without it");
            if (!ended) {
                abandonGenerationThread();
            }
            return false;
        }
    }

    /** A close() holds the generation thread: what follows runs on a new one. */
    private synchronized void abandonGenerationThread() {
        ExecutorService held = generationThread;
        generationThread = newGenerationThread();
        held.shutdown();
    }

    /**
     * Runs {@code call} on this generation's own thread, and waits for it: what a plugin or its
     * libraries leave on the thread that runs its init, close or hand-off (a {@code ThreadLocal},
     * a cache) ends with the generation instead of staying on the engine's long-lived threads.
     */
    private <T> T onGenerationThread(Callable<T> call) throws Exception {
        if (Thread.currentThread() == generationThreadItself) {
            return call.call();
        }
        try {
            return generationThread.submit(call).get();
        } catch (ExecutionException e) {
            throw unwrapped(e);
        }
    }

    /** What a call on the generation thread threw, as it threw it. */
    private static Exception unwrapped(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception x) {
            return x;
        }
        if (cause instanceof Error x) {
            throw x;
        }
        return e;
    }

    /**
     * Plugin code runs with its own class loader as the context loader (ServiceLoader, JAXB, ...
     * rely on it), and with its instance's logger as the one libraries' log lines go to
     * ({@link LogBridge}).
     */
    private <T> T inPluginLoader(Instance instance, LogBridge.Call<T> call) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return LogBridge.with(instance.logger, call);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /**
     * The plugin's logger, for lines logged outside any instance's callback: named by the
     * plugin, its level checked against a live instance's {@code log_level}; with none live
     * (a library's thread that logs on after close()), Fluent Bit's default, info.
     */
    Logger pluginLogger() {
        Instance any = instances.values().stream().findFirst().orElse(null);
        return new HostLogger(api, any == null ? 0 : any.nativeInstance, "[flb4j:" + descriptor.name() + "] ",
                Logger.Level.INFO);
    }


    private void log(long nativeInstance, long id, int level, String message) {
        try {
            api.log(nativeInstance, level, HostLogger.prefix(descriptor.name(), id) + message);
        } catch (RuntimeException ignored) {
            // Logging must never turn a handled failure into a crash.
        }
    }

}
