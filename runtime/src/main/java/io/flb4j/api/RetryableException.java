package io.flb4j.api;

/**
 * Thrown from an output's flush when the failure is temporary (network down, throttled): the
 * chunk is retried, and the warning says the plugin expected it. Any exception but those that
 * mean a retry cannot succeed is retried too ({@link OutputPlugin}); this one states the intent,
 * and its message is what the log line shows. Thrown from init, it starts the instance anyway
 * and init is tried again until it succeeds ({@link OutputPlugin#init}, {@link InputPlugin#init});
 * an exception caused by a connection that could not be made counts as one there.
 *
 * <pre>{@code
 * catch (IOException e) { throw new RetryableException("endpoint unreachable", e); }
 * }</pre>
 */
public class RetryableException extends Exception {
    private static final long serialVersionUID = 1L;

    public RetryableException(String message) {
        super(message);
    }

    public RetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
