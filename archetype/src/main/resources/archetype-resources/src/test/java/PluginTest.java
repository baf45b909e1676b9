package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flb4j.testkit.PluginTester;
import org.junit.jupiter.api.Test;
#if( $kind == "output" )
import io.flb4j.api.Event;
import io.flb4j.api.FlushResult;
import java.util.Map;
#elseif( $kind == "input" )
import io.flb4j.api.Event;
import java.time.Duration;
import java.util.List;
#end

/** The plugin through its generated binding, with the testkit standing in for Fluent Bit. */
class PluginTest {
#if( $kind == "output" )
    @Test
    void flushesEveryEvent() {
        try (PluginTester output = PluginTester.of(Plugin.class).config("prefix", "#").start()) {
            assertEquals(FlushResult.OK, output.flush("demo", Event.of(Map.of("message", "hi")), Event.of(Map.of("message", "ho"))));
            assertEquals(2.0, output.metric("printed_total"));
        }
    }
#elseif( $kind == "input" )
    @Test
    void emitsTheGreeting() throws Exception {
        try (PluginTester input = PluginTester.of(Plugin.class).config("greeting", "hey").config("interval", "10ms").start()) {
            List<Event> events = input.collect(3, Duration.ofSeconds(5));
            assertEquals("hey", events.get(0).string("message"));
            assertEquals(1L, events.get(0).longValue("n"));
        }
    }
#else
    @Test
    void checksTheFolder() {
        try (PluginTester custom = PluginTester.of(Plugin.class).config("watch_path", System.getProperty("java.io.tmpdir")).start()) {
            assertTrue(custom.logs().stream().anyMatch(l -> l.message().endsWith(" is there")), custom.logs().toString());
        }
    }
#end

    /** A hot reload (SIGHUP) ends the plugin's generation and starts the next in a new class loader: the old one must go. */
    @Test
    void survivesAHotReload() throws Exception {
#if( $kind == "output" )
        try (PluginTester plugin = PluginTester.reloadable(Plugin.class).config("prefix", "#").start()) {
            plugin.flush("demo", Event.of(Map.of("message", "hi")));
#elseif( $kind == "input" )
        try (PluginTester plugin = PluginTester.reloadable(Plugin.class).config("interval", "10ms").start()) {
            plugin.collect(1, Duration.ofSeconds(5));
#else
        try (PluginTester plugin = PluginTester.reloadable(Plugin.class).config("watch_path", System.getProperty("java.io.tmpdir")).start()) {
#end
            plugin.reload();
            plugin.assertEndedGenerationsUnloaded();
        }
    }
}
