package io.flb4j.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The event field a component of an {@link EventRecord} maps to, when it is not the
 * component's name in snake_case.
 *
 * <pre>{@code
 * @EventRecord
 * public record Metric(@EventField("@timestamp") String timestamp, double value) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface EventField {
    /** The field's key in the event's record. Example: {@code @EventField("latency_ms") double latency}. */
    String value();
}
