package io.flb4j.host;

import io.flb4j.api.ByteSize;
import io.flb4j.api.Config;
import io.flb4j.config.ConfigException;
import io.flb4j.config.ConfigReader;
import io.flb4j.config.ConfigValues;
import io.flb4j.binding.Flb4jKeys;
import java.time.Duration;

/**
 * How an input instance batches, from flb4j's own keys in the instance's section:
 * {@code flb4j.buffer_limit} (default 16M of native memory: emit blocks beyond it),
 * {@code flb4j.chunk_limit} (default 4M: the largest batch handed to Fluent Bit at once, and so
 * the largest event) and {@code flb4j.linger} (default 20ms: how long a batch that is not full
 * waits for more events).
 */
record InputLimits(long bufferBytes, int batchBytes, Duration linger) {
    static final String BUFFER_KEY = Flb4jKeys.BUFFER_LIMIT;
    static final String CHUNK_KEY = Flb4jKeys.CHUNK_LIMIT;
    static final String LINGER_KEY = Flb4jKeys.LINGER;
    static final String DEFAULT_BUFFER = Flb4jKeys.DEFAULT_BUFFER_LIMIT;
    static final String DEFAULT_CHUNK = Flb4jKeys.DEFAULT_CHUNK_LIMIT;
    static final String DEFAULT_LINGER = Flb4jKeys.DEFAULT_LINGER;

    static InputLimits read(String pluginName, Config config) throws ConfigException {
        ConfigReader reader = new ConfigReader(pluginName, config);
        ByteSize buffer = reader.value(BUFFER_KEY, DEFAULT_BUFFER, false, ConfigValues::parseByteSize, ConfigValues.SIZE_EXPECTED);
        ByteSize chunk = reader.value(CHUNK_KEY, DEFAULT_CHUNK, false, ConfigValues::parseByteSize, ConfigValues.SIZE_EXPECTED);
        Duration linger = reader.value(LINGER_KEY, DEFAULT_LINGER, false, ConfigValues::parseDuration,
                ConfigValues.DURATION_EXPECTED);
        reader.finish();
        if (chunk.bytes() < 1 || chunk.bytes() > Integer.MAX_VALUE - 16 || buffer.bytes() < 1) {
            throw new ConfigException("plugin '" + pluginName + "': invalid configuration: " + CHUNK_KEY + " must be between 1 and 2G and "
                    + BUFFER_KEY + " at least 1");
        }
        return new InputLimits(buffer.bytes(), (int) chunk.bytes(), linger);
    }
}
