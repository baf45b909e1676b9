package io.flb4j.api;

/**
 * A chunk or event that is not valid Fluent Bit msgpack. Says at which byte offset of the
 * chunk the problem was found.
 */
public class MalformedChunkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    public MalformedChunkException(String message, long offset) {
        super(message + " (at byte " + offset + ")");
        this.offset = offset;
    }

    public MalformedChunkException(String message, long offset, Throwable cause) {
        super(message + " (at byte " + offset + ")", cause);
        this.offset = offset;
    }

    /** The byte offset within the chunk where decoding failed. */
    public long offset() {
        return offset;
    }
}
