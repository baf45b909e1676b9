package io.flb4j.config;

/**
 * A plugin instance's configuration is wrong: a required key is missing or a value does not
 * parse. The message names the plugin, every key at fault, its value and what was expected.
 */
public class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A configuration error whose message names the plugin and every key at fault. */
    public ConfigException(String message) {
        super(message);
    }
}
