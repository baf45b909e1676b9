package io.flb4j.binding;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The plugin descriptor: everything known about a plugin without loading its class. The
 * annotation processor writes it to {@link #RESOURCE}; the build reads it to make the
 * {@code .so}, the host reads it to register the plugin, the docs are made from it.
 *
 * <pre>{@code
 * PluginDescriptor d = PluginDescriptor.load(classLoader);
 * System.out.println(d.name() + " is an " + d.kind().label() + " plugin");
 * }</pre>
 */
public record PluginDescriptor(
        String name,
        PluginKind kind,
        String description,
        String pluginClass,
        int eventTypes,
        boolean concurrentFlush,
        List<Key> keys,
        List<Metric> metrics,
        boolean dynamicKeys) {

    /** Where the descriptor lives in the plugin jar. */
    public static final String RESOURCE = "META-INF/flb4j/plugin.properties";
    private static final String FORMAT = "1";

    public PluginDescriptor {
        keys = List.copyOf(keys);
        metrics = List.copyOf(metrics);
    }

    /** A plugin that reads only its declared keys ({@code dynamicKeys = false}). */
    public PluginDescriptor(String name, PluginKind kind, String description, String pluginClass, int eventTypes,
                            boolean concurrentFlush, List<Key> keys, List<Metric> metrics) {
        this(name, kind, description, pluginClass, eventTypes, concurrentFlush, keys, metrics, false);
    }

    /**
     * One configuration key. {@code defaultValue} is {@code null} when there is none. A
     * {@code secret} key's value is never shown (logs, errors, docs, Fluent Bit's help).
     * {@code constraints} are rules beyond the type, each as {@link io.flb4j.config.Constraint}
     * writes it ({@code min=1}, {@code pattern=[a-z]+} …).
     */
    public record Key(String name, String field, String type, String defaultValue, boolean required,
                      String description, boolean secret, List<String> constraints) {
        public Key {
            constraints = List.copyOf(constraints);
        }

        /** The type of the key's value: {@link #type()} without an {@code optional<…>} around it. */
        public String valueType() {
            return valueType(type);
        }

        /** {@code type} without an {@code optional<…>} around it ({@code optional<int>} is {@code int}). */
        public static String valueType(String type) {
            return type.startsWith("optional<") ? type.substring(9, type.length() - 1) : type;
        }

        /** A key with no secret and no constraint. */
        public Key(String name, String field, String type, String defaultValue, boolean required, String description) {
            this(name, field, type, defaultValue, required, description, false, List.of());
        }
    }

    /** One metric; {@code kind} is {@code counter} or {@code gauge}. */
    public record Metric(String name, String field, String kind, String help, List<String> labels) {
        public Metric {
            labels = List.copyOf(labels);
        }
    }

    /** Reads the descriptor of the plugin visible to {@code loader}. */
    public static PluginDescriptor load(ClassLoader loader) throws IOException {
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("no " + RESOURCE + " found: the module has no class annotated "
                        + "@FluentBitInput, @FluentBitOutput or @FluentBitCustom, or the flb4j "
                        + "annotation processor did not run");
            }
            Properties p = new Properties();
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            return from(p);
        }
    }

    public static PluginDescriptor read(Reader reader) throws IOException {
        Properties p = new Properties();
        p.load(reader);
        return from(p);
    }

    private static PluginDescriptor from(Properties p) throws IOException {
        String format = p.getProperty("format");
        if (!FORMAT.equals(format)) {
            throw new IOException("unsupported plugin descriptor format '" + format + "'; rebuild the plugin with this flb4j version");
        }
        List<Key> keys = new ArrayList<>();
        for (String k : list(p.getProperty("keys", ""))) {
            String prefix = "key." + k + ".";
            keys.add(new Key(k, p.getProperty(prefix + "field"), p.getProperty(prefix + "type"),
                    p.getProperty(prefix + "default"), Boolean.parseBoolean(p.getProperty(prefix + "required")),
                    p.getProperty(prefix + "description", ""), Boolean.parseBoolean(p.getProperty(prefix + "secret")),
                    constraints(p.getProperty(prefix + "constraints", ""))));
        }
        List<Metric> metrics = new ArrayList<>();
        for (String m : list(p.getProperty("metrics", ""))) {
            String prefix = "metric." + m + ".";
            metrics.add(new Metric(m, p.getProperty(prefix + "field"), p.getProperty(prefix + "kind"),
                    p.getProperty(prefix + "help", ""), list(p.getProperty(prefix + "labels", ""))));
        }
        return new PluginDescriptor(p.getProperty("name"), PluginKind.ofLabel(p.getProperty("kind")),
                p.getProperty("description", ""), p.getProperty("class"),
                Integer.parseInt(p.getProperty("event_types", "0")),
                Boolean.parseBoolean(p.getProperty("concurrent_flush")), keys, metrics,
                Boolean.parseBoolean(p.getProperty("dynamic_keys")));
    }

    /** Constraints are one per line: a pattern may hold a comma. */
    private static List<String> constraints(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    /** Writes the descriptor in the format {@link #load} reads. */
    public void write(Writer writer) throws IOException {
        Properties p = new Properties() {
            private static final long serialVersionUID = 1L;

            // Stable order, so builds are reproducible.
            @Override
            public synchronized java.util.Set<java.util.Map.Entry<Object, Object>> entrySet() {
                java.util.TreeMap<Object, Object> sorted = new java.util.TreeMap<>();
                for (java.util.Map.Entry<Object, Object> e : super.entrySet()) {
                    sorted.put(e.getKey(), e.getValue());
                }
                return java.util.Collections.synchronizedSet(sorted.entrySet());
            }
        };
        p.setProperty("format", FORMAT);
        p.setProperty("name", name);
        p.setProperty("kind", kind.label());
        p.setProperty("description", description);
        p.setProperty("class", pluginClass);
        p.setProperty("event_types", Integer.toString(eventTypes));
        p.setProperty("concurrent_flush", Boolean.toString(concurrentFlush));
        if (dynamicKeys) {
            p.setProperty("dynamic_keys", "true");
        }
        List<String> keyNames = new ArrayList<>();
        for (Key k : keys) {
            keyNames.add(k.name());
            String prefix = "key." + k.name() + ".";
            p.setProperty(prefix + "field", k.field());
            p.setProperty(prefix + "type", k.type());
            if (k.defaultValue() != null) {
                p.setProperty(prefix + "default", k.defaultValue());
            }
            p.setProperty(prefix + "required", Boolean.toString(k.required()));
            p.setProperty(prefix + "description", k.description());
            if (k.secret()) {
                p.setProperty(prefix + "secret", "true");
            }
            if (!k.constraints().isEmpty()) {
                p.setProperty(prefix + "constraints", String.join("\n", k.constraints()));
            }
        }
        p.setProperty("keys", String.join(",", keyNames));
        List<String> metricNames = new ArrayList<>();
        for (Metric m : metrics) {
            metricNames.add(m.name());
            String prefix = "metric." + m.name() + ".";
            p.setProperty(prefix + "field", m.field());
            p.setProperty(prefix + "kind", m.kind());
            p.setProperty(prefix + "help", m.help());
            p.setProperty(prefix + "labels", String.join(",", m.labels()));
        }
        p.setProperty("metrics", String.join(",", metricNames));
        java.io.StringWriter text = new java.io.StringWriter();
        p.store(text, null);
        // Properties.store starts with a date comment; drop it so builds are reproducible.
        writer.write("# flb4j plugin descriptor, generated by the annotation processor\n");
        writer.write(text.toString().replaceFirst("^#[^\n]*\n", ""));
    }

    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
