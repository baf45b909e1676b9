package io.flb4j.api;

/**
 * What an output's flush tells Fluent Bit about a chunk.
 *
 * <pre>{@code
 * return sent ? FlushResult.OK : FlushResult.RETRY;
 * }</pre>
 */
public enum FlushResult {
    /** The chunk is delivered; Fluent Bit may drop it. */
    OK(1),
    /** Not delivered this time; Fluent Bit tries again later (per its {@code Retry_Limit}). */
    RETRY(2),
    /** Cannot be delivered; Fluent Bit drops the chunk. */
    ERROR(0);

    private final int code;

    FlushResult(int code) {
        this.code = code;
    }

    /** Fluent Bit's code: {@code FLB_OK = 1}, {@code FLB_RETRY = 2}, {@code FLB_ERROR = 0}. */
    public int code() {
        return code;
    }
}
