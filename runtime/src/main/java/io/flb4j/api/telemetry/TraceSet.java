package io.flb4j.api.telemetry;

import java.util.List;
import java.util.Map;

/**
 * One ctraces context: spans grouped by the resource that produced them (a chunk may hold
 * several sets).
 *
 * @param resourceSpans the spans of each resource
 */
public record TraceSet(List<ResourceSpans> resourceSpans) {
    /**
     * The common case: the spans of one resource, recorded by one scope.
     *
     * <pre>{@code
     * sink.emitTraces(TraceSet.of(Map.of("service.name", "orders"), "io.example.orders", spans));
     * }</pre>
     *
     * @param resourceAttributes the resource's attributes ({@code service.name} ...)
     * @param scopeName          the instrumentation scope's name, or {@code null} for none
     * @param spans              the spans
     */
    public static TraceSet of(Map<String, Object> resourceAttributes, String scopeName, List<Span> spans) {
        InstrumentationScope scope = scopeName == null ? null : new InstrumentationScope(scopeName, null, Map.of(), 0);
        return new TraceSet(List.of(new ResourceSpans(resourceAttributes, 0, null,
                List.of(new ScopeSpans(scope, null, spans)))));
    }

    /** Copies the list; the set is immutable. */
    public TraceSet {
        resourceSpans = List.copyOf(resourceSpans);
    }
}
