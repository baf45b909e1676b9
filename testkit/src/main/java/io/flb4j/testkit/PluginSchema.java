package io.flb4j.testkit;

import io.flb4j.binding.Flb4jKeys;
import io.flb4j.binding.PluginDescriptor;
import io.flb4j.metrics.MetricNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the JSON schema {@code mvn package} writes beside a plugin's {@code .so}
 * ({@code <name>.schema.json}) against the plugin's descriptor: every key of the plugin and of
 * flb4j, with its type and default (none for a secret), the required keys, every metric under
 * the name Fluent Bit shows, and the kind and name. For a plugin module's integration test:
 *
 * <pre>{@code
 * @Test void docs() throws Exception { PluginSchema.checkPackaged(Path.of("target")); }   // in an *IT test
 * }</pre>
 */
public final class PluginSchema {
    private PluginSchema() {}

    /**
     * After {@code package}: the module's plugin (its descriptor, from the test's class path) has
     * {@code <name>.md} and {@code <name>.schema.json} in {@code target}, and the schema matches.
     */
    public static void checkPackaged(Path target) throws IOException {
        PluginDescriptor d = PluginDescriptor.load(Thread.currentThread().getContextClassLoader());
        check(target.resolve(d.name() + ".schema.json"), d);
        Path page = target.resolve(d.name() + ".md");
        if (!Files.readString(page, StandardCharsets.UTF_8).startsWith("# " + d.name() + "\n")) {
            throw new AssertionError(page + " does not start with the plugin's name as its title");
        }
    }

    /** Throws an AssertionError listing every difference. */
    public static void check(Path schemaFile, PluginDescriptor d) throws IOException {
        Map<String, Object> schema = object(Json.parse(Files.readString(schemaFile, StandardCharsets.UTF_8)));
        List<String> problems = new ArrayList<>();
        Map<String, Object> props = object(schema.get("properties"));
        List<PluginDescriptor.Key> keys = Flb4jKeys.withPluginKeys(d);
        if (!List.copyOf(props.keySet()).equals(keys.stream().map(PluginDescriptor.Key::name).toList())) {
            problems.add("properties " + props.keySet() + " are not the keys " + keys.stream().map(PluginDescriptor.Key::name).toList());
        }
        List<Object> required = new ArrayList<>();
        for (PluginDescriptor.Key k : keys) {
            Map<String, Object> p = props.containsKey(k.name()) ? object(props.get(k.name())) : Map.of();
            if (!k.type().equals(p.get("x-flb4j-type"))) {
                problems.add(k.name() + ": x-flb4j-type " + p.get("x-flb4j-type") + ", descriptor " + k.type());
            }
            Object def = p.get("default");
            String expectedDefault = k.secret() ? null : k.defaultValue();
            if (expectedDefault == null ? def != null : def == null || !sameValue(def, expectedDefault)) {
                problems.add(k.name() + ": default " + def + ", descriptor " + (k.secret() ? "(secret)" : k.defaultValue()));
            }
            if (k.secret() != Boolean.TRUE.equals(p.get("writeOnly"))) {
                problems.add(k.name() + ": writeOnly " + p.get("writeOnly") + ", secret " + k.secret());
            }
            if (k.required()) {
                required.add(k.name());
            }
        }
        if (!required.equals(schema.get("required"))) {
            problems.add("required " + schema.get("required") + ", descriptor " + required);
        }
        Map<String, Object> flb4j = object(schema.get("x-flb4j"));
        if (!d.kind().label().equals(flb4j.get("kind")) || !d.name().equals(flb4j.get("name"))) {
            problems.add("x-flb4j kind/name " + flb4j.get("kind") + "/" + flb4j.get("name"));
        }
        List<Object> metrics = list(flb4j.get("metrics"));
        if (metrics.size() != d.metrics().size()) {
            problems.add(metrics.size() + " metrics, descriptor " + d.metrics().size());
        }
        for (int i = 0; i < Math.min(metrics.size(), d.metrics().size()); i++) {
            PluginDescriptor.Metric m = d.metrics().get(i);
            Map<String, Object> j = object(metrics.get(i));
            String name = MetricNames.fullName(d.name(), m.name());
            List<Object> labels = new ArrayList<>(List.of(MetricNames.INSTANCE_LABEL));
            labels.addAll(m.labels());
            if (!name.equals(j.get("name")) || !m.kind().equals(j.get("type")) || !labels.equals(j.get("labels"))) {
                problems.add("metric " + j + ", descriptor " + name + " " + m.kind() + " " + labels);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(schemaFile + " does not match the descriptor: " + String.join("; ", problems));
        }
    }

    private static boolean sameValue(Object json, String text) {
        return json instanceof String s ? s.equals(text)
                : json instanceof Boolean b ? b == io.flb4j.config.ConfigValues.parseBoolean(text)
                : Double.parseDouble(json.toString()) == Double.parseDouble(text.strip());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object o) {
        if (!(o instanceof Map)) {
            throw new AssertionError("expected a JSON object, found " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        if (!(o instanceof List)) {
            throw new AssertionError("expected a JSON array, found " + o);
        }
        return (List<Object>) o;
    }

    /** Enough JSON for a schema: objects (in order), arrays, strings, numbers, booleans, null. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json j = new Json(text);
            Object v = j.value();
            j.space();
            if (j.i != text.length()) {
                throw j.error("trailing text");
            }
            return v;
        }

        private Object value() {
            space();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                space();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                do {
                    space();
                    String k = string();
                    space();
                    expect(':');
                    m.put(k, value());
                    space();
                } while (s.charAt(i++) == ',');
                if (s.charAt(i - 1) != '}') {
                    throw error("expected , or }");
                }
                return m;
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                space();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                do {
                    l.add(value());
                    space();
                } while (s.charAt(i++) == ',');
                if (s.charAt(i - 1) != ']') {
                    throw error("expected , or ]");
                }
                return l;
            }
            if (c == '"') {
                return string();
            }
            for (String word : List.of("true", "false", "null")) {
                if (s.startsWith(word, i)) {
                    i += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw error("unexpected '" + c + "'");
            }
            return Double.valueOf(s.substring(start, i));
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
            i++;
            return b.toString();
        }

        private void expect(char c) {
            if (s.charAt(i++) != c) {
                throw error("expected '" + c + "'");
            }
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("JSON: " + what + " at offset " + i);
        }
    }
}
