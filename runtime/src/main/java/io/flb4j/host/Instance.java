package io.flb4j.host;

import io.flb4j.api.Config;
import io.flb4j.api.FluentBit;
import io.flb4j.api.Logger;
import io.flb4j.api.Metrics;
import io.flb4j.binding.Flb4jKeys;
import io.flb4j.config.ConfigException;
import io.flb4j.config.ConfigReader;
import io.flb4j.config.ConfigValues;
import java.time.Duration;

/** One configured plugin instance: its plugin object and the context it was given. */
abstract class Instance implements FluentBit {
    final int id;
    final long nativeInstance;
    final String pluginName;
    final String instanceName;
    final HostLogger logger;
    final Config config;
    final HostMetrics metrics;
    final ClassLoader loader;
    /**
     * Whether the plugin's init has succeeded: false while an init that threw
     * {@code RetryableException} is tried again (the instance then takes nothing), and after an
     * init that failed.
     */
    volatile boolean ready = true;
    /** The plugin's last init run, ended or not: see {@link PluginHost.InitRun}. */
    volatile PluginHost.InitRun initRun;
    /** How long the plugin's close() may take ({@code flb4j.close_timeout}): see {@link #readTimeout}. */
    Duration closeTimeout = ConfigValues.parseDuration(Flb4jKeys.DEFAULT_CLOSE_TIMEOUT);
    /** How long Fluent Bit waits for the plugin's init ({@code flb4j.init_timeout}): see {@link #readTimeout}. */
    Duration initTimeout = ConfigValues.parseDuration(Flb4jKeys.DEFAULT_INIT_TIMEOUT);

    /**
     * What a plugin's {@code OutOfMemoryError} or {@code StackOverflowError} means and how to
     * mend it: Fluent Bit's process has memory, the JVM's heap has a limit of its own.
     */
    static String exhausted(VirtualMachineError e) {
        if (e instanceof StackOverflowError) {
            return "the plugin's code recursed deeper than its thread's stack allows (-Xss, 1m by default)";
        }
        long max = Runtime.getRuntime().maxMemory();
        return "the JVM's heap is full (its limit: " + (max / (1024 * 1024)) + " MB, -Xmx128m unless set): a plugin "
                + "that buffers more raises it with <jvmOptions> in its pom or FLB4J_JVM_OPTIONS=-Xmx…";
    }

    Instance(int id, long nativeInstance, String pluginName, HostApi api, Config config, ClassLoader loader) {
        this.id = id;
        this.nativeInstance = nativeInstance;
        this.pluginName = pluginName;
        this.loader = loader;
        this.logger = new HostLogger(api, nativeInstance, pluginName, id);
        this.config = config;
        String name = api.instanceName(nativeInstance);
        this.instanceName = name != null ? name : pluginName + "." + (id - 1);
        this.metrics = new HostMetrics(api, nativeInstance, pluginName, instanceName, logger);
    }

    /** Runs the plugin's init. */
    abstract void init() throws Exception;

    /** Stops what runs before the plugin's close(): collect loops, flushes. Bounded by its own limits. */
    void stop() throws Exception {}

    /** The plugin's close(); the host bounds it by {@link #closeTimeout}. */
    abstract void closePlugin() throws Exception;

    /** After the plugin's close(), whether it returned, threw or was given up on. */
    void closed() {}

    /**
     * {@code flb4j.close_timeout} or {@code flb4j.init_timeout} of the instance's section (default
     * 10s each). Why 10 seconds for close(): a client's close() that waits on the network (Kafka's
     * producer waits for its unsent records up to {@code delivery.timeout.ms}, 2 minutes, when the
     * broker is away) would hold a hot reload, and every pipeline with it, or a SIGTERM, that long;
     * 10 s plus Fluent Bit's {@code grace} (5 s) stays inside the 30 s Kubernetes gives a pod to
     * stop, and is far longer than a close() that only releases what init acquired takes. For
     * init: Fluent Bit's start, or a hot reload with every pipeline stopped, waits that long at
     * most for a connect that does not answer; an init past it is not stopped, only no longer
     * waited for, so a slow one loses nothing but the events offered before it returns.
     */
    static Duration readTimeout(String pluginName, Config config, String key, String defaultValue) throws ConfigException {
        ConfigReader reader = new ConfigReader(pluginName, config);
        Duration timeout = reader.value(key, defaultValue, false, ConfigValues::parseDuration,
                ConfigValues.DURATION_EXPECTED);
        reader.finish();
        return aboveZero(pluginName, config, key, timeout);
    }

    /** {@code value} of an flb4j duration key, refused when it is not above zero. */
    static Duration aboveZero(String pluginName, Config config, String key, Duration value) throws ConfigException {
        if (value.isZero() || value.isNegative()) {
            throw new ConfigException("plugin '" + pluginName + "': invalid configuration: key '" + key + "' has value '"
                    + config.get(key).orElse("") + "', expected a duration above zero");
        }
        return value;
    }

    /**
     * After close, before Fluent Bit frees the instance: threads the plugin left behind (a
     * server's handlers finishing a request) may still log or update a metric, and must not
     * reach the freed instance or its cmetrics context.
     */
    final void detach() {
        metrics.close();
        logger.detach();
        if (config instanceof InstanceConfig c) {
            c.detach();
        }
    }

    @Override
    public String pluginName() {
        return pluginName;
    }

    @Override
    public String instanceName() {
        return instanceName;
    }

    @Override
    public int instanceId() {
        return id;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Metrics metrics() {
        return metrics;
    }

    @Override
    public Logger logger() {
        return logger;
    }
}
