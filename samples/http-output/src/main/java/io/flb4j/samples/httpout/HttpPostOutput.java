package io.flb4j.samples.httpout;

import com.fasterxml.jackson.jr.ob.JSON;
import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.annotations.MetricCounter;
import io.flb4j.api.Counter;
import io.flb4j.api.Event;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.Logger;
import io.flb4j.api.OutputPlugin;
import io.flb4j.api.RetryableException;
import jakarta.validation.constraints.Pattern;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * POSTs each chunk as JSON lines ({@code {"tag":…,"time":…,"record":{…}}}, one per event) with
 * the JDK's {@code HttpClient}. Flushes run at once (up to {@code flb4j.max_flushes}) and never
 * hold Fluent Bit's thread while the server answers.
 *
 * <p>What Fluent Bit is told: OK for a 2xx answer; RETRY for 408, 429 and 5xx, and when the server
 * cannot be reached or does not answer within {@code timeout}; ERROR for any other answer (a
 * request the server refuses as it is will be refused again), logged with the status and the
 * start of the server's answer.
 */
@FluentBitOutput(name = "http_post_java", description = "POSTs events as JSON lines over HTTP", concurrentFlush = true)
public final class HttpPostOutput implements OutputPlugin {
    @ConfigKey(required = true, description = "Where to POST, e.g. http://collector:8080/ingest")
    @Pattern(regexp = "https?://.+") String url;
    @ConfigKey(secret = true, description = "The Authorization header's value, e.g. Bearer <token>") String authorization;
    @ConfigKey(defaultValue = "10s", description = "How long a request may take, answer included "
            + "(keep it below flb4j.flush_timeout, 20 s by default)") Duration timeout;

    @MetricCounter(name = "requests_total", help = "Requests answered, by status class", labels = "status") Counter requests;
    @MetricCounter(name = "events_total", help = "Events the server accepted") Counter accepted;

    private HttpClient client;
    private URI target;
    private Logger log;

    @Override
    public void init(FluentBit fbit) {
        log = fbit.logger();
        target = URI.create(url);
        client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
        log.info("posting to %s", target);
    }

    @Override
    public FlushResult flush(String tag, Events events) throws IOException, InterruptedException, RetryableException {
        StringBuilder body = new StringBuilder();
        int n = 0;
        for (Event e : events) {   // read the chunk first: its events are valid only during the flush
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("tag", tag);
            line.put("time", e.time().toString());
            line.put("record", e.record());
            body.append(JSON.std.asString(line)).append('\n');
            n++;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {   // refused, reset, timed out: the chunk comes again
            requests.add(1, "none");
            throw new RetryableException(target + " did not answer: " + e, e);
        }
        int status = response.statusCode();
        requests.add(1, status / 100 + "xx");
        if (status / 100 == 2) {
            accepted.add(n);
            return FlushResult.OK;
        }
        String answer = response.body().length() > 200 ? response.body().substring(0, 200) + "…" : response.body();
        if (status == 408 || status == 429 || status >= 500) {
            throw new RetryableException(target + " answered " + status + ": " + answer);
        }
        log.error("%s answered %d to a chunk of tag '%s' (%d events), which is dropped: %s", target, status, tag, n, answer);
        return FlushResult.ERROR;
    }
}
