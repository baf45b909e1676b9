package io.flb4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class EventFieldsTest {
    private final Event event = Event.of(Map.of(
            "message", "GET /",
            "status", 200L,
            "latency", 12.5,
            "whole", 3.0,
            "ok", true,
            "http.status_code", 404L,
            "huge", new BigInteger("18446744073709551615"),
            "kubernetes", Map.of("pod_name", "web-1", "labels", Map.of("app.kubernetes.io/name", "web"))));

    @Test
    void typedValues() {
        assertEquals("GET /", event.string("message"));
        assertEquals(200L, event.longValue("status"));
        assertEquals(3L, event.longValue("whole"));
        assertEquals(12.5, event.doubleValue("latency"));
        assertEquals(200.0, event.doubleValue("status"));
        assertEquals(true, event.booleanValue("ok"));
    }

    @Test
    void nestedPathsAndKeysWithDots() {
        assertEquals("web-1", event.string("kubernetes.pod_name"));
        assertEquals(404L, event.longValue("http.status_code"));
        assertEquals("web", event.string("kubernetes.labels.app.kubernetes.io/name"));
        assertNull(event.get("kubernetes.nothing"));
        assertNull(event.get("message.deeper"));
    }

    @Test
    void clearErrorsNameTheField() {
        assertEquals("the record has no field 'kubernetes.node'",
                assertThrows(NoSuchElementException.class, () -> event.string("kubernetes.node")).getMessage());
        assertEquals("field 'status' is a Long (200), not a string",
                assertThrows(IllegalArgumentException.class, () -> event.string("status")).getMessage());
        assertEquals("field 'latency' is a Double (12.5), not an integer",
                assertThrows(IllegalArgumentException.class, () -> event.longValue("latency")).getMessage());
        assertEquals("field 'huge' is 18446744073709551615, which does not fit a long",
                assertThrows(IllegalArgumentException.class, () -> event.longValue("huge")).getMessage());
        assertEquals("field 'message' is a String (GET /), not a boolean",
                assertThrows(IllegalArgumentException.class, () -> event.booleanValue("message")).getMessage());
    }
}
