package io.flb4j.config;

import io.flb4j.api.Config;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads typed values from an instance's configuration for a generated binding. Problems are
 * collected, so one run reports every wrong key; {@link #finish()} throws them together.
 *
 * <pre>{@code
 * ConfigReader r = new ConfigReader("my_plugin", config);
 * r.bind("port", "5170", false, ConfigValues::parseInt, ConfigValues.INT, v -> plugin.port = v);
 * r.finish();
 * }</pre>
 */
public final class ConfigReader {
    private final String pluginName;
    private final Config config;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, List<Constraint>> rules = new HashMap<>();
    private final List<String> secrets = new ArrayList<>();

    /** Reads the keys of {@code config}, naming {@code pluginName} in its errors. */
    public ConfigReader(String pluginName, Config config) {
        this.pluginName = pluginName;
        this.config = config;
    }

    /**
     * Declares {@code key} secret (its value never appears in an error) and the constraints its
     * value must keep ({@link Constraint#text()} form), before it is read.
     */
    public ConfigReader rules(String key, boolean secret, String... constraints) {
        String k = key.toLowerCase(Locale.ROOT);
        if (secret) {
            secrets.add(k);
        }
        List<Constraint> list = new ArrayList<>();
        for (String c : constraints) {
            list.add(Constraint.parse(c));
        }
        rules.put(k, list);
        return this;
    }

    /** Whether {@code key} was declared secret. */
    public boolean isSecret(String key) {
        return secrets.contains(key.toLowerCase(Locale.ROOT));
    }

    /**
     * The parsed value of {@code key}; its default when absent; {@code null} when absent
     * without default, or when the value is wrong (then the problem is recorded).
     *
     * @param defaultValue the default as written in configuration, or {@code null} for none
     */
    public <T> T value(String key, String defaultValue, boolean required,
                       Function<String, T> parser, String expected) {
        Optional<String> configured = config.get(key);
        if (configured.isEmpty()) {
            if (required) {
                problems.add("missing required key '" + key + "' (expected " + expected + ")");
                return null;
            }
            return defaultValue == null ? null : parser.apply(defaultValue);
        }
        String raw = configured.get();
        boolean secret = isSecret(key);
        String shown = secret ? "key '" + key + "' has a value (not shown: the key is secret)"
                : "key '" + key + "' has value '" + raw + "'";
        T parsed;
        try {
            parsed = parser.apply(raw);
        } catch (IllegalArgumentException e) {
            // A parser's own message may quote the value: a secret's never is.
            String why = e.getMessage() == null || secret ? expected : e.getMessage();
            problems.add(shown + ", expected " + why);
            return null;
        }
        for (Constraint c : rules.getOrDefault(key.toLowerCase(Locale.ROOT), List.of())) {
            var broken = c.violation(parsed, raw);
            if (broken.isPresent()) {
                problems.add(shown + ", which breaks " + c.annotation() + ": it must be " + broken.get());
                return null;
            }
        }
        return parsed;
    }

    /**
     * Reads {@code key} like {@link #value} and hands a non-null result to {@code field}, so a
     * field keeps its initial value when the key is absent without default or wrong.
     */
    public <T> void bind(String key, String defaultValue, boolean required, Function<String, T> parser,
                         String expected, Consumer<? super T> field) {
        T value = value(key, defaultValue, required, parser, expected);
        if (value != null) {
            field.accept(value);
        }
    }

    /** Like {@link #value} for an {@code Optional<T>} field: empty when absent without default or wrong. */
    public <T> Optional<T> optional(String key, String defaultValue,
                                    Function<String, T> parser, String expected) {
        return Optional.ofNullable(value(key, defaultValue, false, parser, expected));
    }

    /** Throws one exception listing every problem found, if any. */
    public void finish() throws ConfigException {
        if (problems.isEmpty()) {
            return;
        }
        String prefix = "plugin '" + pluginName + "': invalid configuration: ";
        throw new ConfigException(prefix + String.join("; ", problems));
    }
}
