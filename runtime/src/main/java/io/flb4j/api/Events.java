package io.flb4j.api;

/**
 * The events of one chunk, read in place from Fluent Bit's memory. Iterate it (more than once
 * if needed); group markers are not yielded, see {@link Event#group()}. Valid only during the
 * flush that received it.
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
}
