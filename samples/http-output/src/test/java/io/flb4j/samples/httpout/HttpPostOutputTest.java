package io.flb4j.samples.httpout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.flb4j.api.Event;
import io.flb4j.api.FlushResult;
import io.flb4j.testkit.PluginTester;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** http_post_java against a server in the test's JVM that answers what the test says. */
class HttpPostOutputTest {
    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private String url;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            byte[] answer = ("answer " + status.get()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/ingest";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void postsOneJsonLinePerEvent() {
        try (PluginTester output = PluginTester.of(HttpPostOutput.class).config("url", url)
                .config("authorization", "Bearer t0ken").start()) {
            Instant t = Instant.parse("2026-12-01T10:00:00Z");
            assertEquals(FlushResult.OK, output.flush("app", Event.of(t, Map.of("message", "one")), Event.of(t, Map.of("n", 2L))));
            assertEquals(2.0, output.metric("events_total"));
            assertEquals(1.0, output.metric("requests_total", "2xx"));
        }
        assertEquals(List.of("{\"tag\":\"app\",\"time\":\"2026-12-01T10:00:00Z\",\"record\":{\"message\":\"one\"}}\n"
                + "{\"tag\":\"app\",\"time\":\"2026-12-01T10:00:00Z\",\"record\":{\"n\":2}}\n"), bodies);
        assertEquals(List.of("Bearer t0ken"), authorizations);
    }

    @Test
    void aServerThatCannotTakeItNowIsRetried() {
        try (PluginTester output = PluginTester.of(HttpPostOutput.class).config("url", url).start()) {
            for (int code : new int[] {503, 429, 408}) {
                status.set(code);
                assertEquals(FlushResult.RETRY, output.flush("app", Event.of(Map.of("n", 1L))));
            }
            assertTrue(output.logs().toString().contains("answered 503: answer 503"), output.logs().toString());
        }
    }

    @Test
    void aRequestTheServerRefusesIsAnErrorNamingTheStatus() {
        status.set(400);
        try (PluginTester output = PluginTester.of(HttpPostOutput.class).config("url", url).start()) {
            assertEquals(FlushResult.ERROR, output.flush("app", Event.of(Map.of("n", 1L))));
            assertTrue(output.logs().toString().contains("answered 400 to a chunk of tag 'app' (1 events), which is dropped: answer 400"),
                    output.logs().toString());
        }
    }

    @Test
    void aServerThatIsNotThereIsRetried() {
        server.stop(0);
        try (PluginTester output = PluginTester.of(HttpPostOutput.class).config("url", url).config("timeout", "2s").start()) {
            assertEquals(FlushResult.RETRY, output.flush("app", Event.of(Map.of("n", 1L))));
            assertEquals(1.0, output.metric("requests_total", "none"));
        }
    }

    /** The JDK's HttpClient keeps a selector thread per client; a reload must not leave the old generation behind. */
    @Test
    void survivesHotReloads() throws Exception {
        try (PluginTester output = PluginTester.reloadable(HttpPostOutput.class).config("url", url).start()) {
            for (int i = 0; i < 3; i++) {
                assertEquals(FlushResult.OK, output.flush("app", Event.of(Map.of("generation", (long) i))));
                output.reload();
            }
            output.assertEndedGenerationsUnloaded();   // needs the argLine of samples/pom.xml, as the README says
        }
        assertEquals(3, bodies.size());
    }
}
