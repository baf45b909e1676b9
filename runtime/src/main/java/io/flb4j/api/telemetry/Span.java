package io.flb4j.api.telemetry;

import java.util.List;
import java.util.Map;

/**
 * One span.
 *
 * @param traceId                32 lower-case hex digits, or {@code null}
 * @param spanId                 16 lower-case hex digits, or {@code null}
 * @param parentSpanId           the parent's span id, or {@code null} for a root span
 * @param traceState             the W3C trace state, or {@code null}
 * @param name                   the operation
 * @param kind                   server, client, producer...
 * @param startTimeUnixNano      start, in nanoseconds since the epoch
 * @param endTimeUnixNano        end, in nanoseconds since the epoch
 * @param attributes             the span's attributes
 * @param droppedAttributesCount attributes the producer dropped
 * @param droppedEventsCount     events the producer dropped
 * @param droppedLinksCount      links the producer dropped
 * @param events                 what happened during the span
 * @param links                  spans this one is linked to
 * @param schemaUrl              the span's schema URL, or {@code null}
 * @param status                 how it ended
 */
public record Span(String traceId, String spanId, String parentSpanId, String traceState, String name, SpanKind kind,
                   long startTimeUnixNano, long endTimeUnixNano, Map<String, Object> attributes,
                   long droppedAttributesCount, long droppedEventsCount, long droppedLinksCount,
                   List<SpanEvent> events, List<SpanLink> links, String schemaUrl, SpanStatus status) {
    /** Copies the collections; the span is immutable. */
    public Span {
        attributes = TelemetryMaps.copy(attributes);
        events = List.copyOf(events);
        links = List.copyOf(links);
    }

    /** How long the span took, in nanoseconds. */
    public long durationNanos() {
        return endTimeUnixNano - startTimeUnixNano;
    }

    /**
     * Something that happened during a span.
     *
     * @param timeUnixNano           when, in nanoseconds since the epoch
     * @param name                   what
     * @param attributes             its attributes
     * @param droppedAttributesCount attributes the producer dropped
     */
    public record SpanEvent(long timeUnixNano, String name, Map<String, Object> attributes,
                            long droppedAttributesCount) {
        /** Copies the attributes; the event is immutable. */
        public SpanEvent {
            attributes = TelemetryMaps.copy(attributes);
        }
    }

    /**
     * A link to another span.
     *
     * @param traceId                the linked span's trace id (hex), or {@code null}
     * @param spanId                 the linked span's id (hex), or {@code null}
     * @param traceState             its trace state, or {@code null}
     * @param attributes             the link's attributes
     * @param droppedAttributesCount attributes the producer dropped
     */
    public record SpanLink(String traceId, String spanId, String traceState, Map<String, Object> attributes,
                           long droppedAttributesCount) {
        /** Copies the attributes; the link is immutable. */
        public SpanLink {
            attributes = TelemetryMaps.copy(attributes);
        }
    }

    /**
     * How a span ended.
     *
     * @param code    unset, ok or error
     * @param message a description, or {@code null}
     */
    public record SpanStatus(StatusCode code, String message) {}
}
