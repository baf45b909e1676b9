package io.flb4j.api.telemetry;

/** A span's outcome, numbered as in OpenTelemetry. */
public enum StatusCode {
    /** Not given (0). */
    UNSET,
    /** Succeeded (1). */
    OK,
    /** Failed (2). */
    ERROR;

    /** The status numbered {@code code}; {@link #UNSET} for a number OpenTelemetry does not define. */
    public static StatusCode of(long code) {
        StatusCode[] all = values();
        return code >= 0 && code < all.length ? all[(int) code] : UNSET;
    }
}
