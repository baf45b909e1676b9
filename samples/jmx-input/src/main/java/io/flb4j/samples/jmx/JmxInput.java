package io.flb4j.samples.jmx;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.EventType;
import io.flb4j.annotations.FluentBitInput;
import io.flb4j.api.EventSink;
import io.flb4j.api.FluentBit;
import io.flb4j.api.InputPlugin;
import io.flb4j.api.Logger;
import io.flb4j.api.telemetry.MetricSet;
import io.flb4j.api.telemetry.Span;
import io.flb4j.api.telemetry.SpanKind;
import io.flb4j.api.telemetry.StatusCode;
import io.flb4j.api.telemetry.TraceSet;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads the MBeans of a JVM over remote JMX every {@code interval} and emits their numeric
 * attributes as Fluent Bit metrics: what a jmx_exporter process does, inside Fluent Bit. The
 * default set is memory, garbage collection, threads, class loading and the operating system;
 * {@code beans} names others (ObjectName patterns, separated by {@code ;}). Each MBean's key
 * properties but {@code type} become labels. When the target goes away, one line says so and
 * the input tries again each interval; one line says when it is back.
 *
 * <p>With {@code traces on}, each read is also a span ({@code jmx.read}, kind CLIENT): how long
 * reading the target took, how many MBeans and samples it gave, and, when it failed, status ERROR
 * with the exception as an event. The input's own timing is the traces source: no agent and no
 * logging framework involved.
 */
@FluentBitInput(name = "jmx", description = "Reads MBean attributes of a JVM over JMX and emits them as metrics",
        events = {EventType.METRICS, EventType.TRACES})
public final class JmxInput implements InputPlugin {
    @ConfigKey(description = "JMX service URL; when empty, service:jmx:rmi:///jndi/rmi://<jmx_host>:<jmx_port>/jmxrmi",
            defaultValue = "")
    String url;
    @ConfigKey(description = "Host of the JVM's JMX agent", defaultValue = "127.0.0.1") @NotBlank String jmxHost;
    @ConfigKey(description = "Port of the JVM's JMX agent (com.sun.management.jmxremote.port)", defaultValue = "9010")
    @Min(1) @Max(65535) int jmxPort;
    @ConfigKey(description = "User, when the agent authenticates") Optional<String> username;
    @ConfigKey(secret = true, description = "Password, when the agent authenticates") Optional<String> password;
    @ConfigKey(description = "ObjectName patterns of the MBeans to read, separated by ';'",
            defaultValue = MBeanReader.DEFAULT_BEANS)
    @NotBlank String beans;
    @ConfigKey(description = "First part of every metric name", defaultValue = "jmx") @NotBlank String prefix;
    @ConfigKey(description = "How often the MBeans are read", defaultValue = "10s") Duration interval;
    @ConfigKey(description = "Also emit one span per read: its duration, the MBeans and samples it gave, its error",
            defaultValue = "false")
    boolean traces;

    private Logger log;
    private String target;
    private JMXConnector connector;

    @Override
    public void init(FluentBit fbit) {
        log = fbit.logger();
        target = url.isBlank() ? "service:jmx:rmi:///jndi/rmi://" + jmxHost + ":" + jmxPort + "/jmxrmi" : url;
    }

    /**
     * JMX over RMI keeps state of its own for the JVM's lifetime (its connection and lease
     * machinery), keyed by the thread's context class loader when it was made. Run with the
     * plugin's loader as context, that state would keep every old generation of the plugin in
     * memory after a hot reload; with the platform loader (the JMX client needs nothing of the
     * plugin's), it holds nothing of the plugin's.
     */
    @Override
    public void collect(EventSink sink) throws InterruptedException {
        Thread.currentThread().setContextClassLoader(ClassLoader.getPlatformClassLoader());
        MBeanReader reader = new MBeanReader(prefix, beans);
        try {
            readLoop(reader, sink);
        } finally {
            disconnect();   // an open connector's heartbeat thread would keep this generation after a reload
        }
    }

    private void readLoop(MBeanReader reader, EventSink sink) throws InterruptedException {
        boolean down = false;
        while (!sink.cancelled()) {
            Span.Builder span = Span.builder("jmx.read").kind(SpanKind.CLIENT).start(nowNanos())
                    .attribute("jmx.url", target);
            try {
                if (connector == null) {
                    connector = connect();
                    if (down) {
                        log.info("connected to %s again", target);
                    }
                    down = false;
                }
                MetricSet set = reader.read(connector.getMBeanServerConnection(), MetricSet.builder());
                sink.emitMetrics(set);
                span.attribute("jmx.metrics", (long) set.metrics().size())
                        .attribute("jmx.samples", set.metrics().stream().mapToLong(m -> m.samples().size()).sum())
                        .status(StatusCode.OK, null);
            } catch (IOException | SecurityException e) {
                if (!down) {
                    log.warn("cannot read %s (%s); trying again every %d ms", target, e.getClass().getSimpleName(),
                            interval.toMillis());
                    down = true;
                }
                disconnect();
                span.event("exception", nowNanos(), Map.of("exception.type", e.getClass().getName(),
                                "exception.message", String.valueOf(e.getMessage())))
                        .status(StatusCode.ERROR, e.getClass().getSimpleName());
            }
            if (traces) {
                sink.emitTraces(TraceSet.of(Map.of("service.name", "fluent-bit", "jmx.target", target),
                        "io.flb4j.samples.jmx", List.of(span.end(nowNanos()).build())));
            }
            Thread.sleep(interval.toMillis());
        }
    }

    private static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private void disconnect() {
        JMXConnector c = connector;
        connector = null;
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // the target is gone already
            }
        }
    }

    private JMXConnector connect() throws IOException {
        Map<String, Object> env = new HashMap<>();
        if (username.isPresent()) {
            env.put(JMXConnector.CREDENTIALS, new String[] {username.get(), password.orElse("")});
        }
        return JMXConnectorFactory.connect(new JMXServiceURL(target), env);
    }

}
