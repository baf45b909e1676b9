package io.flb4j.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers a gauge with Fluent Bit's metrics (cmetrics) for each plugin instance and
 * assigns it to the field before {@code init} runs. The field must be of type
 * {@code io.flb4j.api.Gauge} and neither private, static nor final. The metric appears as
 * {@code fluentbit_<plugin name>_<name>}.
 *
 * <pre>{@code
 * @MetricGauge(name = "queue_depth", help = "Events waiting") Gauge depth;
 * ...
 * depth.set(queue.size());
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface MetricGauge {
    /** The metric name: {@code [a-zA-Z_][a-zA-Z0-9_]*}. Example: {@code name = "sent_total"}. */
    String name();

    /** One line saying what the metric measures. Example: {@code help = "Events sent"}. */
    String help();

    /** The label keys; each update passes one value per key, in this order. Example: {@code labels = "tag"}, then {@code sent.add(n, tag)}. */
    String[] labels() default {};
}
