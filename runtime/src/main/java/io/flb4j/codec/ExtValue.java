package io.flb4j.codec;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A msgpack extension value inside a record that is not an EventTime (an EventTime ext, type 0
 * with 8 bytes, decodes to {@link java.time.Instant}).
 *
 * <pre>{@code
 * if (value instanceof ExtValue ext && ext.type() == 42) { ... ext.data() ... }
 * }</pre>
 */
public record ExtValue(byte type, byte[] data) {
    @Override
    public boolean equals(Object o) {
        return o instanceof ExtValue e && e.type == type && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "ext(" + type + ", " + HexFormat.of().formatHex(data) + ")";
    }
}
