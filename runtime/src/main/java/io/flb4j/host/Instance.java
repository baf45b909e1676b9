package io.flb4j.host;

import io.flb4j.api.Config;
import io.flb4j.api.FluentBit;
import io.flb4j.api.Logger;
import io.flb4j.api.Metrics;

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

    /** Stops what runs and closes the plugin. */
    abstract void close() throws Exception;

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
