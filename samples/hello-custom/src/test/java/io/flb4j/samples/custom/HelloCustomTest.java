package io.flb4j.samples.custom;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flb4j.testkit.PluginTester;
import org.junit.jupiter.api.Test;

class HelloCustomTest {
    @Test
    void reportsEachFolder() {
        try (PluginTester custom = PluginTester.of(HelloCustom.class).config("folders", "/tmp, /nonexistent-flb4j").start()) {
            String logs = custom.logs().toString();
            assertTrue(logs.contains("info [flb4j:hello_custom#1] folder /tmp is ready"), logs);
            assertTrue(logs.contains("warn [flb4j:hello_custom#1] folder /nonexistent-flb4j is missing or not writable"), logs);
            assertTrue(logs.contains("hello_custom.0: 2 folder(s) checked, 1 missing"), logs);
        }
    }
}
