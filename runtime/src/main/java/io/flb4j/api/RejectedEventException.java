package io.flb4j.api;

/**
 * Thrown out of an output's flush when the destination refused one event as data (a constraint
 * it violates, a value too long, a document the index cannot map), so that a retry of the chunk
 * cannot succeed but its other events can. flb4j leaves that event out, logs one error line naming
 * it and this exception, and runs the flush again on the chunk's other events, as it does when an
 * event's getter finds a field missing; the events before it reach the flush a second time. After
 * 16 such events in one chunk, the chunk is dropped ({@code ERROR}).
 *
 * <pre>{@code
 * for (Event e : events) {
 *     try {
 *         insert(e);
 *     } catch (SQLException x) {
 *         if (x.getSQLState().startsWith("23")) {   // integrity constraint
 *             throw new RejectedEventException(e, "refused by the table's constraint", x);
 *         }
 *         throw x;   // anything else: RETRY
 *     }
 * }
 * }</pre>
 *
 * <p>{@code event} must be one the flush's {@link Events} gave it (not a copy, nor one of another
 * flush); any other is not known, and the whole chunk is answered {@code ERROR}. A plugin may also
 * throw an exception of its own caused by this one.
 *
 * <p>A flush that reads {@link Events#as records} names the refused record instead, as
 * {@link Events#as} gave it (a batch may keep them in a list and name the one a
 * {@code BatchUpdateException} points at). flb4j finds its event by reading the chunk's records
 * again and taking the first, not already left out, whose fields are the same: events whose
 * records are the same to the type are one to the flush, so which of them is left out does not
 * change what it writes. A record the flush changed, or built itself, matches none: {@code ERROR}.
 */
public class RejectedEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Event event;
    private final transient Record record;

    public RejectedEventException(Event event, String message) {
        this(event, message, null);
    }

    public RejectedEventException(Event event, String message, Throwable cause) {
        super(message, cause);
        this.event = event;
        this.record = null;
    }

    /** The destination refused {@code record}, one that {@link Events#as} gave this flush. */
    public RejectedEventException(Record record, String message) {
        this(record, message, null);
    }

    /** The destination refused {@code record}, one that {@link Events#as} gave this flush. */
    public RejectedEventException(Record record, String message, Throwable cause) {
        super(message, cause);
        this.event = null;
        this.record = record;
    }

    /** The event the destination refused; {@code null} when a record was named instead. */
    public Event event() {
        return event;
    }

    /** The record the destination refused; {@code null} when an event was named instead. */
    public Record record() {
        return record;
    }
}
