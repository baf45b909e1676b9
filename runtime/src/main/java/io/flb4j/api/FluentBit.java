package io.flb4j.api;

/**
 * What a plugin instance gets at {@code init}: its raw configuration, its metrics and its
 * logger (the Go seed's {@code Fluentbit{Conf, Metrics, Logger}}).
 *
 * <pre>{@code
 * public void init(FluentBit fbit) {
 *     fbit.logger().info("starting %s", fbit.pluginName());
 *     fbit.config().get("extra_key").ifPresent(v -> ...);
 *     Gauge g = fbit.metrics().gauge("backlog", "Events not yet sent");
 * }
 * }</pre>
 */
public interface FluentBit {
    /** The plugin name, as registered with Fluent Bit. */
    String pluginName();

    /**
     * The instance's name as Fluent Bit shows it: its {@code alias}, or {@code <plugin>.<n>}.
     * Every metric of the instance carries it as the label {@code name}.
     */
    String instanceName();

    /** A number identifying this instance among the plugin's instances in this process, from 1. */
    int instanceId();

    /**
     * The instance's configuration section, for keys not bound with {@code @ConfigKey}. Fluent
     * Bit 5.1.1+ refuses an undeclared key unless the plugin's annotation says
     * {@code dynamicKeys = true}.
     */
    Config config();

    /** Creates further metrics at run time, next to the annotated ones. */
    Metrics metrics();

    /** Writes to Fluent Bit's log, prefixed with the instance. */
    Logger logger();
}
