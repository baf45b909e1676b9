package io.flb4j.samples.metrics;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.EventType;
import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.api.FlushResult;
import io.flb4j.api.OutputPlugin;
import io.flb4j.api.telemetry.MetricSet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Prints the metrics it receives in the Prometheus text exposition format: to standard output,
 * or appended to {@code path}. Route Fluent Bit's own metrics to it with the
 * {@code fluentbit_metrics} input (or {@code node_exporter_metrics}, {@code prometheus_scrape},
 * {@code opentelemetry}):
 *
 * <pre>
 * # HELP fluentbit_uptime Number of seconds that Fluent Bit has been running.
 * # TYPE fluentbit_uptime counter
 * fluentbit_uptime{hostname="web-3"} 12
 * </pre>
 */
@FluentBitOutput(name = "prometheus_text_java", events = EventType.METRICS,
        description = "Prints the metrics it receives in Prometheus text form")
public final class PrometheusTextOutput implements OutputPlugin {
    @ConfigKey(description = "A file to append to; standard output when not set")
    Path path;

    @ConfigKey(defaultValue = "false", description = "Add each sample's timestamp (milliseconds)")
    boolean timestamps;

    @Override
    public FlushResult flushMetrics(String tag, List<MetricSet> metrics) throws IOException {
        StringBuilder text = new StringBuilder();
        for (MetricSet set : metrics) {
            PrometheusText.append(set, timestamps, text);
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (path == null) {
            PrintStream out = System.out;
            out.write(bytes, 0, bytes.length);   // one write per chunk: concurrent chunks never interleave
            out.flush();
        } else {
            Files.write(path, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return FlushResult.OK;
    }
}
