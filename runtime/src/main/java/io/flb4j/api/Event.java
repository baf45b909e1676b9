package io.flb4j.api;

import java.time.Instant;
import java.util.Map;

/**
 * One Fluent Bit log event: a time with nanosecond precision, metadata and a record.
 *
 * <p>Events an output receives decode lazily: nothing is turned into Java values until
 * {@link #record()} or {@link #metadata()} is called. The maps returned are Java values:
 * {@code String} keys, values {@code String}, {@code Long}, {@code Double}, {@code Boolean},
 * {@code byte[]}, {@code List}, {@code Map} or {@code null}.
 *
 * <pre>{@code
 * sink.emit(Event.of(Instant.now(), Map.of("message", "hi", "level", "info")));
 * }</pre>
 */
public interface Event {
    /** Seconds since the epoch. */
    long epochSecond();

    /** Nanoseconds within the second, 0 to 999,999,999. */
    int nano();

    /** The event time. */
    default Instant time() {
        return Instant.ofEpochSecond(epochSecond(), nano());
    }

    /** The event's metadata; empty when it has none (v1 events, most inputs). */
    Map<String, Object> metadata();

    /** The event's record. */
    Map<String, Object> record();

    /**
     * The record's value at {@code path}, or {@code null} when there is none. {@code path} is a
     * key of the record; when the record has no such key and it contains dots, it is read as a
     * path into nested maps: {@code "kubernetes.pod_name"} is
     * {@code record().get("kubernetes").get("pod_name")}. A key that itself holds a dot
     * ({@code "http.status_code"}) is found first.
     */
    default Object get(String path) {
        return EventFields.get(record(), path);
    }

    /**
     * The string at {@code path} (see {@link #get}).
     *
     * @throws MissingFieldException when there is no value there
     * @throws FieldTypeException when the value is not a string, naming the field and its type
     */
    default String string(String path) {
        return FieldValues.string(EventFields.present(record(), path), EventFields.subject(path));
    }

    /**
     * The integer at {@code path} (see {@link #get}); a float with no fraction is accepted.
     *
     * @throws MissingFieldException when there is no value there
     * @throws FieldTypeException when the value is not an integer or does not fit a long
     */
    default long longValue(String path) {
        return FieldValues.longValue(EventFields.present(record(), path), EventFields.subject(path));
    }

    /**
     * The number at {@code path} (see {@link #get}) as a double.
     *
     * @throws MissingFieldException when there is no value there
     * @throws FieldTypeException when the value is not a number
     */
    default double doubleValue(String path) {
        return FieldValues.doubleValue(EventFields.present(record(), path), EventFields.subject(path));
    }

    /**
     * The boolean at {@code path} (see {@link #get}).
     *
     * @throws MissingFieldException when there is no value there
     * @throws FieldTypeException when the value is not a boolean
     */
    default boolean booleanValue(String path) {
        return FieldValues.booleanValue(EventFields.present(record(), path), EventFields.subject(path));
    }

    /**
     * The group this event belongs to (OpenTelemetry inputs group events by resource and
     * scope), or {@code null} when it is not inside a group.
     */
    default EventGroup group() {
        return null;
    }

    /** An event at the current time. */
    static Event of(Map<String, ?> record) {
        return of(Instant.now(), Map.of(), record);
    }

    /** An event at {@code time}. */
    static Event of(Instant time, Map<String, ?> record) {
        return of(time, Map.of(), record);
    }

    /** An event at {@code time} with metadata. */
    static Event of(Instant time, Map<String, ?> metadata, Map<String, ?> record) {
        return new NewEvent(time.getEpochSecond(), time.getNano(), metadata, record);
    }
}
