package io.flb4j.api;

import java.util.Map;

/**
 * A group of events, as OpenTelemetry inputs and processors send them: a group-start marker
 * carries the group's metadata and attributes (resource, scope), then the group's events
 * follow until a group-end marker. Markers are never given to a plugin as events; each event
 * between them points to its group.
 *
 * <pre>{@code
 * EventGroup g = event.group();
 * Object resource = g == null ? null : g.attributes().get("resource");
 * }</pre>
 */
public interface EventGroup {
    /** The group-start marker's metadata. */
    Map<String, Object> metadata();

    /** The group-start marker's record: the group's attributes. */
    Map<String, Object> attributes();
}
