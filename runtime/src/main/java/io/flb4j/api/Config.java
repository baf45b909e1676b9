package io.flb4j.api;

import java.util.Optional;

/**
 * The raw configuration of one plugin instance. Keys match case-insensitively, as in Fluent
 * Bit. Typed access is what {@code @ConfigKey} fields are for; this is for the rest.
 *
 * <pre>{@code
 * String region = fbit.config().get("region").orElse("eu-west-1");
 * }</pre>
 */
@FunctionalInterface
public interface Config {
    /** The value of {@code key} as written in the configuration, or empty when it is not set. */
    Optional<String> get(String key);
}
