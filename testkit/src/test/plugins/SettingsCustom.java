package io.flb4j.testplugins;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitCustom;
import io.flb4j.api.CustomPlugin;
import io.flb4j.api.FluentBit;

/** A custom plugin with a secret key: PLUGIN_NAME is set by the test. */
@FluentBitCustom(name = "PLUGIN_NAME", description = "reads a token")
public final class SettingsCustom implements CustomPlugin {
    @ConfigKey(secret = true, description = "API token") String token;

    @Override
    public void init(FluentBit fbit) {
        fbit.logger().info("custom started");
    }
}
