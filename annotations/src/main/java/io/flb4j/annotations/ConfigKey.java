package io.flb4j.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a field to a key of the plugin instance's configuration section. The field must be
 * neither private, static nor final, and of a supported type: {@code String},
 * {@code boolean}, {@code int}, {@code long}, {@code double} and their boxes, an enum (read
 * case-insensitively), {@code java.time.Duration} ({@code 500ms}, {@code 5s}, {@code 1m},
 * {@code 1h}, {@code 1d}; a bare number is seconds), {@code io.flb4j.api.ByteSize}
 * ({@code 512}, {@code 64K}, {@code 10M}, {@code 1G}), {@code List<String>} (comma
 * separated, trimmed), {@code java.nio.file.Path}, {@code java.net.URI}, or
 * {@code Optional<T>} of one of these.
 *
 * <pre>{@code
 * @ConfigKey(description = "Port to listen on", defaultValue = "5170") int port;
 * @ConfigKey(name = "tls.verify", defaultValue = "on") boolean tlsVerify;
 * @ConfigKey(required = true) Path path;
 * @ConfigKey Optional<URI> proxy;
 * }</pre>
 *
 * <p>Default values are checked when the plugin compiles: a default that does not parse for
 * the field's type is a compile error.
 *
 * <p>Rules beyond the type are the {@code jakarta.validation.constraints} annotations on the
 * same field ({@code @Min}, {@code @Max}, {@code @Positive}, {@code @PositiveOrZero},
 * {@code @Negative}, {@code @NegativeOrZero}, {@code @Pattern}, {@code @NotBlank},
 * {@code @NotEmpty}, {@code @Size}; {@code javax.validation} works too). The processor checks
 * the default against them and generates the check of the configured value at init; no
 * validator runs, so {@code jakarta.validation-api} is needed only to compile (scope
 * {@code provided}). Example: {@code @ConfigKey(defaultValue = "100") @Min(1) @Max(10000) int batchSize;}
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface ConfigKey {
    /** Marks "no default value"; never a real configuration value. */
    String NO_DEFAULT = "\u0000<no default>";

    /**
     * The key in the Fluent Bit configuration; the field name in snake_case when empty. Matched
     * case-insensitively. Example: {@code @ConfigKey(name = "http_port") int port;} reads
     * {@code http_port 8080}.
     */
    String name() default "";

    /**
     * The value used when the key is absent, written as it would be in the configuration file.
     * Example: {@code @ConfigKey(defaultValue = "5s") Duration timeout;}
     */
    String defaultValue() default NO_DEFAULT;

    /**
     * Whether the instance fails to start when the key is absent. A required key has no default.
     * Example: {@code @ConfigKey(required = true) Path path;}
     */
    boolean required() default false;

    /**
     * What the key does, for the generated docs and error messages. Example:
     * {@code @ConfigKey(description = "File to append to") Path path;}
     */
    String description() default "";

    /**
     * Whether the value is a secret (a password, a token): flb4j never shows it, in a log line,
     * an error message, the generated docs or Fluent Bit's help ({@code -h}), and a secret key
     * has no default to show. Example: {@code @ConfigKey(secret = true, required = true) String password;}
     */
    boolean secret() default false;
}
