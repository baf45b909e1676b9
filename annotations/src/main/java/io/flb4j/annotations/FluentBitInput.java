package io.flb4j.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the class that is a Fluent Bit input plugin. The class must implement
 * {@code io.flb4j.api.InputPlugin}, be public, concrete and have an accessible
 * no-argument constructor. A module (one {@code .so}) holds exactly one plugin class.
 *
 * <pre>{@code
 * @FluentBitInput(name = "hello", description = "Says hello every second")
 * public final class HelloInput implements InputPlugin {
 *     public void collect(EventSink sink) throws InterruptedException {
 *         while (!sink.cancelled()) { sink.emit(Map.of("message", "hello")); Thread.sleep(1000); }
 *     }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface FluentBitInput {
    /**
     * The plugin name used in {@code [INPUT] Name ...}: lower case letters, digits,
     * {@code _} and {@code -}, starting with a letter, at most 64. Example: {@code name = "my_input"}
     * (or {@code "my-input"}: its metrics are then {@code fluentbit_my_input_<metric>}).
     */
    String name();

    /** One line shown by {@code fluent-bit --help} and in the generated docs. Example: {@code description = "Writes events as JSON lines"}. */
    String description() default "";

    /**
     * What the input emits: logs unless said otherwise. {@code events = {EventType.LOGS,
     * EventType.METRICS}} lets it also {@code sink.emitMetrics(...)}; traces from inputs are not
     * built yet.
     */
    EventType[] events() default {EventType.LOGS};

    /**
     * Whether the plugin reads keys beyond its {@code @ConfigKey} fields, through
     * {@code fbit.config()}. Fluent Bit 5.1.1 and later refuse a key the plugin did not declare
     * (flb4j tells them the declared keys and flb4j's own); with {@code dynamicKeys = true}
     * Fluent Bit is told nothing and accepts any key, as before 5.1.1. Example:
     * {@code dynamicKeys = true} for a plugin that takes {@code header.*} keys.
     */
    boolean dynamicKeys() default false;
}
