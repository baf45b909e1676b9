package io.flb4j.maven;

import io.flb4j.binding.Flb4jKeys;
import io.flb4j.binding.PluginDescriptor;
import io.flb4j.binding.PluginKind;
import io.flb4j.config.Constraint;
import io.flb4j.metrics.MetricNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plugin's reference, made from its descriptor at {@code package} and written beside the
 * {@code .so}: {@code <name>.md}, laid out as Fluent Bit's own plugin pages are (a description,
 * a table of configuration parameters, an example), and {@code <name>.schema.json}, a JSON
 * Schema (2020-12) of the instance's section with flb4j's facts under {@code x-flb4j}. A secret
 * key's default is never written.
 */
public final class PluginDocs {
    private PluginDocs() {}

    /** Writes both files into {@code dir}; returns their paths. */
    public static List<Path> write(PluginDescriptor d, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path md = dir.resolve(d.name() + ".md");
        Path json = dir.resolve(d.name() + ".schema.json");
        Files.writeString(md, markdown(d), StandardCharsets.UTF_8);
        Files.writeString(json, jsonSchema(d), StandardCharsets.UTF_8);
        return List.of(md, json);
    }

    /** The oldest Fluent Bit release that can host the plugin (README, "Fluent Bit releases"). */
    public static String oldestFluentBit(PluginDescriptor d) {
        if (d.kind() == PluginKind.CUSTOM) {
            return "4.0.3";
        }
        return d.kind() == PluginKind.OUTPUT && (d.eventTypes() & ~1) != 0 ? "4.2.3" : "2.2";
    }

    /** The event types the plugin takes or emits. */
    public static List<String> eventTypes(PluginDescriptor d) {
        List<String> types = new ArrayList<>();
        String[] names = {"logs", "metrics", "traces"};
        for (int i = 0; i < names.length; i++) {
            if ((d.eventTypes() & (1 << i)) != 0) {
                types.add(names[i]);
            }
        }
        return types.isEmpty() ? List.of("logs") : types;
    }

    /** A metric's name as Fluent Bit shows it. */
    public static String metricName(PluginDescriptor d, PluginDescriptor.Metric m) {
        return MetricNames.fullName(d.name(), m.name());
    }

    /** A key's text for Fluent Bit's help and the docs: description, then what else holds. */
    public static String helpText(PluginDescriptor.Key k) {
        StringBuilder b = new StringBuilder(k.description().isBlank() ? "(no description)" : k.description().strip());
        if (!b.toString().endsWith(".")) {
            b.append('.');
        }
        if (k.required()) {
            b.append(" Required.");
        }
        for (String c : k.constraints()) {
            b.append(" Must be ").append(Constraint.parse(c).meaning()).append('.');
        }
        if (k.secret()) {
            b.append(" Secret: never shown.");
        }
        return b.toString();
    }

    static String markdown(PluginDescriptor d) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(d.name()).append("\n\n");
        b.append(d.description().isBlank() ? "" : d.description().strip() + "\n\n");
        b.append("A Fluent Bit ").append(d.kind().label()).append(" plugin written with flb4j (").append(d.pluginClass())
                .append("). Events: ").append(String.join(", ", eventTypes(d))).append(". Runs on Fluent Bit ")
                .append(oldestFluentBit(d)).append(" or later; ").append(d.dynamicKeys()
                        ? "it reads keys beyond these (`dynamicKeys`), so Fluent Bit is not told its keys and accepts any.\n\n"
                        : "from 5.1.1, Fluent Bit knows its keys (`-h`, and a misspelled key stops start-up).\n\n");
        b.append("## Configuration parameters\n\n");
        b.append("| Key | Description | Type | Default |\n|---|---|---|---|\n");
        for (PluginDescriptor.Key k : Flb4jKeys.withPluginKeys(d)) {
            String def = k.secret() ? "_(secret)_" : k.defaultValue() == null ? (k.required() ? "_(required)_" : "_none_")
                    : "`" + k.defaultValue() + "`";
            b.append("| `").append(k.name()).append("` | ").append(cell(helpText(k))).append(" | ").append(cell(k.type()))
                    .append(" | ").append(def).append(" |\n");
        }
        if (!d.metrics().isEmpty()) {
            b.append("\n## Metrics\n\n| Name | Type | Help | Labels |\n|---|---|---|---|\n");
            for (PluginDescriptor.Metric m : d.metrics()) {
                List<String> labels = new ArrayList<>(List.of(MetricNames.INSTANCE_LABEL));
                labels.addAll(m.labels());
                b.append("| `").append(metricName(d, m)).append("` | ").append(m.kind()).append(" | ").append(cell(m.help()))
                        .append(" | ").append(String.join(", ", labels)).append(" |\n");
            }
        }
        b.append("\n## Example\n\n```\n[PLUGINS]\n    Path /path/to/").append(d.name()).append(".so\n```\n\n```\n[")
                .append(d.kind().label().toUpperCase(Locale.ROOT)).append("]\n    Name ").append(d.name()).append('\n');
        if (d.kind() == PluginKind.OUTPUT) {
            b.append("    Match *\n");
        } else if (d.kind() == PluginKind.INPUT) {
            b.append("    Tag ").append(d.name()).append('\n');
        }
        for (PluginDescriptor.Key k : d.keys()) {
            if (k.required()) {
                b.append("    ").append(k.name()).append(k.secret() ? " ${" + k.name().toUpperCase(Locale.ROOT)
                        .replaceAll("[^A-Z0-9]", "_") + "}" : " …").append('\n');
            }
        }
        return b.append("```\n").toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    static String jsonSchema(PluginDescriptor d) {
        StringBuilder b = new StringBuilder("{\n");
        field(b, 1, "$schema", str("https://json-schema.org/draft/2020-12/schema"), true);
        field(b, 1, "title", str(d.name()), true);
        field(b, 1, "description", str(d.description()), true);
        field(b, 1, "type", str("object"), true);
        b.append("  \"properties\": {\n");
        List<PluginDescriptor.Key> keys = Flb4jKeys.withPluginKeys(d);
        List<String> required = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            PluginDescriptor.Key k = keys.get(i);
            if (k.required()) {
                required.add(str(k.name()));
            }
            b.append("    ").append(str(k.name())).append(": {\n");
            List<String> parts = new ArrayList<>();
            parts.add(kv("type", str(jsonType(k.valueType()))));
            parts.add(kv("description", str(helpText(k))));
            if (k.defaultValue() != null && !k.secret()) {
                parts.add(kv("default", jsonValue(k.type(), k.defaultValue())));
            }
            for (String c : k.constraints()) {
                parts.addAll(constraint(Constraint.parse(c)));
            }
            if (k.secret()) {
                parts.add(kv("writeOnly", "true"));
            }
            parts.add(kv("x-flb4j-type", str(k.type())));
            b.append("      ").append(String.join(",\n      ", parts)).append("\n    }").append(i + 1 < keys.size() ? ",\n" : "\n");
        }
        b.append("  },\n");
        field(b, 1, "required", "[" + String.join(", ", required) + "]", true);
        b.append("  \"x-flb4j\": {\n");
        field(b, 2, "kind", str(d.kind().label()), true);
        field(b, 2, "name", str(d.name()), true);
        field(b, 2, "class", str(d.pluginClass()), true);
        field(b, 2, "event_types", "[" + String.join(", ", eventTypes(d).stream().map(PluginDocs::str).toList()) + "]", true);
        field(b, 2, "oldest_fluent_bit", str(oldestFluentBit(d)), true);
        field(b, 2, "dynamic_keys", Boolean.toString(d.dynamicKeys()), true);
        b.append("    \"metrics\": [");
        for (int i = 0; i < d.metrics().size(); i++) {
            PluginDescriptor.Metric m = d.metrics().get(i);
            List<String> labels = new ArrayList<>(List.of(str(MetricNames.INSTANCE_LABEL)));
            m.labels().forEach(l -> labels.add(str(l)));
            b.append(i == 0 ? "\n" : ",\n").append("      {").append(kv("name", str(metricName(d, m)))).append(", ")
                    .append(kv("type", str(m.kind()))).append(", ").append(kv("help", str(m.help()))).append(", ")
                    .append(kv("labels", "[" + String.join(", ", labels) + "]")).append("}");
        }
        b.append(d.metrics().isEmpty() ? "]\n" : "\n    ]\n");
        return b.append("  },\n  \"additionalProperties\": true\n}\n").toString();
    }

    private static List<String> constraint(Constraint c) {
        String a = c.argument();
        return switch (c.rule()) {
            case "min" -> List.of(kv("minimum", a));
            case "max" -> List.of(kv("maximum", a));
            case "positive" -> List.of(kv("exclusiveMinimum", "0"));
            case "positiveOrZero" -> List.of(kv("minimum", "0"));
            case "negative" -> List.of(kv("exclusiveMaximum", "0"));
            case "negativeOrZero" -> List.of(kv("maximum", "0"));
            case "pattern" -> List.of(kv("pattern", str("^(?:" + a + ")$")));
            case "notBlank" -> List.of(kv("pattern", str("\\S")));
            case "notEmpty" -> List.of(kv("minLength", "1"));
            default -> List.of(kv("minLength", a.substring(0, a.indexOf(".."))),
                    kv("maxLength", a.substring(a.indexOf("..") + 2)));
        };
    }

    /** The JSON type of a value of descriptor type {@code valueType} (no {@code optional<…>}). */
    private static String jsonType(String valueType) {
        return switch (valueType) {
            case "boolean" -> "boolean";
            case "int", "long" -> "integer";
            case "double" -> "number";
            default -> "string";
        };
    }

    private static String jsonValue(String type, String value) {
        return switch (jsonType(PluginDescriptor.Key.valueType(type))) {
            case "boolean" -> Boolean.toString(io.flb4j.config.ConfigValues.parseBoolean(value));
            case "integer", "number" -> value.strip();
            default -> str(value);
        };
    }

    private static void field(StringBuilder b, int depth, String key, String value, boolean comma) {
        b.append("  ".repeat(depth)).append(kv(key, value)).append(comma ? ",\n" : "\n");
    }

    private static String kv(String key, String value) {
        return str(key) + ": " + value;
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
