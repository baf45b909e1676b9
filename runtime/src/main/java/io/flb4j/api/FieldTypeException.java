package io.flb4j.api;

/**
 * A record's field holds a value of another type than the code reads, or one that does not fit
 * ({@code field 'status' is a String (200), not an integer}). Thrown out of an output's flush,
 * it means the record, not the destination, is at fault: the chunk is answered {@code ERROR}
 * (retrying it cannot help), where any other exception is answered {@code RETRY}.
 * {@link Events#as} does not let it out: it skips that event, with an error line naming it.
 */
public class FieldTypeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public FieldTypeException(String message) {
        super(message);
    }
}
