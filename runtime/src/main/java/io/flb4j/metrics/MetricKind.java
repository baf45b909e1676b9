package io.flb4j.metrics;

import io.flb4j.api.Counter;
import io.flb4j.api.Gauge;
import io.flb4j.api.Metrics;
import java.util.Locale;

/**
 * The two kinds of plugin metric: how each is named in descriptors and messages, the field type
 * and annotation that declare it, and the {@link Metrics} method that creates it.
 */
public enum MetricKind {
    COUNTER(Counter.class, "MetricCounter", "counter"),
    GAUGE(Gauge.class, "MetricGauge", "gauge");

    private final Class<?> apiType;
    private final String annotation;
    private final String factoryMethod;

    MetricKind(Class<?> apiType, String annotation, String factoryMethod) {
        this.apiType = apiType;
        this.annotation = annotation;
        this.factoryMethod = factoryMethod;
    }

    /** {@code counter} or {@code gauge}: as written in descriptors and messages. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type a field of this kind has ({@link Counter} or {@link Gauge}). */
    public Class<?> apiType() {
        return apiType;
    }

    /** The simple name of the annotation that declares one. */
    public String annotation() {
        return annotation;
    }

    /** The name of the {@link Metrics} method that creates one, for generated code. */
    public String factoryMethod() {
        return factoryMethod;
    }

    public static MetricKind ofLabel(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }
}
