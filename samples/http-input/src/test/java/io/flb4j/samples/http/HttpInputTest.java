package io.flb4j.samples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flb4j.api.Event;
import io.flb4j.testkit.PluginTester;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HttpInputTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static CompletableFuture<HttpResponse<String>> post(int port, String body) {
        return CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static PluginTester start(int port) {
        return PluginTester.of(HttpInput.class).config("http_listen", "127.0.0.1").config("http_port", Integer.toString(port))
                .config("timeout", "3s").start();
    }

    @Test
    void answers200OnlyOnceFluentBitHasTheEvents() throws Exception {
        try (PluginTester input = start(19871)) {
            Thread.sleep(200);   // the collect thread hands the sink over
            CompletableFuture<HttpResponse<String>> answer = post(19871, "[{\"msg\":\"a\"},{\"msg\":\"b\",\"n\":2}]");
            Thread.sleep(300);
            assertTrue(!answer.isDone(), "answered before Fluent Bit took the events");
            List<Event> events = input.collect(2, Duration.ofSeconds(5));
            assertEquals(Map.of("msg", "a"), events.get(0).record());
            assertEquals(Map.of("msg", "b", "n", 2L), events.get(1).record());
            HttpResponse<String> r = answer.get();
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(1.0, input.metric("requests_total", "200"));
        }
    }

    @Test
    void badJsonIs400NamingTheProblemAndPausedIs503() throws Exception {
        try (PluginTester input = start(19872)) {
            Thread.sleep(200);
            HttpResponse<String> bad = post(19872, "{\"msg\": ").get();
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().startsWith("bad JSON: "), bad.body());
            HttpResponse<String> notObjects = post(19872, "[1, 2]").get();
            assertEquals(400, notObjects.statusCode());
            assertEquals("bad JSON: element 0 of the array is not an object\n", notObjects.body());
            input.pause();
            HttpResponse<String> paused = post(19872, "{\"msg\":\"later\"}").get();
            assertEquals(503, paused.statusCode());
            assertEquals(2.0, input.metric("requests_total", "400"));
        }
    }
}
