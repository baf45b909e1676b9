package io.flb4j.api.telemetry;

import java.util.Map;

/**
 * The library that recorded a group of spans.
 *
 * @param name                   its name, or {@code null}
 * @param version                its version, or {@code null}
 * @param attributes             its attributes
 * @param droppedAttributesCount attributes the producer dropped
 */
public record InstrumentationScope(String name, String version, Map<String, Object> attributes,
                                   long droppedAttributesCount) {
    /** Copies the attributes; the value is immutable. */
    public InstrumentationScope {
        attributes = TelemetryMaps.copy(attributes);
    }
}
