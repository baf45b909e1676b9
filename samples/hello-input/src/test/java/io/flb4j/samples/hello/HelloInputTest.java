package io.flb4j.samples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flb4j.api.Event;
import io.flb4j.testkit.PluginTester;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelloInputTest {
    @Test
    void emitsHelloRecordsWithFooAndCountsThem() throws InterruptedException {
        try (PluginTester input = PluginTester.of(HelloInput.class).config("foo", "baz").config("interval", "10ms").start()) {
            List<Event> events = input.collect(3, Duration.ofSeconds(10));
            assertTrue(events.size() >= 3, "got " + events.size());
            assertEquals(Map.of("message", "hello from hello", "foo", "baz"), events.get(0).record());
            assertTrue(input.metric("records_total") >= 3);
        }
    }
}
