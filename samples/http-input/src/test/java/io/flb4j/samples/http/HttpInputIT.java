package io.flb4j.samples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flb4j.api.Event;
import io.flb4j.codec.ChunkDecoder;
import io.flb4j.testkit.TestHost;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The built http_java.so in the C test host's threaded input (the event path, with a pause):
 * every event answered 200 reached the output; every other one got another answer.
 */
class HttpInputIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final int PORT = 19874;

    @Test
    void everyEventAnswered200ReachesTheOutput() throws Exception {
        TestHost host = TestHost.build(TARGET.resolve("it-host"));
        Path out = TARGET.resolve("it-http.bin");
        Process fluentBit = new ProcessBuilder(host.binary().toString(), "input-events",
                TARGET.resolve("http_java.so").toString(), out.toString(), "1000000000", "8000",
                "http_listen=127.0.0.1", "http_port=" + PORT, "timeout=2s")
                .redirectErrorStream(true).redirectOutput(TARGET.resolve("it-http.log").toFile()).start();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Set<Long> ok = new HashSet<>();
        int other = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (long id = 0; id < 400 && System.nanoTime() < deadline; id++) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":" + id + "}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    ok.add(id);
                } else {
                    other++;
                }
            } catch (java.io.IOException e) {
                other++;   // not listening yet, or stopping: not answered 200
                Thread.sleep(50);
            }
        }
        assertTrue(fluentBit.waitFor(60, TimeUnit.SECONDS));
        String log = Files.readString(TARGET.resolve("it-http.log"), StandardCharsets.UTF_8);
        assertEquals(0, fluentBit.exitValue(), log);
        Set<Long> delivered = new HashSet<>();
        for (Event e : ChunkDecoder.events(ByteBuffer.wrap(Files.readAllBytes(out)))) {
            delivered.add((Long) e.record().get("id"));
        }
        assertTrue(ok.size() > 20, "answered 200: " + ok.size() + ", other: " + other + "\n" + log);
        Set<Long> lost = new HashSet<>(ok);
        lost.removeAll(delivered);
        assertEquals(Set.of(), lost, "answered 200 but not delivered");
        assertTrue(log.contains("appends_while_paused=0"), log);
        assertTrue(List.of(log.split("\n")).contains("done"), log);
    }
}
