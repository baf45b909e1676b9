package io.flb4j.config;

import io.flb4j.api.Config;
import java.util.ArrayList;
import java.util.List;
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

    /** Reads the keys of {@code config}, naming {@code pluginName} in its errors. */
    public ConfigReader(String pluginName, Config config) {
        this.pluginName = pluginName;
        this.config = config;
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
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException e) {
            String why = e.getMessage() == null ? expected : e.getMessage();
            problems.add("key '" + key + "' has value '" + raw + "', expected " + why);
            return null;
        }
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
