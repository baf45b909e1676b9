package io.flb4j.samples.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitInput;
import io.flb4j.annotations.MetricCounter;
import io.flb4j.annotations.MetricGauge;
import io.flb4j.api.Counter;
import io.flb4j.api.EventSink;
import io.flb4j.api.FluentBit;
import io.flb4j.api.Gauge;
import io.flb4j.api.InputPlugin;
import io.flb4j.api.Logger;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An HTTP receiver of JSON: {@code POST /} with one object or an array of objects (or JSON
 * lines; {@code Content-Encoding: gzip} as Fluent Bit's {@code http} output sends with
 * {@code compress gzip}). It answers
 * 200 only once Fluent Bit has taken every event of the request, 400 for a body that is not
 * JSON objects (naming the problem), and 503 while Fluent Bit pauses the input or it is
 * stopping, so a client knows exactly what to send again.
 */
@FluentBitInput(name = "http_java", description = "Receives JSON over HTTP; answers once Fluent Bit has the events")
public final class HttpInput implements InputPlugin {
    @ConfigKey(description = "Address to listen on", defaultValue = "0.0.0.0") @NotBlank String httpListen;
    @ConfigKey(description = "Port to listen on", defaultValue = "9880") @Min(1) @Max(65535) int httpPort;
    @ConfigKey(description = "Threads answering requests", defaultValue = "4") @Positive @Max(64) int httpThreads;
    @ConfigKey(description = "How long a request waits for room and for Fluent Bit", defaultValue = "5s") Duration timeout;
    @MetricCounter(name = "requests_total", help = "Requests answered, by status", labels = "status") Counter requests;
    @MetricGauge(name = "requests_in_flight", help = "Requests being handled") Gauge inFlight;

    private HttpServer server;
    private ExecutorService threads;
    private volatile EventSink sink;
    private Logger log;

    @Override
    public void init(FluentBit fbit) throws IOException {
        log = fbit.logger();
        // The JDK's server writes a response's headers and body in two packets; without TCP_NODELAY the
        // body waits for the client's delayed ACK, 40 ms per request on a kept-alive connection. Read
        // once per JVM, when its first HttpServer is made.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(httpListen, httpPort), 256);
        threads = Executors.newFixedThreadPool(httpThreads);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
        log.info("listening on %s:%d", httpListen, httpPort);
    }

    @Override
    public void collect(EventSink sink) throws InterruptedException {
        this.sink = sink;   // requests arrive on the server's threads; this one only waits
        while (!sink.cancelled()) {
            Thread.sleep(100);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.inc();
        try (exchange) {
            int status;
            String body;
            try {
                Answer a = receive(exchange);
                status = a.status;
                body = a.body;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = 503;
                body = "stopping";
            } catch (RuntimeException e) {
                log.error("request failed", e);
                status = 500;
                body = "internal error: " + e;
            }
            requests.inc(Integer.toString(status));
            byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } finally {
            inFlight.dec();
        }
    }

    private record Answer(int status, String body) {}

    private Answer receive(HttpExchange exchange) throws IOException, InterruptedException {
        if (!exchange.getRequestMethod().equals("POST")) {
            return new Answer(405, "POST JSON objects to this address");
        }
        EventSink s = sink;
        if (s == null || s.cancelled() || s.paused()) {
            return new Answer(503, s != null && s.paused() ? "paused by Fluent Bit; send again later" : "not ready");
        }
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        boolean gzip = encoding != null && encoding.trim().equalsIgnoreCase("gzip");
        if (encoding != null && !gzip && !encoding.trim().equalsIgnoreCase("identity")) {
            return new Answer(415, "Content-Encoding " + encoding + " is not supported; send gzip or none");
        }
        byte[] body;
        try (InputStream in = gzip ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
            body = in.readAllBytes();
        } catch (ZipException | EOFException e) {
            return new Answer(400, "bad gzip body: " + e.getMessage());
        }
        List<Map<String, Object>> records;
        try {
            records = parse(body);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String problem = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            return new Answer(400, "bad JSON: " + problem.lines().findFirst().orElse(""));
        }
        long last = 0;
        try {
            for (Map<String, Object> r : records) {
                last = s.emit(r, timeout);
                if (last == 0) {
                    return new Answer(503, "no room in time; send again later");
                }
            }
            return last == 0 || s.awaitHandedOff(last, timeout) ? new Answer(200, "ok " + records.size())
                    : new Answer(503, "Fluent Bit did not take the events in time; send again later");
        } catch (CancellationException e) {
            return new Answer(503, "stopping; send again later");
        }
    }

    /** Reads a body's JSON values one after another. */
    private static final JsonFactory JSON_VALUES = new JsonFactory();

    /**
     * The records of a body: one JSON object, an array of objects, or several of these one after
     * another (JSON lines). Every value of the body is read: content after the first one is never
     * ignored.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parse(byte[] body) throws IOException {
        List<Map<String, Object>> records = new ArrayList<>();
        int values = 0;
        try (JsonParser all = JSON_VALUES.createParser(body)) {
            while (all.nextToken() != null) {
                Object value = JSON.std.anyFrom(all);
                values++;
                if (value instanceof Map<?, ?> m) {
                    records.add((Map<String, Object>) m);
                } else if (value instanceof List<?> list) {
                    for (int i = 0; i < list.size(); i++) {
                        if (!(list.get(i) instanceof Map)) {
                            throw new IllegalArgumentException("element " + i + " of the array" + which(values) + " is not an object");
                        }
                        records.add((Map<String, Object>) list.get(i));
                    }
                } else {
                    throw new IllegalArgumentException("expected an object or an array of objects, got "
                            + (value == null ? "null" : value.getClass().getSimpleName()) + which(values));
                }
            }
        }
        if (values == 0) {
            throw new IllegalArgumentException("expected an object or an array of objects, got nothing");
        }
        return records;
    }

    /** Which value of the body an error is about, when it has more than one. */
    private static String which(int value) {
        return value > 1 ? " (value " + value + " of the body)" : "";
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
