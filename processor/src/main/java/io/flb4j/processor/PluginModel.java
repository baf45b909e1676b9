package io.flb4j.processor;

import io.flb4j.binding.PluginDescriptor;
import io.flb4j.binding.PluginKind;
import io.flb4j.metrics.MetricKind;
import java.util.List;
import java.util.stream.Collectors;
import javax.lang.model.element.TypeElement;

/** A validated plugin class: everything the generators need, nothing they must check again. */
record PluginModel(
        TypeElement type,
        PluginKind kind,
        String name,
        String description,
        int eventTypes,
        boolean concurrentFlush,
        boolean dynamicKeys,
        List<Key> keys,
        List<Metric> metrics) {

    /** A {@code @ConfigKey} field. {@code defaultValue} is {@code null} when there is none. */
    record Key(String field, String key, ConfigType type, String defaultValue, boolean required,
               String description, boolean secret, List<String> constraints) {}

    /** A {@code @MetricCounter} or {@code @MetricGauge} field. */
    record Metric(String field, MetricKind kind, String name, String help, List<String> labels) {}

    PluginDescriptor descriptor() {
        return new PluginDescriptor(name, kind, description, type.getQualifiedName().toString(),
                eventTypes, concurrentFlush,
                keys.stream().map(k -> new PluginDescriptor.Key(k.key(), k.field(), k.type().descriptorName(),
                        k.defaultValue(), k.required(), k.description(), k.secret(), k.constraints()))
                        .collect(Collectors.toList()),
                metrics.stream().map(m -> new PluginDescriptor.Metric(m.name(), m.field(), m.kind().label(), m.help(),
                        m.labels())).collect(Collectors.toList()), dynamicKeys);
    }
}
