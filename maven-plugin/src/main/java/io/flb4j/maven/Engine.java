package io.flb4j.maven;

import java.util.List;
import java.util.Locale;

/**
 * What runs the plugin's Java code inside Fluent Bit. Both engines share the shim's exports,
 * worker threads, hand-off and host calls; each adds only how it starts, attaches and calls.
 */
public enum Engine {
    /** The default: a JVM found at run time; the bundle is the plugin jar. */
    JVM(List.of("jvm.c", "generation.c", "natives.c", "signals.c", "leaks.c", "libraries.c", "heappath.c",
            "trim.c", "jvm_malloc.c")),
    /** A GraalVM native image; the bundle is the shared library native-image built. */
    GRAAL(List.of("graal.c"));

    /** The shim's sources every engine compiles. */
    static final List<String> COMMON = List.of("shim.c", "dispatch.c", "host.c", "hostcalls.c", "bundle.c",
            "input.c", "flush.c", "workers.c", "bundle.S");
    /** Headers and the export map, beside the sources. */
    static final List<String> HEADERS = List.of("shim.h", "jvm.h", "flb4j_abi.h", "exports.map");

    private final List<String> sources;

    Engine(List<String> sources) {
        this.sources = sources;
    }

    /** The C and assembly files this engine's .so is compiled from. */
    List<String> sources() {
        return java.util.stream.Stream.concat(COMMON.stream(), sources.stream()).toList();
    }

    /** {@code jvm} or {@code graal}, as the {@code flb4j.engine} property spells it. */
    static Engine of(String name) {
        for (Engine e : values()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown engine '" + name + "'; use jvm (the default) or graal");
    }
}
