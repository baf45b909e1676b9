package io.flb4j.binding;

import io.flb4j.codec.RecordMapper;
import io.flb4j.api.Config;
import io.flb4j.api.Metrics;
import io.flb4j.config.ConfigException;

/**
 * What the annotation processor generates for a plugin class, found by the host through
 * {@link java.util.ServiceLoader}: creates instances without reflection, binds their
 * {@code @ConfigKey} fields and registers their metric fields. Not written by hand.
 *
 * <pre>{@code
 * PluginBinding<?> binding = ServiceLoader.load(PluginBinding.class, loader).findFirst().get();
 * }</pre>
 *
 * @param <P> the plugin class
 */
public interface PluginBinding<P> {
    /**
     * How the processor names a plugin's GraalVM entry points class ({@code <Plugin>} followed by
     * this), generated with {@code -Aflb4j.engine=graal}; the build looks for it.
     */
    String GRAAL_ENTRY_POINTS_SUFFIX = "_Flb4jGraalEntryPoints";

    /** The plugin class this binding serves. */
    Class<P> pluginClass();

    /** A new, unconfigured plugin object. */
    P newInstance();

    /** Sets every {@code @ConfigKey} field from {@code config}; reports all problems in one exception. */
    void bindConfig(P plugin, Config config) throws ConfigException;

    /** Creates every annotated metric through {@code metrics} and assigns it to its field. */
    void registerMetrics(P plugin, Metrics metrics);

    /** The mappers of the {@code @EventRecord} types of the plugin's module, for {@code Events.as} and {@code EventSink.emit}. */
    default java.util.List<RecordMapper<?>> recordMappers() {
        return java.util.List.of();
    }
}
