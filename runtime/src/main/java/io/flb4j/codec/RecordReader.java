package io.flb4j.codec;

import io.flb4j.api.FieldTypeException;
import io.flb4j.api.FieldValues;
import io.flb4j.api.MissingFieldException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Reads one event record (a msgpack map) field by field, in place: what a generated
 * {@link io.flb4j.codec.RecordMapper} calls. Each typed read names the field in its error,
 * and a nil value reads as absent. Once every field is read, the mapper calls {@link #done()}
 * before it builds the record: the chunk is let go first, so a record's constructor (plugin
 * code, which may block) never holds up the end of a flush.
 */
public final class RecordReader {
    private final MsgpackCursor cursor;
    private final String typeName;
    private final ChunkMemory chunk;
    private int index;
    private int end = -1;

    /** Reads the record at {@code at} of {@code chunk}, which the caller has entered ({@link ChunkMemory#enter()}). */
    RecordReader(ChunkMemory chunk, ByteBuffer buf, int at, DecodeContext context, String typeName) {
        this.cursor = new MsgpackCursor(buf, at, context);
        this.typeName = typeName;
        this.chunk = chunk;
    }

    /**
     * Ends the reads of this record: every field was read or skipped, and the chunk it came from
     * may be let go. Reads after it are not allowed; calling it again does nothing.
     */
    public void done() {
        if (end < 0) {
            end = cursor.pos;
            chunk.exit();
        }
    }

    /** Whether {@link #done()} was called. */
    boolean isDone() {
        return end >= 0;
    }

    /** Where the record's bytes end, once every field was read or skipped. */
    int end() {
        return end >= 0 ? end : cursor.pos;
    }

    /** Reads the map header: how many fields follow. */
    public int fields() {
        int at = cursor.pos;
        int n = cursor.mapHeader();
        if (n < 0) {
            throw new io.flb4j.api.MalformedChunkException("event record must be a map", at);
        }
        index = 0;
        return n;
    }

    /** The next field's key; read its value or {@link #skip} it next. */
    public String key() {
        return cursor.readKeyAt(index++);
    }

    /** Passes over the value of a field the record does not name. */
    public void skip() {
        cursor.skipValue();
    }

    /** The value as {@code Event.record()} would give it (String, Long, Double, Map, List, ...). */
    public Object value() {
        return cursor.readValue(1);
    }

    /** A string, or null for nil. */
    public String string(String field) {
        return FieldValues.string(value(), subject(field));
    }

    /** An integer, or null for nil; a float with no fraction is accepted. */
    public Long optionalLong(String field) {
        return FieldValues.longValue(value(), subject(field));
    }

    /** An integer that fits an int, or null for nil. */
    public Integer optionalInt(String field) {
        Long v = optionalLong(field);
        if (v == null) {
            return null;
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new FieldTypeException(subject(field) + " is " + v + ", which does not fit an int");
        }
        return v.intValue();
    }

    /** A number as a double, or null for nil. */
    public Double optionalDouble(String field) {
        return FieldValues.doubleValue(value(), subject(field));
    }

    /** A boolean, or null for nil. */
    public Boolean optionalBoolean(String field) {
        return FieldValues.booleanValue(value(), subject(field));
    }

    /** A map, or null for nil. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String field) {
        Object v = value();
        if (v == null || v instanceof Map) {
            return (Map<String, Object>) v;
        }
        throw FieldValues.wrong(subject(field), v, "a map");
    }

    /** An array, or null for nil. */
    @SuppressWarnings("unchecked")
    public List<Object> list(String field) {
        Object v = value();
        if (v == null || v instanceof List) {
            return (List<Object>) v;
        }
        throw FieldValues.wrong(subject(field), v, "an array");
    }

    /** The error for a primitive component whose field the record lacks (or holds nil). */
    public MissingFieldException missing(String field) {
        return new MissingFieldException("the record has no field '" + field + "', which " + typeName + " needs");
    }

    private String subject(String field) {
        return "field '" + field + "' of " + typeName;
    }
}
