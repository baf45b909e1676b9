package io.flb4j.samples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flb4j.api.Event;
import io.flb4j.testkit.PluginTester;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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

    /** A POST once the server listens: its port is bound when the input's collect has started. */
    private static CompletableFuture<HttpResponse<String>> postWhenListening(int port, String body) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return post(port, body);
            } catch (ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(5);
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static PluginTester tester(int port) {
        return PluginTester.of(HttpInput.class).config("http_listen", "127.0.0.1").config("http_port", Integer.toString(port))
                .config("timeout", "3s");
    }

    @Test
    void answers200OnlyOnceFluentBitHasTheEvents() throws Exception {
        int port = freePort();
        // The 1-second collect, whose hand-over the test takes in two steps: offered, then taken.
        try (PluginTester input = tester(port).withoutEventPath().start()) {
            CompletableFuture<HttpResponse<String>> answer = postWhenListening(port, "[{\"msg\":\"a\"},{\"msg\":\"b\",\"n\":2}]");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (input.collectNotTaken().length == 0) {   // the events reached Fluent Bit's collect, not taken
                assertTrue(System.nanoTime() < deadline, "the events never reached the collect");
                Thread.sleep(5);
            }
            assertTrue(!answer.isDone(), "answered before Fluent Bit took the events");
            List<Event> events = input.collect(2, Duration.ofSeconds(5));
            assertEquals(Map.of("msg", "a"), events.get(0).record());
            assertEquals(Map.of("msg", "b", "n", 2L), events.get(1).record());
            HttpResponse<String> r = answer.get();
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(1.0, input.metric("requests_total", "200"));
        }
    }

    /** JSON lines: every object of the body is an event, none after the first is ignored. */
    @Test
    void everyValueOfTheBodyIsRead() throws Exception {
        assertEquals(List.of(Map.of("a", 1), Map.of("b", 2), Map.of("c", 3)),
                HttpInput.parse("{\"a\":1}\n{\"b\":2}\n[{\"c\":3}]\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> HttpInput.parse("{\"a\":1}\n7\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals("expected an object or an array of objects, got Integer (value 2 of the body)", e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> HttpInput.parse(new byte[0]));
    }

    /** Fluent Bit's http output with compress gzip, and what is not an encoding it reads. */
    @Test
    void aGzipBodyIsReadAndAnotherEncodingIs415() throws Exception {
        int port = freePort();
        try (PluginTester input = tester(port).start()) {
            java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
                gz.write("[{\"msg\":\"zipped\"}]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            postWhenListening(port, "{}").get();
            CompletableFuture<HttpResponse<String>> answer = CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<Event> events = input.collect(2, Duration.ofSeconds(5));
            assertEquals(Map.of("msg", "zipped"), events.get(1).record());
            assertEquals(200, answer.get().statusCode(), answer.get().body());
            HttpResponse<String> brotli = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("Content-Encoding", "br").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(415, brotli.statusCode(), brotli.body());
            HttpResponse<String> notGzip = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, notGzip.statusCode(), notGzip.body());
            assertTrue(notGzip.body().startsWith("bad gzip body: "), notGzip.body());
        }
    }

    @Test
    void badJsonIs400NamingTheProblemAndPausedIs503() throws Exception {
        int port = freePort();
        try (PluginTester input = tester(port).start()) {
            HttpResponse<String> bad = postWhenListening(port, "{\"msg\": ").get();
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().startsWith("bad JSON: "), bad.body());
            HttpResponse<String> notObjects = post(port, "[1, 2]").get();
            assertEquals(400, notObjects.statusCode());
            assertEquals("bad JSON: element 0 of the array is not an object\n", notObjects.body());
            input.pause();
            HttpResponse<String> paused = post(port, "{\"msg\":\"later\"}").get();
            assertEquals(503, paused.statusCode());
            assertEquals(2.0, input.metric("requests_total", "400"));
        }
    }
}
