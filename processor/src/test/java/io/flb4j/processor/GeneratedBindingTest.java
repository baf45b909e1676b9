package io.flb4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import io.flb4j.api.ByteSize;
import io.flb4j.api.Config;
import io.flb4j.api.Counter;
import io.flb4j.api.Gauge;
import io.flb4j.api.Metrics;
import io.flb4j.binding.PluginBinding;
import io.flb4j.binding.PluginDescriptor;
import io.flb4j.binding.PluginKind;
import io.flb4j.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Drives generated bindings of valid plugins of each kind, as the host does. */
class GeneratedBindingTest {
    private static final String OUTPUT = String.join("\n",
            "package test;",
            "import io.flb4j.annotations.*;",
            "import io.flb4j.api.*;",
            "import java.net.URI;",
            "import java.nio.file.Path;",
            "import java.time.Duration;",
            "import java.util.*;",
            "@FluentBitOutput(name = \"jsonl\", description = \"Writes JSON lines\", events = EventType.LOGS)",
            "public final class Jsonl implements OutputPlugin {",
            "  public enum Mode { APPEND, TRUNCATE_FIRST }",
            "  @ConfigKey(description = \"File to append to\", required = true) Path path;",
            "  @ConfigKey(defaultValue = \"false\") boolean fsync;",
            "  @ConfigKey(defaultValue = \"8080\") int serverPort;",
            "  @ConfigKey(defaultValue = \"10000000000\") long bigNumber;",
            "  @ConfigKey(defaultValue = \"0.5\") double ratio;",
            "  @ConfigKey Integer boxed = 42;",
            "  @ConfigKey(defaultValue = \"append\") Mode mode;",
            "  @ConfigKey(defaultValue = \"5s\") Duration flushTimeout;",
            "  @ConfigKey(defaultValue = \"64K\") ByteSize bufferSize;",
            "  @ConfigKey(defaultValue = \"a,b\") List<String> hosts;",
            "  @ConfigKey URI endpoint;",
            "  @ConfigKey(name = \"peer.verify\", defaultValue = \"on\") Boolean peerVerify;",
            "  @ConfigKey Optional<Duration> idle;",
            "  @ConfigKey(defaultValue = \"1m\") Optional<Duration> grace;",
            "  @MetricCounter(name = \"written_total\", help = \"Events written\", labels = \"tag\") Counter written;",
            "  @MetricGauge(name = \"open_files\", help = \"Files open\") Gauge open;",
            "  public FlushResult flush(String tag, Events events) { return FlushResult.OK; }",
            "}");

    private static final String INPUT = String.join("\n",
            "package test;",
            "import io.flb4j.annotations.*;",
            "import io.flb4j.api.*;",
            "@FluentBitInput(name = \"ticks\", dynamicKeys = true)",
            "public class Ticks implements InputPlugin {",
            "  @ConfigKey(defaultValue = \"bar\") String foo;",
            "  @MetricCounter(name = \"records_total\", help = \"Records\") Counter records;",
            "  public void collect(EventSink sink) {}",
            "}");

    private static final String CUSTOM = String.join("\n",
            "package test;",
            "import io.flb4j.annotations.*;",
            "import io.flb4j.api.*;",
            "public class Holder {",
            "  @FluentBitCustom(name = \"banner\")",
            "  public static class Banner implements CustomPlugin {",
            "    @ConfigKey(defaultValue = \"hello\") String text;",
            "    @MetricGauge(name = \"up\", help = \"Up\") Gauge up;",
            "    public void init(FluentBit f) {}",
            "  }",
            "}");

    private static final String GUARDED = String.join("\n",
            "package test;",
            "import io.flb4j.annotations.*;",
            "import io.flb4j.api.*;",
            "import java.util.*;",
            "import jakarta.validation.constraints.*;",
            "@FluentBitOutput(name = \"pg\")",
            "public final class Guarded implements OutputPlugin {",
            "  @ConfigKey(defaultValue = \"100\") @Min(1) @Max(10000) int batchSize;",
            "  @ConfigKey(defaultValue = \"2\") @Positive long threads;",
            "  @ConfigKey(defaultValue = \"0.5\") @PositiveOrZero double ratio;",
            "  @ConfigKey(defaultValue = \"logs\") @Pattern(regexp = \"[a-z_]+\") String table;",
            "  @ConfigKey(defaultValue = \"db\") @NotBlank String database;",
            "  @ConfigKey(defaultValue = \"a\") @Size(min = 1, max = 3) List<String> replicas;",
            "  @ConfigKey(secret = true, required = true) @Size(min = 8, max = 64) String password;",
            "  @ConfigKey @Positive Optional<Integer> limit;",
            "  public FlushResult flush(String tag, Events events) { return FlushResult.OK; }",
            "}");

    /**
     * Each kind of rule, on the configured value at init: one problem per key naming it, the value
     * and the rule; a secret key's value never appears, even when it fails to parse.
     */
    @Test
    void constraintsAreCheckedAtInitAndSecretsNeverShown() throws Exception {
        Loaded g = load("test.Guarded", GUARDED);
        Object ok = g.bind(Map.of("password", "correct-horse"));
        assertThat(g.field(ok, "batchSize")).isEqualTo(100);
        ConfigException e = assertThrows(ConfigException.class, () -> g.bind(Map.of("batch_size", "0", "threads", "0",
                "ratio", "-1", "table", "Users", "database", "  ", "replicas", "a,b,c,d", "password", "hunter2",
                "limit", "-3")));
        assertThat(e).hasMessageThat().isEqualTo("plugin 'pg': invalid configuration: "
                + "key 'batch_size' has value '0', which breaks @Min(1): it must be at least 1; "
                + "key 'threads' has value '0', which breaks @Positive: it must be above 0; "
                + "key 'ratio' has value '-1', which breaks @PositiveOrZero: it must be 0 or above; "
                + "key 'table' has value 'Users', which breaks @Pattern(regexp = \"[a-z_]+\"): it must be matching the "
                + "regular expression [a-z_]+; "
                + "key 'database' has value '  ', which breaks @NotBlank: it must be not blank; "
                + "key 'replicas' has value 'a,b,c,d', which breaks @Size(min = 1, max = 3): it must be 1 to 3 long; "
                + "key 'password' has a value (not shown: the key is secret), which breaks @Size(min = 8, max = 64): "
                + "it must be 8 to 64 long; "
                + "key 'limit' has value '-3', which breaks @Positive: it must be above 0");
        ConfigException tooBig = assertThrows(ConfigException.class,
                () -> g.bind(Map.of("batch_size", "10001", "password", "correct-horse")));
        assertThat(tooBig).hasMessageThat().contains("key 'batch_size' has value '10001', which breaks @Max(10000)");
        PluginDescriptor.Key password = g.descriptor().keys().stream().filter(k -> k.name().equals("password"))
                .findFirst().orElseThrow();
        assertThat(password.secret()).isTrue();
        assertThat(password.constraints()).containsExactly("size=8..64");
        assertThat(g.descriptor().keys().get(0).constraints()).containsExactly("min=1", "max=10000").inOrder();
        assertThat(g.descriptor().dynamicKeys()).isFalse();
    }

    @Test
    void outputBindsEveryTypeFromItsDefaults() throws Exception {
        Loaded out = load("test.Jsonl", OUTPUT);
        Object plugin = out.bind(Map.of("PATH", "/var/log/out.jsonl"));
        assertThat(out.field(plugin, "path")).isEqualTo(Path.of("/var/log/out.jsonl"));
        assertThat(out.field(plugin, "fsync")).isEqualTo(false);
        assertThat(out.field(plugin, "serverPort")).isEqualTo(8080);
        assertThat(out.field(plugin, "bigNumber")).isEqualTo(10_000_000_000L);
        assertThat(out.field(plugin, "ratio")).isEqualTo(0.5);
        assertThat(out.field(plugin, "boxed")).isEqualTo(42);
        assertThat(out.field(plugin, "mode").toString()).isEqualTo("APPEND");
        assertThat(out.field(plugin, "flushTimeout")).isEqualTo(Duration.ofSeconds(5));
        assertThat(out.field(plugin, "bufferSize")).isEqualTo(new ByteSize(64_000));
        assertThat(out.field(plugin, "hosts")).isEqualTo(List.of("a", "b"));
        assertThat(out.field(plugin, "endpoint")).isNull();
        assertThat(out.field(plugin, "peerVerify")).isEqualTo(true);
        assertThat(out.field(plugin, "idle")).isEqualTo(Optional.empty());
        assertThat(out.field(plugin, "grace")).isEqualTo(Optional.of(Duration.ofMinutes(1)));
    }

    @Test
    void outputConvertsConfiguredValuesWithCaseInsensitiveKeys() throws Exception {
        Loaded out = load("test.Jsonl", OUTPUT);
        Map<String, String> conf = new HashMap<>();
        conf.put("path", "out.jsonl");
        conf.put("Fsync", "yes");
        conf.put("SERVER_PORT", " 9090 ");
        conf.put("ratio", "2.25");
        conf.put("boxed", "-1");
        conf.put("mode", "Truncate-First");
        conf.put("flush_timeout", "500ms");
        conf.put("buffer_size", "2Ki");
        conf.put("hosts", " x , y,, z ");
        conf.put("endpoint", "https://example.com:8443/in");
        conf.put("Peer.Verify", "off");
        conf.put("idle", "1h");
        Object plugin = out.bind(conf);
        assertThat(out.field(plugin, "fsync")).isEqualTo(true);
        assertThat(out.field(plugin, "serverPort")).isEqualTo(9090);
        assertThat(out.field(plugin, "ratio")).isEqualTo(2.25);
        assertThat(out.field(plugin, "boxed")).isEqualTo(-1);
        assertThat(out.field(plugin, "mode").toString()).isEqualTo("TRUNCATE_FIRST");
        assertThat(out.field(plugin, "flushTimeout")).isEqualTo(Duration.ofMillis(500));
        assertThat(out.field(plugin, "bufferSize")).isEqualTo(new ByteSize(2048));
        assertThat(out.field(plugin, "hosts")).isEqualTo(List.of("x", "y", "z"));
        assertThat(out.field(plugin, "endpoint")).isEqualTo(URI.create("https://example.com:8443/in"));
        assertThat(out.field(plugin, "peerVerify")).isEqualTo(false);
        assertThat(out.field(plugin, "idle")).isEqualTo(Optional.of(Duration.ofHours(1)));
    }

    @Test
    void missingRequiredKeyFailsWithPluginKeyAndExpectation() throws Exception {
        Loaded out = load("test.Jsonl", OUTPUT);
        ConfigException e = assertThrows(ConfigException.class, () -> out.bind(Map.of()));
        assertThat(e).hasMessageThat().isEqualTo("plugin 'jsonl': invalid configuration: missing required key 'path' "
                + "(expected a file system path)");
    }

    @Test
    void everyWrongValueIsNamedInOneMessage() throws Exception {
        Loaded out = load("test.Jsonl", OUTPUT);
        ConfigException e = assertThrows(ConfigException.class, () -> out.bind(Map.of(
                "path", "p", "server_port", "http", "fsync", "maybe", "mode", "sideways", "buffer_size", "lots")));
        assertThat(e).hasMessageThat().startsWith("plugin 'jsonl': invalid configuration: ");
        assertThat(e).hasMessageThat().contains("key 'server_port' has value 'http', expected a whole number");
        assertThat(e).hasMessageThat().contains("key 'fsync' has value 'maybe', expected a boolean");
        assertThat(e).hasMessageThat().contains("key 'mode' has value 'sideways', expected one of append, truncate_first");
        assertThat(e).hasMessageThat().contains("key 'buffer_size' has value 'lots', expected a size");
    }

    @Test
    void metricsAreRegisteredAndAssigned() throws Exception {
        Loaded out = load("test.Jsonl", OUTPUT);
        Object plugin = out.binding.newInstance();
        RecordingMetrics metrics = new RecordingMetrics();
        out.binding.registerMetrics(cast(plugin), metrics);
        assertThat(metrics.created).containsExactly("counter written_total 'Events written' [tag]",
                "gauge open_files 'Files open' []").inOrder();
        assertThat(out.field(plugin, "written")).isSameInstanceAs(metrics.counters.get(0));
        assertThat(out.field(plugin, "open")).isSameInstanceAs(metrics.gauges.get(0));
    }

    @Test
    void outputDescriptorDescribesKeysAndMetrics() throws Exception {
        Loaded out = load("test.Jsonl", OUTPUT);
        PluginDescriptor d = out.descriptor();
        assertThat(d.name()).isEqualTo("jsonl");
        assertThat(d.kind()).isEqualTo(PluginKind.OUTPUT);
        assertThat(d.description()).isEqualTo("Writes JSON lines");
        assertThat(d.pluginClass()).isEqualTo("test.Jsonl");
        assertThat(d.eventTypes()).isEqualTo(1);
        assertThat(d.concurrentFlush()).isFalse();
        PluginDescriptor.Key path = d.keys().get(0);
        assertThat(path).isEqualTo(new PluginDescriptor.Key("path", "path", "path", null, true, "File to append to"));
        assertThat(d.keys().stream().map(PluginDescriptor.Key::name).toList()).containsExactly("path", "fsync", "server_port",
                "big_number", "ratio", "boxed", "mode", "flush_timeout", "buffer_size", "hosts", "endpoint", "peer.verify",
                "idle", "grace").inOrder();
        assertThat(d.keys().get(6).type()).isEqualTo("enum(APPEND, TRUNCATE_FIRST)");
        assertThat(d.keys().get(13)).isEqualTo(new PluginDescriptor.Key("grace", "grace", "optional<duration>", "1m", false, ""));
        assertThat(d.metrics()).containsExactly(
                new PluginDescriptor.Metric("written_total", "written", "counter", "Events written", List.of("tag")),
                new PluginDescriptor.Metric("open_files", "open", "gauge", "Files open", List.of())).inOrder();
    }

    @Test
    void inputBindingIsFoundThroughServiceLoader() throws Exception {
        Loaded in = load("test.Ticks", INPUT);
        PluginBinding<?> found = ServiceLoader.load(PluginBinding.class, in.loader).findFirst().orElseThrow();
        assertThat(found.pluginClass().getName()).isEqualTo("test.Ticks");
        Object plugin = in.bind(Map.of("FOO", "baz"));
        assertThat(in.field(plugin, "foo")).isEqualTo("baz");
        assertThat(in.descriptor().kind()).isEqualTo(PluginKind.INPUT);
        assertThat(in.descriptor().dynamicKeys()).isTrue();
        RecordingMetrics metrics = new RecordingMetrics();
        in.binding.registerMetrics(cast(plugin), metrics);
        assertThat(in.field(plugin, "records")).isSameInstanceAs(metrics.counters.get(0));
    }

    @Test
    void customPluginNestedClassBinds() throws Exception {
        Loaded custom = load("test.Holder$Banner", CUSTOM);
        assertThat(custom.binding.getClass().getName()).isEqualTo("test.Holder_Banner_Flb4jBinding");
        Object plugin = custom.bind(Map.of());
        assertThat(custom.field(plugin, "text")).isEqualTo("hello");
        assertThat(custom.descriptor().kind()).isEqualTo(PluginKind.CUSTOM);
        assertThat(custom.descriptor().pluginClass()).isEqualTo("test.Holder.Banner");
    }

    @Test
    void generatedBindingReadsLikeHandWrittenCode() {
        Compilation c = javacWithProcessor("test.Ticks", INPUT);
        JavaFileObject binding = c.generatedSourceFile("test.Ticks_Flb4jBinding").orElseThrow();
        String text = content(binding);
        assertThat(text).contains("@Generated(\"io.flb4j.processor.PluginProcessor\")");
        assertThat(text).contains("public final class Ticks_Flb4jBinding implements PluginBinding<Ticks>");
        assertThat(text).contains("return new Ticks();");
        assertThat(text).contains(
                "reader.bind(\"foo\", \"bar\", false, ConfigValues::parseString, ConfigValues.STRING, value -> plugin.foo = value);");
        assertThat(text).contains("plugin.records = metrics.counter(\"records_total\", \"Records\");");
    }

    // --- loading generated classes the way the host does ------------------------------------

    private static Compilation javacWithProcessor(String name, String source) {
        Compilation c = CompileErrorsTest.compile(CompileErrorsTest.source(name.substring(name.indexOf('.') + 1)
                .replaceAll("\\$.*", ""), source));
        assertThat(c).succeededWithoutWarnings();
        return c;
    }

    private static Loaded load(String className, String source) throws Exception {
        Compilation c = javacWithProcessor(className, source);
        Map<String, byte[]> files = new HashMap<>();
        for (JavaFileObject f : c.generatedFiles()) {
            String path = f.toUri().getPath();
            files.put(path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length()), bytes(f));
        }
        MemoryLoader loader = new MemoryLoader(files, GeneratedBindingTest.class.getClassLoader());
        PluginBinding<?> binding = ServiceLoader.load(PluginBinding.class, loader).findFirst().orElseThrow();
        assertThat(binding.pluginClass().getName()).isEqualTo(className);
        return new Loaded(loader, binding);
    }

    private record Loaded(MemoryLoader loader, PluginBinding<?> binding) {
        Object bind(Map<String, String> conf) throws ConfigException {
            Object plugin = binding.newInstance();
            binding.bindConfig(cast(plugin), caseInsensitive(conf));
            return plugin;
        }

        Object field(Object plugin, String name) throws ReflectiveOperationException {
            Field f = plugin.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(plugin);
        }

        PluginDescriptor descriptor() throws IOException {
            return PluginDescriptor.load(loader);
        }
    }

    /** Fluent Bit matches property keys case-insensitively. */
    private static Config caseInsensitive(Map<String, String> conf) {
        Map<String, String> folded = new HashMap<>();
        conf.forEach((k, v) -> folded.put(k.toLowerCase(Locale.ROOT), v));
        return key -> Optional.ofNullable(folded.get(key.toLowerCase(Locale.ROOT)));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    private static byte[] bytes(JavaFileObject f) {
        try (InputStream in = f.openInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String content(JavaFileObject f) {
        try {
            return f.getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Classes and resources of one compilation, in memory. */
    private static final class MemoryLoader extends ClassLoader {
        private final Map<String, byte[]> files;

        MemoryLoader(Map<String, byte[]> files, ClassLoader parent) {
            super(parent);
            this.files = files;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = files.get(name.replace('.', '/') + ".class");
            if (b == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, b, 0, b.length);
        }

        @Override
        protected java.net.URL findResource(String name) {
            byte[] b = files.get(name);
            if (b == null) {
                return null;
            }
            try {
                return new java.net.URL(null, "mem:/" + name, new java.net.URLStreamHandler() {
                    @Override
                    protected java.net.URLConnection openConnection(java.net.URL u) {
                        return new java.net.URLConnection(u) {
                            @Override
                            public void connect() {}

                            @Override
                            public InputStream getInputStream() {
                                return new java.io.ByteArrayInputStream(b);
                            }
                        };
                    }
                });
            } catch (java.net.MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected java.util.Enumeration<java.net.URL> findResources(String name) {
            java.net.URL url = findResource(name);
            return java.util.Collections.enumeration(url == null ? List.of() : List.of(url));
        }
    }

    private static final class RecordingMetrics implements Metrics {
        final List<String> created = new ArrayList<>();
        final List<Counter> counters = new ArrayList<>();
        final List<Gauge> gauges = new ArrayList<>();

        @Override
        public Counter counter(String name, String help, String... labelKeys) {
            created.add("counter " + name + " '" + help + "' " + List.of(labelKeys));
            Counter c = (value, labels) -> {};
            counters.add(c);
            return c;
        }

        @Override
        public Gauge gauge(String name, String help, String... labelKeys) {
            created.add("gauge " + name + " '" + help + "' " + List.of(labelKeys));
            Gauge g = new Gauge() {
                @Override
                public void set(double value, String... labelValues) {}

                @Override
                public void add(double value, String... labelValues) {}
            };
            gauges.add(g);
            return g;
        }
    }
}
