package io.flb4j.host;

import io.flb4j.api.ByteSize;
import io.flb4j.api.Config;
import io.flb4j.config.ConfigException;
import io.flb4j.config.ConfigReader;
import io.flb4j.config.ConfigValues;
import io.flb4j.config.KeptKeys;

/**
 * How much an input instance may queue and hand out at once, from flb4j's own keys in the
 * instance's section: {@code flb4j.buffer_limit} (default 8M: emit blocks beyond it) and
 * {@code flb4j.chunk_limit} (default 2M: the most one collect callback hands Fluent Bit).
 */
record InputLimits(long bufferBytes, int chunkBytes) {
    static final String BUFFER_KEY = KeptKeys.FLB4J_PREFIX + "buffer_limit";
    static final String CHUNK_KEY = KeptKeys.FLB4J_PREFIX + "chunk_limit";
    static final String DEFAULT_BUFFER = "8M";
    static final String DEFAULT_CHUNK = "2M";

    static InputLimits read(String pluginName, Config config) throws ConfigException {
        ConfigReader reader = new ConfigReader(pluginName, config);
        ByteSize buffer = reader.value(BUFFER_KEY, DEFAULT_BUFFER, false, ConfigValues::parseByteSize, ConfigValues.SIZE_EXPECTED);
        ByteSize chunk = reader.value(CHUNK_KEY, DEFAULT_CHUNK, false, ConfigValues::parseByteSize, ConfigValues.SIZE_EXPECTED);
        reader.finish();
        if (chunk.bytes() < 1 || chunk.bytes() > Integer.MAX_VALUE - 16 || buffer.bytes() < 1) {
            throw new ConfigException("plugin '" + pluginName + "': invalid configuration: " + CHUNK_KEY + " must be between 1 and 2G and "
                    + BUFFER_KEY + " at least 1");
        }
        return new InputLimits(buffer.bytes(), (int) chunk.bytes());
    }
}
