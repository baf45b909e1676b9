package io.flb4j.host;

import io.flb4j.api.Config;
import java.util.Optional;

/**
 * An instance's section, read from Fluent Bit on each {@link #get}. After the instance is gone
 * (Fluent Bit frees it right after exit) a read fails in Java instead of reaching freed memory.
 */
final class InstanceConfig implements Config {
    private final HostApi api;
    private final long instance;
    private final String pluginName;
    private volatile boolean detached;

    InstanceConfig(HostApi api, long instance, String pluginName) {
        this.api = api;
        this.instance = instance;
        this.pluginName = pluginName;
    }

    void detach() {
        detached = true;
    }

    @Override
    public Optional<String> get(String key) {
        if (detached) {
            throw new IllegalStateException("plugin '" + pluginName + "': the instance has stopped, so its configuration "
                    + "can no longer be read (key '" + key + "'); read what you need at init");
        }
        return Optional.ofNullable(api.property(instance, key));
    }
}
