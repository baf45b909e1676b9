package io.flb4j.samples.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flb4j.api.telemetry.Metric;
import io.flb4j.api.telemetry.MetricSet;
import io.flb4j.api.telemetry.MetricType;
import io.flb4j.api.telemetry.Span;
import io.flb4j.api.telemetry.SpanKind;
import io.flb4j.api.telemetry.StatusCode;
import io.flb4j.api.telemetry.TraceSet;
import io.flb4j.testkit.PluginTester;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Reads a real JVM started with remote JMX on 127.0.0.1, through a restart of that JVM. */
class JmxInputTest {
    @Test
    void readsAJvmOverJmxAndComesBackAfterItRestarts() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process target = start(port);
        try (PluginTester input = PluginTester.of(JmxInput.class).config("jmx_port", String.valueOf(port))
                .config("interval", "200ms").config("traces", "on").start()) {
            MetricSet first = input.collectMetrics(1, Duration.ofSeconds(30)).get(0);
            assertTrue(find(first, "jmx_memory_heap_memory_usage_used").orElseThrow().samples().get(0).value() > 0);
            assertTrue(find(first, "jmx_threading_thread_count").orElseThrow().samples().get(0).value() >= 1);
            Metric collections = find(first, "jmx_garbage_collector_collection_count").orElseThrow();
            assertEquals(MetricType.COUNTER, collections.type());
            assertTrue(collections.samples().get(0).labels().containsKey("name"), collections.toString());
            Span read = span(input.collectTraces(1, Duration.ofSeconds(30)).get(0));
            assertEquals("jmx.read", read.name());
            assertEquals(SpanKind.CLIENT, read.kind());
            assertEquals(StatusCode.OK, read.status().code());
            assertTrue((Long) read.attributes().get("jmx.samples") > 10, read.toString());
            assertTrue(read.endTimeUnixNano() > read.startTimeUnixNano());

            target.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Thread.sleep(1000);
            input.collectMetrics(100, Duration.ofMillis(10));   // what came before the restart
            List<Span> reads = input.collectTraces(100, Duration.ofMillis(10)).stream().map(JmxInputTest::span).toList();
            Span failed = reads.get(reads.size() - 1);
            assertEquals(StatusCode.ERROR, failed.status().code(), reads.toString());
            assertEquals("exception", failed.events().get(0).name());
            target = start(port);
            MetricSet after = input.collectMetrics(1, Duration.ofSeconds(30)).get(0);
            assertTrue(find(after, "jmx_runtime_uptime").isEmpty(), "only the default beans");
            assertTrue(find(after, "jmx_class_loading_loaded_class_count").isPresent());
            List<String> lines = input.logs().stream().map(Object::toString).toList();
            assertEquals(1, lines.stream().filter(l -> l.contains("cannot read service:jmx:rmi:")).count(), lines.toString());
            assertEquals(1, lines.stream().filter(l -> l.contains("connected to service:jmx:rmi:")).count(), lines.toString());
            assertFalse(lines.stream().anyMatch(l -> l.contains("\n")), "one line each: " + lines);
        } finally {
            target.destroyForcibly();
        }
    }

    private static Span span(TraceSet set) {
        return set.resourceSpans().get(0).scopeSpans().get(0).spans().get(0);
    }

    private static Optional<Metric> find(MetricSet set, String name) {
        return set.metrics().stream().filter(m -> m.fullName().equals(name)).findFirst();
    }

    /** The test's own classes run as the target, with remote JMX on 127.0.0.1:port and no authentication. */
    private static Process start(int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dcom.sun.management.jmxremote.port=" + port,
                "-Dcom.sun.management.jmxremote.rmi.port=" + port, "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Djava.rmi.server.hostname=127.0.0.1", "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false", "-cp", System.getProperty("java.class.path"),
                Target.class.getName()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line = out.readLine();
        if (!"target up".equals(line)) {
            throw new IllegalStateException("the target JVM did not start: " + line);
        }
        return p;
    }
}
