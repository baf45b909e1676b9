package io.flb4j.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Registers a counter with Fluent Bit's metrics (cmetrics) for each plugin instance and
 * assigns it to the field before {@code init} runs. The field must be of type
 * {@code io.flb4j.api.Counter} and neither private, static nor final. The metric appears as
 * {@code fluentbit_<plugin name>_<name>}.
 *
 * <pre>{@code
 * @MetricCounter(name = "records_total", help = "Records emitted", labels = "source")
 * Counter records;
 * ...
 * records.inc("disk");
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface MetricCounter {
    /** The metric name: {@code [a-zA-Z_][a-zA-Z0-9_]*}. Example: {@code name = "sent_total"}. */
    String name();

    /** One line saying what the metric counts. Example: {@code help = "Events sent"}. */
    String help();

    /** The label keys; each update passes one value per key, in this order. Example: {@code labels = "tag"}, then {@code sent.add(n, tag)}. */
    String[] labels() default {};
}
