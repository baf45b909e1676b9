package io.flb4j.codec;

import io.flb4j.api.MalformedChunkException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads msgpack in place from a {@link ByteBuffer} with absolute offsets: no copy of the
 * buffer, every read bounds-checked, every failure a {@link MalformedChunkException} with the
 * offset. Skipping is iterative, so hostile nesting cannot exhaust the stack; decoding into
 * Java values stops at {@link #MAX_DEPTH}.
 */
final class MsgpackCursor {
    static final int MAX_DEPTH = 256;

    private final ByteBuffer buf;
    private final int limit;
    private DecodeContext context;
    int pos;

    MsgpackCursor(ByteBuffer buf, int pos) {
        this(buf, pos, null);
    }

    /** A cursor whose strings and keys go through {@code context} (made on first use when null). */
    MsgpackCursor(ByteBuffer buf, int pos, DecodeContext context) {
        this.buf = buf;
        this.limit = buf.limit();
        this.pos = pos;
        this.context = context;
    }

    private DecodeContext context() {
        if (context == null) {
            context = new DecodeContext();
        }
        return context;
    }

    boolean atEnd() {
        return pos >= limit;
    }

    private MalformedChunkException malformed(String what, int at) {
        return new MalformedChunkException(what, at);
    }

    private void need(int n, int at) {
        if (n < 0 || limit - pos < n) {
            throw malformed("truncated: needs " + Integer.toUnsignedString(n) + " more bytes", at);
        }
    }

    int u8() {
        need(1, pos);
        return buf.get(pos++) & 0xff;
    }

    private int u16() {
        need(2, pos);
        int v = buf.getShort(pos) & 0xffff;
        pos += 2;
        return v;
    }

    /** An unsigned 32-bit length; lengths beyond int range cannot fit a buffer and are malformed. */
    private int len32(int at) {
        need(4, pos);
        int v = buf.getInt(pos);
        pos += 4;
        if (v < 0) {
            throw malformed("length " + Integer.toUnsignedString(v) + " exceeds the chunk", at);
        }
        return v;
    }

    long u32() {
        need(4, pos);
        long v = buf.getInt(pos) & 0xffffffffL;
        pos += 4;
        return v;
    }

    private long i64() {
        need(8, pos);
        long v = buf.getLong(pos);
        pos += 8;
        return v;
    }

    /** Reads an array header; returns its size, or -1 (without moving) when the value is not an array. */
    int arrayHeader() {
        return header(0x90, 0xdc, 0xdd);
    }

    /** Reads a map header; returns its size, or -1 (without moving) when the value is not a map. */
    int mapHeader() {
        return header(0x80, 0xde, 0xdf);
    }

    /** A container header: fix form ({@code fixBase} | n &lt; 16), 16-bit or 32-bit count. */
    private int header(int fixBase, int tag16, int tag32) {
        int at = pos;
        int b = u8();
        if ((b & 0xf0) == fixBase) {
            return b & 0x0f;
        }
        if (b == tag16) {
            return u16();
        }
        if (b == tag32) {
            return len32(at);
        }
        pos = at;
        return -1;
    }

    int peek() {
        need(1, pos);
        return buf.get(pos) & 0xff;
    }

    /** Skips one complete value, however deeply nested, without recursion. */
    void skipValue() {
        long pending = 1;
        while (pending > 0) {
            pending--;
            int at = pos;
            int b = u8();
            if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
                continue;
            }
            switch (b >>> 4) {
                case 0x8 -> pending += 2L * (b & 0x0f);
                case 0x9 -> pending += b & 0x0f;
                case 0xa, 0xb -> advance(b & 0x1f, at);
                default -> pending += skipTyped(b, at);
            }
        }
    }

    /** Skips the payload of a typed (0xc4..0xdf) header; returns how many nested values follow. */
    private long skipTyped(int b, int at) {
        switch (b) {
            case 0xc4, 0xd9 -> advance(u8(), at);
            case 0xc5, 0xda -> advance(u16(), at);
            case 0xc6, 0xdb -> advance(len32(at), at);
            case 0xc7 -> advance(u8() + 1, at);
            case 0xc8 -> advance(u16() + 1, at);
            case 0xc9 -> advance(len32(at) + 1L, at);
            case 0xca, 0xce, 0xd2 -> advance(4, at);
            case 0xcb, 0xcf, 0xd3 -> advance(8, at);
            case 0xcc, 0xd0 -> advance(1, at);
            case 0xcd, 0xd1 -> advance(2, at);
            case 0xd4 -> advance(2, at);
            case 0xd5 -> advance(3, at);
            case 0xd6 -> advance(5, at);
            case 0xd7 -> advance(9, at);
            case 0xd8 -> advance(17, at);
            case 0xdc -> {
                return u16();
            }
            case 0xdd -> {
                return len32(at);
            }
            case 0xde -> {
                return 2L * u16();
            }
            case 0xdf -> {
                return 2L * len32(at);
            }
            default -> throw malformed("byte 0xc1 is not valid msgpack", at);
        }
        return 0;
    }

    private void advance(long n, int at) {
        if (n > limit - pos) {
            throw malformed("truncated: value of " + n + " bytes runs past the end", at);
        }
        pos += (int) n;
    }

    /**
     * Reads an event time: EventTime ext (type 0, 8 bytes), an integer or a float of seconds.
     * Returns the seconds; the nanoseconds go to {@code nanosOut[0]}.
     */
    long time(int[] nanosOut) {
        int at = pos;
        int b = u8();
        if (b == 0xd7 || b == 0xc7) {
            if (b == 0xc7 && u8() != 8) {
                throw malformed("event time ext must be 8 bytes", at);
            }
            need(1, pos);
            byte type = buf.get(pos++);
            if (type != 0) {
                throw malformed("event time ext has type " + type + ", expected 0", at);
            }
            long seconds = u32();
            long nanos = u32();
            if (nanos > 999_999_999L) {
                throw malformed("event time nanoseconds " + nanos + " out of range", at);
            }
            nanosOut[0] = (int) nanos;
            return seconds;
        }
        pos = at;
        Object v = readScalarNumber(at);
        if (v instanceof Double d) {
            if (!Double.isFinite(d) || Math.abs(d) > 1e15) {
                throw malformed("event time " + d + " out of range", at);
            }
            long seconds = (long) Math.floor(d);
            nanosOut[0] = (int) Math.min(999_999_999L, Math.round((d - seconds) * 1e9));
            return seconds;
        }
        nanosOut[0] = 0;
        return (Long) v;
    }

    private Object readScalarNumber(int at) {
        int b = peek();
        if (b <= 0x7f || b >= 0xe0 || (b >= 0xca && b <= 0xd3)) {
            Object v = readValue(0);
            if (v instanceof BigInteger) {
                throw malformed("event time out of range", at);
            }
            return v instanceof Float f ? Double.valueOf(f) : v;
        }
        throw malformed("event time must be an EventTime, an integer or a float", at);
    }

    /** Reads a map of String keys; see {@link ChunkDecoder} for how other values map to Java. */
    Map<String, Object> readMap(int depth) {
        int at = pos;
        int n = mapHeader();
        if (n < 0) {
            throw malformed("expected a map", at);
        }
        return mapBody(n, depth, at);
    }

    private Map<String, Object> mapBody(int n, int depth, int at) {
        if (depth >= MAX_DEPTH) {
            throw malformed("nesting deeper than " + MAX_DEPTH, at);
        }
        if (n == 0) {
            return Collections.emptyMap();
        }
        // Every entry takes at least 2 bytes: a larger count cannot be real, so never allocate for it.
        if ((long) n * 2 > limit - pos) {
            throw malformed("map of " + n + " entries runs past the end", at);
        }
        Map<String, Object> map = n <= RecordMap.MAX ? new RecordMap(n) : new LinkedHashMap<>((int) (n / 0.75f) + 1);
        for (int i = 0; i < n; i++) {
            String key = readKey(depth, i);
            map.put(key, readValue(depth + 1));
        }
        return map;
    }

    /** A top-level record's key at field {@code index} (for {@link RecordReader}). */
    String readKeyAt(int index) {
        return readKey(0, index);
    }

    private String readKey(int depth, int index) {
        int at = pos;
        int b = peek();
        if ((b & 0xe0) == 0xa0 || b == 0xd9) {
            pos++;
            int n = (b & 0xe0) == 0xa0 ? b & 0x1f : u8();
            advance(n, at);
            return depth == 0 ? context().fieldKey(buf, pos - n, n, index) : context().key(buf, pos - n, n);
        }
        if (b == 0xda || b == 0xdb) {
            return (String) readValue(depth + 1);
        }
        Object key = readValue(depth + 1);
        return key instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(key);
    }

    Object readValue(int depth) {
        int at = pos;
        int b = u8();
        if (b <= 0x7f) {
            return (long) b;
        }
        if (b >= 0xe0) {
            return (long) (byte) b;
        }
        switch (b >>> 4) {
            case 0x8:
                return mapBody(b & 0x0f, depth, at);
            case 0x9:
                return list(b & 0x0f, depth, at);
            case 0xa:
            case 0xb:
                return string(b & 0x1f, at);
            default:
                return typed(b, depth, at);
        }
    }

    private Object typed(int b, int depth, int at) {
        switch (b) {
            case 0xc0: return null;
            case 0xc2: return Boolean.FALSE;
            case 0xc3: return Boolean.TRUE;
            case 0xc4: return bytes(u8(), at);
            case 0xc5: return bytes(u16(), at);
            case 0xc6: return bytes(len32(at), at);
            case 0xc7: return ext(u8(), at);
            case 0xc8: return ext(u16(), at);
            case 0xc9: return ext(len32(at), at);
            case 0xca: need(4, pos); float f = buf.getFloat(pos); pos += 4; return (double) f;
            case 0xcb: need(8, pos); double d = buf.getDouble(pos); pos += 8; return d;
            case 0xcc: return (long) u8();
            case 0xcd: return (long) u16();
            case 0xce: return u32();
            case 0xcf: long u = i64(); return u >= 0 ? (Object) u : new BigInteger(Long.toUnsignedString(u));
            case 0xd0: need(1, pos); return (long) buf.get(pos++);
            case 0xd1: need(2, pos); short s = buf.getShort(pos); pos += 2; return (long) s;
            case 0xd2: need(4, pos); int i = buf.getInt(pos); pos += 4; return (long) i;
            case 0xd3: return i64();
            case 0xd4: return ext(1, at);
            case 0xd5: return ext(2, at);
            case 0xd6: return ext(4, at);
            case 0xd7: return ext(8, at);
            case 0xd8: return ext(16, at);
            case 0xd9: return string(u8(), at);
            case 0xda: return string(u16(), at);
            case 0xdb: return string(len32(at), at);
            case 0xdc: return list(u16(), depth, at);
            case 0xdd: return list(len32(at), depth, at);
            case 0xde: return mapBody(u16(), depth, at);
            case 0xdf: return mapBody(len32(at), depth, at);
            default: throw malformed("byte 0xc1 is not valid msgpack", at);
        }
    }

    private List<Object> list(int n, int depth, int at) {
        if (depth >= MAX_DEPTH) {
            throw malformed("nesting deeper than " + MAX_DEPTH, at);
        }
        if (n > limit - pos) {
            throw malformed("array of " + n + " items runs past the end", at);
        }
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(readValue(depth + 1));
        }
        return list;
    }

    private String string(int n, int at) {
        advance(n, at);
        return context().string(buf, pos - n, n);
    }

    private byte[] bytes(int n, int at) {
        advance(n, at);
        byte[] out = new byte[n];
        buf.get(pos - n, out, 0, n);
        return out;
    }

    private Object ext(int n, int at) {
        need(1, pos);
        byte type = buf.get(pos++);
        byte[] data = bytes(n, at);
        if (type == 0 && n == 8) {
            ByteBuffer t = ByteBuffer.wrap(data);
            long seconds = t.getInt() & 0xffffffffL;
            long nanos = t.getInt() & 0xffffffffL;
            if (nanos <= 999_999_999L) {
                return Instant.ofEpochSecond(seconds, nanos);
            }
        }
        return new ExtValue(type, data);
    }
}
