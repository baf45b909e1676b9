package io.flb4j.api.telemetry;

/** A span's role, numbered as in OpenTelemetry. */
public enum SpanKind {
    /** Not given (0). */
    UNSPECIFIED,
    /** Work inside one process (1). */
    INTERNAL,
    /** Handles a remote request (2). */
    SERVER,
    /** Makes a remote request (3). */
    CLIENT,
    /** Sends a message (4). */
    PRODUCER,
    /** Receives a message (5). */
    CONSUMER;

    /** The kind numbered {@code code}; {@link #UNSPECIFIED} for a number OpenTelemetry does not define. */
    public static SpanKind of(long code) {
        SpanKind[] all = values();
        return code >= 0 && code < all.length ? all[(int) code] : UNSPECIFIED;
    }
}
