package io.flb4j.api.telemetry;

import java.util.List;

/**
 * One ctraces context: spans grouped by the resource that produced them (a chunk may hold
 * several sets).
 *
 * @param resourceSpans the spans of each resource
 */
public record TraceSet(List<ResourceSpans> resourceSpans) {
    /** Copies the list; the set is immutable. */
    public TraceSet {
        resourceSpans = List.copyOf(resourceSpans);
    }
}
