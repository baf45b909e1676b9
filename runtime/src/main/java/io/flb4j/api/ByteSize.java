package io.flb4j.api;

/**
 * A size in bytes, for {@code @ConfigKey} fields written the way Fluent Bit writes sizes:
 * {@code 512}, {@code 64K}, {@code 10M}, {@code 1G} (also {@code KB}, {@code MB}, {@code GB},
 * any case).
 *
 * <pre>{@code
 * @ConfigKey(defaultValue = "5M") ByteSize bufferSize;
 * ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(bufferSize.bytes()));
 * }</pre>
 */
public record ByteSize(long bytes) {
    /** Checks that the size is not negative. */
    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative: " + bytes);
        }
    }

    /** A size of {@code bytes} bytes. */
    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    @Override
    public String toString() {
        return bytes + " bytes";
    }
}
