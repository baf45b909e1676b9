package io.flb4j.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Java {@code record} that an event's record maps to and from. The annotation processor
 * generates its mapper at compile time: an output reads {@code events.as(AccessLog.class)}, an
 * input writes {@code sink.emit(accessLog)}, with no reflection and no intermediate {@code Map}.
 * Each component is the field named by the component's name in snake_case
 * ({@code statusCode} is {@code status_code}), or by {@link EventField}. Fields the record does
 * not name are ignored; a missing primitive or a field of the wrong type is an error naming it.
 *
 * <p>Component types: {@code String}, {@code long}/{@code Long}, {@code int}/{@code Integer},
 * {@code double}/{@code Double}, {@code boolean}/{@code Boolean}, and {@code Object},
 * {@code Map<String, Object>} or {@code List<Object>} for values as {@code Event.record()}
 * gives them. A missing {@code String}, box or object component is {@code null}.
 *
 * <pre>{@code
 * @EventRecord
 * public record AccessLog(String method, String path, int status, @EventField("latency_ms") double latency) {}
 *
 * for (AccessLog log : events.as(AccessLog.class)) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface EventRecord {}
