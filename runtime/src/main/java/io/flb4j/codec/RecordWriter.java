package io.flb4j.codec;

/**
 * Writes one event record (a msgpack map) field by field into an encoder's buffer: what a
 * generated {@link io.flb4j.codec.RecordMapper} calls. Start with {@link #fields}, then one
 * key and one value per field.
 */
public final class RecordWriter {
    private final EventEncoder encoder;

    RecordWriter(EventEncoder encoder) {
        this.encoder = encoder;
    }

    /** The map header: how many fields follow. */
    public void fields(int count) {
        encoder.writeMapHeader(count);
    }

    /** A field's key. */
    public void key(String key) {
        encoder.writeString(key);
    }

    /** A string value; null writes nil. */
    public void string(String value) {
        encoder.writeString(value);
    }

    /** An integer value. */
    public void longValue(long value) {
        encoder.writeLong(value);
    }

    /** A float value. */
    public void doubleValue(double value) {
        encoder.writeDouble(value);
    }

    /** A boolean value. */
    public void booleanValue(boolean value) {
        encoder.writeBoolean(value);
    }

    /** Any value {@code Event.of} accepts; null writes nil. */
    public void value(Object value) {
        encoder.writeValue(value);
    }
}
