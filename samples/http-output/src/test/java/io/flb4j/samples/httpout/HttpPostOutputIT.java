package io.flb4j.samples.httpout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.flb4j.api.Event;
import io.flb4j.codec.EventEncoder;
import io.flb4j.testkit.TestHost;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The built http_post_java.so, flushed through the C test host to a server in the test's JVM. */
class HttpPostOutputIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    private static List<String> run(String... args) throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            EventEncoder encoder = new EventEncoder();
            for (int i = 0; i < 4; i++) {
                chunk.writeBytes(encoder.encode(Event.of(Map.of("message", "event " + i))));
            }
            Path file = TARGET.resolve("it-chunk.bin");
            Files.write(file, chunk.toByteArray());
            // COMMAND SO CHUNK COUNTS... url=...
            List<String> all = new java.util.ArrayList<>(List.of(args[0], TARGET.resolve("http_post_java.so").toString(),
                    file.toString()));
            all.addAll(List.of(args).subList(1, args.length));
            all.add("url=http://127.0.0.1:" + server.getAddress().getPort() + "/");
            List<String> lines = new java.util.ArrayList<>(
                    TestHost.build(TARGET.resolve("it-host")).run(Map.of(), all.toArray(new String[0])));
            lines.add("bodies " + bodies.size() + " lines " + bodies.stream().mapToLong(b -> b.lines().count()).sum());
            return lines;
        } finally {
            server.stop(0);
        }
    }

    @Test
    void chunksArePostedAsJsonLines() throws Exception {
        List<String> lines = run("output", "3", "2");
        assertTrue(lines.contains("flush ok=6 retry=0 error=0"), lines.toString());
        assertTrue(lines.contains("bodies 6 lines 24"), lines.toString());
    }

    /** Each reload's HttpClient (and its selector thread) leaves no generation behind. */
    @Test
    void reloadsLeaveNoGenerationBehind() throws Exception {
        List<String> lines = run("reload", "4");
        assertTrue(lines.contains("reload ok=4"), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("was not unloaded")), lines.toString());
        assertEquals(1, lines.stream().filter(l -> l.equals("bodies 4 lines 16")).count(), lines.toString());
    }
}
