package io.flb4j.api.telemetry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Immutable copies of attribute maps that keep their order and allow {@code null} values. */
final class TelemetryMaps {
    private TelemetryMaps() {}

    static Map<String, Object> copy(Map<String, Object> map) {
        return map == null || map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
