package io.flb4j.host;

import io.flb4j.api.Config;
import io.flb4j.api.CustomPlugin;

/** A custom plugin instance: init and close, nothing in between. */
final class CustomInstance extends Instance {
    private final CustomPlugin plugin;

    CustomInstance(int id, long nativeInstance, String pluginName, HostApi api, Config config, ClassLoader loader,
                   CustomPlugin plugin) {
        super(id, nativeInstance, pluginName, api, config, loader);
        this.plugin = plugin;
    }

    @Override
    void init() throws Exception {
        plugin.init(this);
    }

    @Override
    void closePlugin() throws Exception {
        plugin.close();
    }
}
