package io.flb4j.binding;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys Fluent Bit's core takes from an instance's section before a proxy plugin can read
 * them: {@code get_property} never returns them. The processor rejects a {@code @ConfigKey}
 * bound to one; the testkit and the C test host hide them as Fluent Bit does.
 *
 * <p>Taken from {@code flb_input_set_property} ({@code src/flb_input.c}),
 * {@code flb_output_set_property} ({@code src/flb_output.c}) and {@code flb_custom_set_property}
 * ({@code src/flb_custom.c}) of Fluent Bit 2.2.0, 3.2.10, 4.2.0 and 5.1.1: the union of all four,
 * so a plugin works on each. {@code name} is the section's plugin name. Prefixes: {@code net.}
 * (inputs and outputs, all four), {@code oauth2} (inputs and outputs, 5.0+) and
 * {@code _debug.http.} (outputs, 5.0+).
 */
public final class KeptKeys {
    /** Keys of flb4j's own ({@code flb4j.buffer_limit} …), apart from the plugin's. */
    public static final String FLB4J_PREFIX = "flb4j.";

    private static final List<String> TLS = List.of("tls", "tls.verify", "tls.debug", "tls.ca_path", "tls.ca_file",
            "tls.crt_file", "tls.key_file", "tls.key_passwd", "tls.vhost", "tls.ciphers", "tls.min_version",
            "tls.max_version", "tls.verify_hostname");
    private static final List<String> EVERY = List.of("name", "alias", "log_level", "log_suppress_interval");
    private static final List<String> NETWORK = List.of("host", "port", "ipv6");

    private static final Set<String> INPUT = set(EVERY, NETWORK, TLS, List.of("listen", "tag", "mem_buf_limit",
            "routable", "threaded", "storage.type", "storage.pause_on_chunks_overlimit", "tls.verify_client_cert",
            "thread.ring_buffer.capacity", "thread.ring_buffer.window", "rate_gate", "rate_gate.backpressure",
            "rate_gate.max_bytes", "rate_gate.max_records", "rate_gate.resume_ratio", "rate_window"));
    private static final Set<String> OUTPUT = set(EVERY, NETWORK, TLS, List.of("match", "match_regex",
            "retry_limit", "workers", "storage.total_limit_size", "tls.proxy.ca_file", "tls.proxy.ca_path",
            "tls.proxy.verify", "tls.proxy.verify_hostname", "tls.windows.certstore_name",
            "tls.windows.client_thumbprints", "tls.windows.use_enterprise_store"));
    private static final Set<String> CUSTOM = set(EVERY);

    private static final List<String> INPUT_PREFIXES = List.of("net.", "oauth2");
    private static final List<String> OUTPUT_PREFIXES = List.of("net.", "oauth2", "_debug.http.");

    private KeptKeys() {
    }

    @SafeVarargs
    private static Set<String> set(List<String>... lists) {
        Set<String> all = new TreeSet<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return Set.copyOf(all);
    }

    /** Every kept key of a kind (not the prefixes), lower case, sorted. */
    public static Set<String> of(PluginKind kind) {
        return new TreeSet<>(switch (kind) {
            case INPUT -> INPUT;
            case OUTPUT -> OUTPUT;
            case CUSTOM -> CUSTOM;
        });
    }

    /** The prefixes whose keys Fluent Bit keeps for a kind. */
    public static List<String> prefixes(PluginKind kind) {
        return switch (kind) {
            case INPUT -> INPUT_PREFIXES;
            case OUTPUT -> OUTPUT_PREFIXES;
            case CUSTOM -> List.of();
        };
    }

    /** Whether Fluent Bit keeps {@code key} (any case) of a {@code kind} instance for itself. */
    public static boolean isKept(PluginKind kind, String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return of(kind).contains(k) || prefixes(kind).stream().anyMatch(k::startsWith);
    }

    /**
     * Why a plugin cannot have {@code key}, with a name that works, or empty when it can.
     * Only the reasons of Fluent Bit's core; the {@code flb4j.} prefix is checked apart.
     */
    public static Optional<String> problem(PluginKind kind, String key, String pluginName) {
        if (!isKept(kind, key)) {
            return Optional.empty();
        }
        String suggestion = suggestion(kind, pluginName, key);
        return Optional.of("Fluent Bit keeps '" + key + "' of every " + kind.label()
                + " section for itself and never passes it to a plugin; name the key '" + suggestion
                + "' instead (@ConfigKey(name = \"" + suggestion + "\"))");
    }

    private static String suggestion(PluginKind kind, String pluginName, String key) {
        String base = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        String plain = switch (base) {   // a name that reads well for a receiver's address or a client's server
            case "listen" -> "listen_address";
            case "host", "port" -> "server_" + base;
            default -> pluginName + "_" + base;
        };
        for (String candidate : List.of(plain, pluginName + "_" + base)) {
            if (!isKept(kind, candidate)) {
                return candidate;
            }
        }
        return "my_" + base;
    }
}
