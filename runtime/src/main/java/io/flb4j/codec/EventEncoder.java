package io.flb4j.codec;

import io.flb4j.api.Event;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * Encodes events as Fluent Bit v2 events, {@code [[EventTime, metadata], record]}, into a buffer
 * of its own that it reuses: an input's hot path, so nothing is allocated per event for the
 * common values (strings are written as UTF-8 in place). Reusable, not thread-safe: keep one per
 * thread.
 *
 * <p>Values: {@code Map} (String keys), {@code List}/{@code Collection}, arrays of objects,
 * {@code String}/{@code CharSequence}, {@code Long}/{@code Integer}/{@code Short}/{@code Byte},
 * {@code BigInteger} (within 64 bits), {@code Double}/{@code Float}, {@code Boolean},
 * {@code byte[]}, {@code ByteBuffer}, {@code Instant} (its ISO-8601 text), enums (their name),
 * {@code null}. Anything else fails with an {@link IllegalArgumentException} naming the field
 * path, like {@code user.addresses[2].geo}.
 *
 * <pre>{@code
 * EventEncoder encoder = new EventEncoder();
 * byte[] one = encoder.encode(Event.of(Map.of("message", "hi")));
 * }</pre>
 */
public final class EventEncoder {
    /** The EventTime seconds of a group-start marker (0xFFFFFFFF; -1 as a signed integer). */
    static final long GROUP_START_SECONDS = 0xFFFFFFFFL;
    /** The EventTime seconds of a group-end marker (0xFFFFFFFE; -2 as a signed integer). */
    static final long GROUP_END_SECONDS = 0xFFFFFFFEL;

    private byte[] buf;
    private int len;

    /** An encoder with a buffer of its own. */
    public EventEncoder() {
        this(new byte[4096]);
    }

    /**
     * An encoder that writes into {@code buffer} (not copied) until an event needs more room; then
     * into a larger copy, which {@link #buffer()} returns. Lets a caller keep the buffer, a JDK
     * array, between encoders.
     */
    public EventEncoder(byte[] buffer) {
        this.buf = buffer.length == 0 ? new byte[4096] : buffer;
    }

    /** One encoded event, as a new array. */
    public byte[] encode(Event event) {
        return Arrays.copyOf(buffer(), encodeInPlace(event));
    }

    /**
     * Encodes one event into this encoder's buffer and returns its length; the bytes are
     * {@code buffer()[0 .. length)}, valid until the next call.
     */
    public int encodeInPlace(Event event) {
        len = 0;
        writeEvent(event.epochSecond(), event.nano(), event.metadata(), event.record());
        return len;
    }

    /**
     * Encodes an event whose record is {@code value}, written field by field by its generated
     * mapper (no intermediate map), into this encoder's buffer; returns its length.
     */
    public <R> int encodeInPlace(long epochSecond, int nano, RecordMapper<R> mapper, R value) {
        len = 0;
        eventHeader(epochSecond, nano);
        mapHeader(0);
        mapper.write(value, writer);
        return len;
    }

    private final RecordWriter writer = new RecordWriter(this);

    void writeMapHeader(int n) {
        mapHeader(n);
    }

    void writeString(String s) {
        if (s == null) {
            writeNil();
        } else {
            string(s);
        }
    }

    void writeLong(long v) {
        integer(v);
    }

    void writeDouble(double d) {
        ensure(9);
        u8(0xcb);
        u64(Double.doubleToRawLongBits(d));
    }

    void writeBoolean(boolean b) {
        ensure(1);
        u8(b ? 0xc3 : 0xc2);
    }

    void writeNil() {
        ensure(1);
        u8(0xc0);
    }

    void writeValue(Object v) {
        value(v);
    }

    /** The buffer {@link #encodeInPlace} wrote into. */
    public byte[] buffer() {
        return buf;
    }

    /** A group-start marker carrying the group's metadata and attributes. */
    public static byte[] groupStart(Map<String, ?> metadata, Map<String, ?> attributes) {
        return marker(GROUP_START_SECONDS, metadata, attributes);
    }

    /** A group-end marker. */
    public static byte[] groupEnd() {
        return marker(GROUP_END_SECONDS, Map.of(), Map.of());
    }

    private static byte[] marker(long seconds, Map<String, ?> metadata, Map<String, ?> attributes) {
        EventEncoder e = new EventEncoder();
        e.writeEvent(seconds, 0, metadata, attributes);
        return Arrays.copyOf(e.buf, e.len);
    }

    private void writeEvent(long seconds, int nanos, Map<?, ?> metadata, Map<?, ?> record) {
        eventHeader(seconds, nanos);
        map(metadata, "metadata");
        map(record, null);
    }

    /** {@code [[EventTime,} : an event of two, its header of two, the time; the metadata map follows. */
    private void eventHeader(long seconds, int nanos) {
        ensure(2);
        u8(0x92);
        u8(0x92);
        eventTime(seconds, nanos);
    }

    // --- msgpack, written in place ------------------------------------------------------------

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    private void u8(int v) {
        buf[len++] = (byte) v;
    }

    private void u16(int v) {
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void u32(long v) {
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void u64(long v) {
        u32(v >>> 32);
        u32(v);
    }

    private void eventTime(long seconds, int nanos) {
        ensure(10);
        u8(0xd7);   // fixext 8, type 0: EventTime
        u8(0);
        u32(seconds);
        u32(nanos);
    }

    /** A header of a map (0x80/0xde/0xdf), array (0x90/0xdc/0xdd) or str (0xa0/0xd9/0xda/0xdb) of n. */
    private void header(int fix, int fixMax, int s8, int s16, int s32, int n) {
        ensure(5);
        if (n <= fixMax) {
            u8(fix | n);
        } else if (s8 != 0 && n <= 0xff) {
            u8(s8);
            u8(n);
        } else if (n <= 0xffff) {
            u8(s16);
            u16(n);
        } else {
            u8(s32);
            u32(n);
        }
    }

    private void mapHeader(int n) {
        header(0x80, 15, 0, 0xde, 0xdf, n);
    }

    private void arrayHeader(int n) {
        header(0x90, 15, 0, 0xdc, 0xdd, n);
    }

    private void binary(byte[] bytes, int offset, int length) {
        header(0, -1, 0xc4, 0xc5, 0xc6, length);
        ensure(length);
        System.arraycopy(bytes, offset, buf, len, length);
        len += length;
    }

    private void string(CharSequence s) {
        int chars = s.length();
        int bytes = utf8Length(s, chars);
        header(0xa0, 31, 0xd9, 0xda, 0xdb, bytes);
        ensure(bytes);
        if (bytes == chars) {
            for (int i = 0; i < chars; i++) {
                buf[len++] = (byte) s.charAt(i);
            }
            return;
        }
        for (int i = 0; i < chars; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                u8(c);
            } else if (c < 0x800) {
                u8(0xc0 | c >>> 6);
                u8(0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                u8(0xf0 | cp >>> 18);
                u8(0x80 | cp >>> 12 & 0x3f);
                u8(0x80 | cp >>> 6 & 0x3f);
                u8(0x80 | cp & 0x3f);
            } else {
                int v = Character.isSurrogate(c) ? '?' : c;   // a lone surrogate, as String.getBytes writes it
                if (v == '?') {
                    u8(v);
                } else {
                    u8(0xe0 | v >>> 12);
                    u8(0x80 | v >>> 6 & 0x3f);
                    u8(0x80 | v & 0x3f);
                }
            }
        }
    }

    private static int utf8Length(CharSequence s, int chars) {
        int n = 0;
        for (int i = 0; i < chars; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += Character.isSurrogate(c) ? 1 : 3;
            }
        }
        return n;
    }

    private void integer(long v) {
        ensure(9);
        if (v >= 0) {
            if (v < 128) {
                u8((int) v);
            } else if (v < 0x100) {
                u8(0xcc);
                u8((int) v);
            } else if (v < 0x10000) {
                u8(0xcd);
                u16((int) v);
            } else if (v < 0x100000000L) {
                u8(0xce);
                u32(v);
            } else {
                u8(0xcf);
                u64(v);
            }
        } else if (v >= -32) {
            u8((int) v & 0xff);
        } else if (v >= Byte.MIN_VALUE) {
            u8(0xd0);
            u8((int) v);
        } else if (v >= Short.MIN_VALUE) {
            u8(0xd1);
            u16((int) v);
        } else if (v >= Integer.MIN_VALUE) {
            u8(0xd2);
            u32(v);
        } else {
            u8(0xd3);
            u64(v);
        }
    }

    /** Path segments are built only on failure, as the exception unwinds. */
    private static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Object value;
        final String reason;
        String path = "";

        Unsupported(Object value) {
            this(value, null);
        }

        Unsupported(Object value, String reason) {
            super(null, null, false, false);
            this.value = value;
            this.reason = reason;
        }

        Unsupported under(String segment) {
            path = path.isEmpty() || path.startsWith("[") ? segment + path : segment + "." + path;
            return this;
        }
    }

    private void map(Map<?, ?> map, String root) {
        try {
            mapBody(map);
        } catch (Unsupported u) {
            String path = root == null ? u.path : (root + (u.path.startsWith("[") ? "" : ".") + u.path);
            throw new IllegalArgumentException("cannot encode field '" + path + "': " + (u.reason != null ? u.reason
                    : describe(u.value) + " is not supported; use a Map, List, String, number, Boolean, byte[], Instant, a date "
                    + "or time, UUID, enum or null"));
        }
    }

    private static String describe(Object value) {
        return value instanceof String ? "a non-String map key" : value.getClass().getName();
    }

    private void mapBody(Map<?, ?> map) {
        mapHeader(map.size());
        if (map.isEmpty()) {
            return;   // no iterator for the usual empty metadata
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object key = e.getKey();
            if (!(key instanceof String k)) {
                throw new Unsupported(key == null ? "null key" : key).under(String.valueOf(key));
            }
            string(k);
            try {
                value(e.getValue());
            } catch (Unsupported u) {
                throw u.under(k);
            }
        }
    }

    private void value(Object v) {
        if (v == null) {
            ensure(1);
            u8(0xc0);
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            integer(((Number) v).longValue());
        } else if (v instanceof Double d) {
            writeDouble(d);
        } else if (v instanceof Float f) {
            ensure(5);
            u8(0xca);
            u32(Float.floatToRawIntBits(f) & 0xffffffffL);
        } else if (v instanceof Boolean b) {
            ensure(1);
            u8(b ? 0xc3 : 0xc2);
        } else if (v instanceof Map<?, ?> m) {
            mapBody(m);
        } else if (v instanceof Collection<?> c) {
            list(c);
        } else if (v instanceof Object[] array) {
            list(Arrays.asList(array));
        } else if (v instanceof byte[] bytes) {
            binary(bytes, 0, bytes.length);
        } else {
            other(v);
        }
    }

    private void other(Object v) {
        if (v instanceof CharSequence cs) {
            string(cs);
        } else if (v instanceof BigInteger big) {
            // msgpack holds int64 and uint64: -2^63 .. 2^64-1.
            if (big.bitLength() > 64 || (big.signum() < 0 && big.bitLength() > 63)) {
                throw new Unsupported(big, big + " is outside msgpack's integer range (-2^63 to 2^64-1)");
            }
            if (big.bitLength() <= 63) {
                integer(big.longValue());
            } else {
                ensure(9);
                u8(0xcf);
                u64(big.longValue());
            }
        } else if (v instanceof ByteBuffer bb) {
            ByteBuffer copy = bb.duplicate();
            header(0, -1, 0xc4, 0xc5, 0xc6, copy.remaining());
            ensure(copy.remaining());
            int n = copy.remaining();
            copy.get(buf, len, n);
            len += n;
        } else if (v instanceof Instant t) {
            string(t.toString());   // never an EventTime ext in a record: see common
        } else if (v instanceof Enum<?> e) {
            string(e.name());
        } else {
            common(v);
        }
    }

    /**
     * What a JDBC row or a library's object commonly holds: a point in time is its ISO-8601 text,
     * as an {@code Instant} is (a {@code java.util.Date} or {@code java.sql.Timestamp} in UTC with
     * every digit of its fraction, an {@code OffsetDateTime} or a {@code ZonedDateTime} with its
     * offset), never an EventTime ext: Fluent Bit writes an ext in a record as {@code "\x6b\x0f…"},
     * which is not even JSON, in every output that formats JSON. A date or time without a zone is
     * its ISO text too ({@code java.sql.Date}, {@code java.sql.Time}, {@code LocalDate},
     * {@code LocalDateTime}, …), as is a {@code UUID}; a {@code BigDecimal} or another
     * {@code Number} is a float, or an
     * integer when it is an integral type (an {@code AtomicLong}), as Fluent Bit's own JSON parser
     * makes numbers; a {@code Character} a one-letter string.
     */
    private void common(Object v) {
        if (v instanceof java.util.Date d) {
            String type = d.getClass().getName();
            if (type.equals("java.sql.Date") || type.equals("java.sql.Time")) {
                string(d.toString());   // a day or a time of day with no zone: 2024-05-01, 13:45:00
            } else {
                string(d.toInstant().toString());   // java.sql.Timestamp keeps its nanoseconds
            }
        } else if (v instanceof java.time.ZonedDateTime t) {
            string(t.toOffsetDateTime().toString());   // the offset, not the zone's [Region/City]
        } else if (v instanceof java.time.temporal.TemporalAccessor || v instanceof java.util.UUID
                || v instanceof java.time.Duration || v instanceof java.time.Period) {
            string(v.toString());
        } else if (v instanceof java.util.concurrent.atomic.AtomicInteger || v instanceof java.util.concurrent.atomic.AtomicLong
                || v instanceof java.util.concurrent.atomic.LongAdder) {
            integer(((Number) v).longValue());
        } else if (v instanceof Number n) {
            writeDouble(n.doubleValue());
        } else if (v instanceof Character c) {
            string(c.toString());
        } else {
            throw new Unsupported(v);
        }
    }

    private void list(Collection<?> c) {
        arrayHeader(c.size());
        int i = 0;
        for (Object item : c) {
            try {
                value(item);
            } catch (Unsupported u) {
                throw u.under("[" + i + "]");
            }
            i++;
        }
    }
}
