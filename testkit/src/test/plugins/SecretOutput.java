package io.flb4j.testplugins;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.annotations.MetricCounter;
import io.flb4j.api.Counter;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.OutputPlugin;
import jakarta.validation.constraints.Size;

/** An output with a secret key (and a rule on it), a logged key and a metric. PLUGIN_NAME is set by the test. */
@FluentBitOutput(name = "PLUGIN_NAME", description = "connects with a password")
public final class SecretOutput implements OutputPlugin {
    @ConfigKey(secret = true, required = true, description = "Database password") @Size(min = 8, max = 64) String password;
    @ConfigKey(defaultValue = "app", description = "Database user") String user;
    @MetricCounter(name = "flushes_total", help = "Flushes", labels = "user") Counter flushes;

    @Override
    public void init(FluentBit fbit) {
        fbit.logger().info("connecting as %s", user);
    }

    @Override
    public FlushResult flush(String tag, Events events) {
        flushes.add(1, user);
        return FlushResult.OK;
    }
}
