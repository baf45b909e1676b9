package io.flb4j.api.telemetry;

import java.util.List;
import java.util.Map;

/**
 * The spans of one resource (a service, a host...).
 *
 * @param attributes             the resource's attributes ({@code service.name} ...), values as
 *                               in event records: String, Long, Double, Boolean, byte[], List, Map
 * @param droppedAttributesCount attributes the producer dropped
 * @param schemaUrl              the resource's schema URL, or {@code null}
 * @param scopeSpans             the spans, grouped by instrumentation scope
 */
public record ResourceSpans(Map<String, Object> attributes, long droppedAttributesCount, String schemaUrl,
                            List<ScopeSpans> scopeSpans) {
    /** Copies the collections; the value is immutable. */
    public ResourceSpans {
        attributes = TelemetryMaps.copy(attributes);
        scopeSpans = List.copyOf(scopeSpans);
    }
}
