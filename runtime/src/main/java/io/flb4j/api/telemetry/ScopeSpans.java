package io.flb4j.api.telemetry;

import java.util.List;

/**
 * The spans of one instrumentation scope.
 *
 * @param scope     the library that recorded them, or {@code null} when not given
 * @param schemaUrl the scope's schema URL, or {@code null}
 * @param spans     the spans
 */
public record ScopeSpans(InstrumentationScope scope, String schemaUrl, List<Span> spans) {
    /** Copies the list; the value is immutable. */
    public ScopeSpans {
        spans = List.copyOf(spans);
    }
}
