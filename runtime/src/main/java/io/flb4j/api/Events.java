package io.flb4j.api;

/**
 * The events of one chunk, read in place from Fluent Bit's memory. Iterate it (more than once
 * if needed); group markers are not yielded, see {@link Event#group()}. Valid only during the
 * flush that received it: afterwards reading it, or an event it yielded, throws
 * {@link IllegalStateException}.
 *
 * <pre>{@code
 * for (Event e : events) {
 *     Object msg = e.record().get("message");
 * }
 * }</pre>
 *
 * <p>A malformed chunk makes iteration throw {@link MalformedChunkException} at the first bad
 * byte; the events before it have been yielded. A record is read once, when it is decoded or
 * passed: an event whose record is malformed is yielded, and its {@code record()} (or the next
 * step of the iteration) throws.
 */
public interface Events extends Iterable<Event> {
    /** How many events (group markers excluded) the chunk holds; scans without decoding records. */
    int count();

    /** The chunk's size in bytes. */
    int sizeInBytes();

    /**
     * The records of the chunk's events as {@code type}, a Java record annotated
     * {@code @EventRecord} in the plugin's module, read straight from msgpack by its generated
     * mapper: no reflection, no {@code Map} per event. Fields the type does not name are
     * skipped. In a flush, an event whose record does not fit the type (a missing primitive, a
     * field of another type) is skipped with one error line naming the event, the type and the
     * field, and the loop goes on with the next: one bad record costs itself, not the chunk.
     * (Read through {@code ChunkDecoder} directly, it throws {@link MissingFieldException} or
     * {@link FieldTypeException} instead.)
     *
     * <pre>{@code
     * for (AccessLog log : events.as(AccessLog.class)) {
     *     if (log.status() >= 500) errors++;
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException when {@code type} has no generated mapper in the module
     */
    <R> Iterable<R> as(Class<R> type);
}
