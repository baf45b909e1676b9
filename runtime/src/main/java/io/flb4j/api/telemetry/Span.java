package io.flb4j.api.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One span. An input builds one with {@link #builder}:
 *
 * <pre>{@code
 * Span span = Span.builder("GET /orders")
 *         .kind(SpanKind.SERVER)
 *         .start(startNanos).end(endNanos)
 *         .attribute("http.status_code", 200L)
 *         .event("cache miss", missNanos, Map.of())
 *         .build();
 * }</pre>
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

    /** A builder of a span named {@code name}, with new random trace and span ids and kind INTERNAL. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A new random trace id: 32 lower-case hex digits, never all zero. */
    public static String newTraceId() {
        return randomHex(2);
    }

    /** A new random span id: 16 lower-case hex digits, never all zero. */
    public static String newSpanId() {
        return randomHex(1);
    }

    private static String randomHex(int longs) {
        StringBuilder out = new StringBuilder(longs * 16);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < longs; i++) {
            long v = random.nextLong();
            while (v == 0) {
                v = random.nextLong();
            }
            String hex = Long.toHexString(v);
            out.append("0".repeat(16 - hex.length())).append(hex);
        }
        return out.toString();
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

    /** Builds a {@link Span}; every field but the name has a default (see {@link #builder}). */
    public static final class Builder {
        private final String name;
        private String traceId = newTraceId();
        private String spanId = newSpanId();
        private String parentSpanId;
        private String traceState;
        private SpanKind kind = SpanKind.INTERNAL;
        private long start;
        private long end;
        private final Map<String, Object> attributes = new LinkedHashMap<>();
        private final List<SpanEvent> events = new ArrayList<>();
        private final List<SpanLink> links = new ArrayList<>();
        private SpanStatus status = new SpanStatus(StatusCode.UNSET, null);

        private Builder(String name) {
            this.name = name;
        }

        /** The trace id (32 hex digits); a new random one by default. */
        public Builder traceId(String traceId) {
            this.traceId = traceId;
            return this;
        }

        /** The span id (16 hex digits); a new random one by default. */
        public Builder spanId(String spanId) {
            this.spanId = spanId;
            return this;
        }

        /** Makes this span a child of {@code parent}: its trace id and its id as the parent's. */
        public Builder parent(Span parent) {
            this.traceId = parent.traceId();
            this.parentSpanId = parent.spanId();
            return this;
        }

        /** The parent span's id (16 hex digits); none by default (a root span). */
        public Builder parentSpanId(String parentSpanId) {
            this.parentSpanId = parentSpanId;
            return this;
        }

        /** The W3C trace state; none by default. */
        public Builder traceState(String traceState) {
            this.traceState = traceState;
            return this;
        }

        /** The kind; INTERNAL by default. */
        public Builder kind(SpanKind kind) {
            this.kind = kind;
            return this;
        }

        /** The start, in nanoseconds since the epoch. */
        public Builder start(long unixNanos) {
            this.start = unixNanos;
            return this;
        }

        /** The start. */
        public Builder start(Instant at) {
            return start(nanos(at));
        }

        /** The end, in nanoseconds since the epoch. */
        public Builder end(long unixNanos) {
            this.end = unixNanos;
            return this;
        }

        /** The end. */
        public Builder end(Instant at) {
            return end(nanos(at));
        }

        /** An attribute: a String, Boolean, Long, Double, byte[], List or Map. */
        public Builder attribute(String key, Object value) {
            attributes.put(key, value);
            return this;
        }

        /** Something that happened during the span. */
        public Builder event(String eventName, long unixNanos, Map<String, Object> eventAttributes) {
            events.add(new SpanEvent(unixNanos, eventName, eventAttributes, 0));
            return this;
        }

        /** A link to another span. */
        public Builder link(String linkedTraceId, String linkedSpanId, Map<String, Object> linkAttributes) {
            links.add(new SpanLink(linkedTraceId, linkedSpanId, null, linkAttributes, 0));
            return this;
        }

        /** How the span ended; UNSET by default. */
        public Builder status(StatusCode code, String message) {
            this.status = new SpanStatus(code, message);
            return this;
        }

        /** The span; the builder can go on to make another. */
        public Span build() {
            return new Span(traceId, spanId, parentSpanId, traceState, name, kind, start, end, attributes, 0, 0, 0,
                    events, links, null, status);
        }

        private static long nanos(Instant at) {
            return at.getEpochSecond() * 1_000_000_000L + at.getNano();
        }
    }
}
