package io.flb4j.api;

/**
 * Thrown from an output's flush when the failure is temporary (network down, throttled): the
 * chunk is retried instead of dropped.
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
