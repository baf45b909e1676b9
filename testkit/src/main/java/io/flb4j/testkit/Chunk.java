package io.flb4j.testkit;

import io.flb4j.api.Event;
import io.flb4j.codec.EventEncoder;
import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * A chunk as Fluent Bit hands it to an output: real v2 msgpack events, group markers where you
 * put them, and raw bytes to test malformed input.
 *
 * <pre>{@code
 * Chunk chunk = Chunk.builder()
 *         .groupStart(Map.of(), Map.of("resource", Map.of("service.name", "api")))
 *         .event(Event.of(Map.of("message", "hi")))
 *         .groupEnd()
 *         .build();
 * }</pre>
 */
public final class Chunk {
    private final byte[] bytes;

    private Chunk(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A chunk of these events, in Fluent Bit's v2 form. */
    public static Chunk of(Event... events) {
        Builder b = builder();
        for (Event e : events) {
            b.event(e);
        }
        return b.build();
    }

    /** A chunk of exactly these bytes (to test malformed input). */
    public static Chunk ofBytes(byte[] bytes) {
        return new Chunk(bytes.clone());
    }

    /**
     * A metrics or traces chunk captured from a real Fluent Bit 5.1.1, as it hands them to an
     * output: for testing a {@code flushMetrics} or {@code flushTraces}.
     *
     * <pre>{@code
     * output.flush("metrics", Chunk.captured(Chunk.Captured.FLUENTBIT_METRICS));
     * }</pre>
     */
    public static Chunk captured(Captured which) {
        try (java.io.InputStream in = Chunk.class.getResourceAsStream("captured/" + which.file)) {
            if (in == null) {
                throw new IllegalStateException("flb4j-testkit lacks its resource captured/" + which.file);
            }
            return new Chunk(in.readAllBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The captured payloads {@link #captured} offers (how each was made: captured/CAPTURED.md). */
    public enum Captured {
        /** Fluent Bit's own metrics ({@code fluentbit_metrics} input): counters and gauges. */
        FLUENTBIT_METRICS("fluentbit-metrics.msgpack"),
        /** A Prometheus scrape with one counter, gauge, histogram, summary and untyped metric. */
        PROMETHEUS_ALL_TYPES("prometheus-all-types.msgpack"),
        /** An OpenTelemetry exponential histogram ({@code opentelemetry} input). */
        OTLP_EXPONENTIAL_HISTOGRAM("otlp-exponential-histogram.msgpack"),
        /** One OpenTelemetry span with attributes, an event, a link and a status. */
        OTLP_TRACES("otlp-traces.msgpack");

        private final String file;

        Captured(String file) {
            this.file = file;
        }
    }

    /** A builder for a chunk with group markers or raw bytes. */
    public static Builder builder() {
        return new Builder();
    }

    /** The chunk's bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Builds a chunk event by event; see {@link Chunk}. */
    public static final class Builder {
        private final EventEncoder encoder = new EventEncoder();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /** Adds an event. */
        public Builder event(Event event) {
            out.writeBytes(encoder.encode(event));
            return this;
        }

        /** Adds an event of {@code record} at the current time. */
        public Builder event(Map<String, ?> record) {
            return event(Event.of(record));
        }

        /** Starts a group (OpenTelemetry resource and scope): the events until {@link #groupEnd} belong to it. */
        public Builder groupStart(Map<String, ?> metadata, Map<String, ?> attributes) {
            out.writeBytes(EventEncoder.groupStart(metadata, attributes));
            return this;
        }

        /** Ends the open group. */
        public Builder groupEnd() {
            out.writeBytes(EventEncoder.groupEnd());
            return this;
        }

        /** Adds bytes as they are, valid msgpack or not. */
        public Builder raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        /** The chunk built so far. */
        public Chunk build() {
            return new Chunk(out.toByteArray());
        }
    }
}
