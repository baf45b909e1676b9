package io.flb4j.api;

import java.util.NoSuchElementException;

/**
 * A record lacks a field the code reads as required ({@link Event#string(String)}, a primitive
 * component of an {@code @EventRecord} type). Thrown out of an output's flush, it means the
 * record, not the destination, is at fault: the chunk is answered {@code ERROR} (retrying it
 * cannot help), where any other exception is answered {@code RETRY}. {@link Events#as} does not
 * let it out: it skips that event, with an error line naming it.
 */
public class MissingFieldException extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    public MissingFieldException(String message) {
        super(message);
    }
}
