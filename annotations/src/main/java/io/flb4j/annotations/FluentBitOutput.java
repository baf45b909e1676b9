package io.flb4j.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the class that is a Fluent Bit output plugin. The class must implement
 * {@code io.flb4j.api.OutputPlugin}, be public, concrete and have an accessible
 * no-argument constructor. A module (one {@code .so}) holds exactly one plugin class.
 *
 * <pre>{@code
 * @FluentBitOutput(name = "count", description = "Counts events")
 * public final class CountOutput implements OutputPlugin {
 *     public FlushResult flush(String tag, Events events) {
 *         long n = 0; for (Event e : events) n++;
 *         return FlushResult.OK;
 *     }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface FluentBitOutput {
    /**
     * The plugin name used in {@code [OUTPUT] Name ...}: lower case letters, digits,
     * {@code _} and {@code -}, starting with a letter, at most 64. Example: {@code name = "my_output"}
     * (or {@code "my-output"}: its metrics are then {@code fluentbit_my_output_<metric>}).
     */
    String name();

    /** One line shown by {@code fluent-bit --help} and in the generated docs. Example: {@code description = "Writes events as JSON lines"}. */
    String description() default "";

    /**
     * The kinds of events this output accepts; logs unless said otherwise. Each kind needs its
     * flush method. Example: {@code events = {EventType.METRICS, EventType.TRACES}} with
     * {@code flushMetrics} and {@code flushTraces}.
     */
    EventType[] events() default {EventType.LOGS};

    /**
     * Whether {@code flush} may run on several threads at once for one instance. Fluent Bit
     * flushes from several workers in parallel when an output sets {@code workers}; flb4j
     * serialises the flushes of one instance unless this is {@code true}. Example:
     * {@code concurrentFlush = true} for an output whose flush is thread-safe.
     */
    boolean concurrentFlush() default false;

    /**
     * Whether the plugin reads keys beyond its {@code @ConfigKey} fields, through
     * {@code fbit.config()}. Fluent Bit 5.1.1 and later refuse a key the plugin did not declare
     * (flb4j tells them the declared keys and flb4j's own); with {@code dynamicKeys = true}
     * Fluent Bit is told nothing and accepts any key, as before 5.1.1. Example:
     * {@code dynamicKeys = true} for a plugin that takes {@code header.*} keys.
     */
    boolean dynamicKeys() default false;
}
