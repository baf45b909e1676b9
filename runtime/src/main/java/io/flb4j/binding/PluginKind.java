package io.flb4j.binding;

import java.util.Locale;

/** The three kinds of plugin, with Fluent Bit's {@code flb_plugin_proxy_def.type} numbers. */
public enum PluginKind {
    INPUT(1),
    OUTPUT(2),
    CUSTOM(3);

    private final int proxyType;

    PluginKind(int proxyType) {
        this.proxyType = proxyType;
    }

    public int proxyType() {
        return proxyType;
    }

    /** {@code input}, {@code output} or {@code custom}: as written in descriptors and docs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PluginKind ofLabel(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }
}
