package io.flb4j.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the class that is a Fluent Bit custom plugin ({@code [CUSTOM]} section): it is
 * initialised with its configuration, metrics and logger and runs no collect or flush.
 * The class must implement {@code io.flb4j.api.CustomPlugin}.
 *
 * <pre>{@code
 * @FluentBitCustom(name = "banner", description = "Logs a banner at start-up")
 * public final class Banner implements CustomPlugin {
 *     @ConfigKey(defaultValue = "hello") String text;
 *     public void init(FluentBit fbit) { fbit.logger().info(text); }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface FluentBitCustom {
    /**
     * The plugin name used in {@code [CUSTOM] Name ...}: lower case letters, digits,
     * {@code _} and {@code -}, starting with a letter, at most 64. Example: {@code name = "my_custom"}
     * (or {@code "my-custom"}: its metrics are then {@code fluentbit_my_custom_<metric>}).
     */
    String name();

    /** One line shown by {@code fluent-bit --help} and in the generated docs. Example: {@code description = "Writes events as JSON lines"}. */
    String description() default "";

    /**
     * Whether the plugin reads keys beyond its {@code @ConfigKey} fields, through
     * {@code fbit.config()}. Fluent Bit 5.1.1 and later refuse a key the plugin did not declare
     * (flb4j tells them the declared keys and flb4j's own); with {@code dynamicKeys = true}
     * Fluent Bit is told nothing and accepts any key, as before 5.1.1. Example:
     * {@code dynamicKeys = true} for a plugin that takes {@code header.*} keys.
     */
    boolean dynamicKeys() default false;
}
