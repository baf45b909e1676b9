package io.flb4j.host;

import io.flb4j.api.Config;
import io.flb4j.config.ConfigException;
import io.flb4j.config.ConfigReader;
import io.flb4j.config.ConfigValues;
import io.flb4j.binding.Flb4jKeys;
import java.time.Duration;

/**
 * How an output instance runs its flushes, from flb4j's own keys in the instance's section:
 * {@code flb4j.flush_timeout} (default 20s: a flush not answered by then is answered RETRY) and
 * {@code flb4j.max_flushes} (how many flushes of the instance run at once: 1 unless the plugin
 * declares {@code concurrentFlush = true}, then default 4).
 *
 * <p>Why 20 seconds: Kubernetes gives a pod 30 s between SIGTERM and SIGKILL and Fluent Bit's
 * own {@code grace} is 5 s, so a hung flush must give up well before 25 s for Fluent Bit to stop
 * cleanly; and it is twice Fluent Bit's default {@code net.connect_timeout} (10 s), so a client
 * library's own connect timeout fires first and the plugin sees its exception.
 */
record FlushLimits(Duration timeout, int maxFlushes) {
    static final String TIMEOUT_KEY = Flb4jKeys.FLUSH_TIMEOUT;
    static final String MAX_FLUSHES_KEY = Flb4jKeys.MAX_FLUSHES;
    static final String DEFAULT_TIMEOUT = Flb4jKeys.DEFAULT_FLUSH_TIMEOUT;
    static final int DEFAULT_CONCURRENT = Flb4jKeys.DEFAULT_CONCURRENT_FLUSHES;
    /** More threads than this per instance only adds memory; Fluent Bit rarely has more tasks of one output in flight. */
    static final int MAX_CONCURRENT = 64;

    static FlushLimits read(String pluginName, Config config, boolean concurrentFlush) throws ConfigException {
        ConfigReader reader = new ConfigReader(pluginName, config);
        Duration timeout = reader.value(TIMEOUT_KEY, DEFAULT_TIMEOUT, false, ConfigValues::parseDuration,
                ConfigValues.DURATION_EXPECTED);
        Integer max = reader.value(MAX_FLUSHES_KEY, concurrentFlush ? String.valueOf(DEFAULT_CONCURRENT) : "1", false,
                ConfigValues::parseInt, ConfigValues.INT);
        reader.finish();
        Instance.aboveZero(pluginName, config, TIMEOUT_KEY, timeout);
        String prefix = "plugin '" + pluginName + "': invalid configuration: ";
        if (max < 1 || max > MAX_CONCURRENT) {
            throw new ConfigException(prefix + "key '" + MAX_FLUSHES_KEY + "' has value '" + max
                    + "', expected a whole number from 1 to " + MAX_CONCURRENT);
        }
        if (max > 1 && !concurrentFlush) {
            throw new ConfigException(prefix + "key '" + MAX_FLUSHES_KEY + "' has value '" + max
                    + "', but the plugin's flush is not declared thread-safe (@FluentBitOutput(concurrentFlush = true)); "
                    + "its flushes run one at a time");
        }
        return new FlushLimits(timeout, max);
    }
}
