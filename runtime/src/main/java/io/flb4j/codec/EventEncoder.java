package io.flb4j.codec;

import io.flb4j.api.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * Encodes events as Fluent Bit v2 events, {@code [[EventTime, metadata], record]}. Reusable,
 * not thread-safe: keep one per thread.
 *
 * <p>Values: {@code Map} (String keys), {@code List}/{@code Collection}, arrays of objects,
 * {@code String}/{@code CharSequence}, {@code Long}/{@code Integer}/{@code Short}/{@code Byte},
 * {@code BigInteger} (within 64 bits), {@code Double}/{@code Float}, {@code Boolean},
 * {@code byte[]}, {@code ByteBuffer}, {@code Instant} (as EventTime ext), enums (their name),
 * {@code null}. Anything else fails with an {@link IllegalArgumentException} naming the field
 * path, like {@code user.addresses[2].geo}.
 *
 * <pre>{@code
 * EventEncoder encoder = new EventEncoder();
 * byte[] one = encoder.encode(Event.of(Map.of("message", "hi")));
 * }</pre>
 */
public final class EventEncoder {
    private final MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();

    /** One encoded event. */
    public byte[] encode(Event event) {
        packer.clear();
        write(event, packer);
        return packer.toByteArray();
    }

    /** Appends one encoded event to {@code out}; on an unsupported value, {@code out} holds a partial event. */
    public void write(Event event, MessagePacker out) {
        try {
            out.packArrayHeader(2);
            out.packArrayHeader(2);
            eventTime(out, event.epochSecond(), event.nano());
            map(out, event.metadata(), "metadata");
            map(out, event.record(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A group-start marker carrying the group's metadata and attributes. */
    public static byte[] groupStart(Map<String, ?> metadata, Map<String, ?> attributes) {
        return marker(0xFFFFFFFFL, metadata, attributes);
    }

    /** A group-end marker. */
    public static byte[] groupEnd() {
        return marker(0xFFFFFFFEL, Map.of(), Map.of());
    }

    private static byte[] marker(long seconds, Map<String, ?> metadata, Map<String, ?> attributes) {
        MessageBufferPacker out = MessagePack.newDefaultBufferPacker();
        try {
            out.packArrayHeader(2);
            out.packArrayHeader(2);
            eventTime(out, seconds, 0);
            map(out, metadata, "metadata");
            map(out, attributes, null);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void eventTime(MessagePacker out, long seconds, int nanos) throws IOException {
        out.packExtensionTypeHeader((byte) 0, 8);
        byte[] t = new byte[8];
        ByteBuffer.wrap(t).putInt((int) seconds).putInt(nanos);
        out.writePayload(t);
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

    private static void map(MessagePacker out, Map<?, ?> map, String root) throws IOException {
        try {
            mapBody(out, map);
        } catch (Unsupported u) {
            String path = root == null ? u.path : (root + (u.path.startsWith("[") ? "" : ".") + u.path);
            throw new IllegalArgumentException("cannot encode field '" + path + "': " + (u.reason != null ? u.reason
                    : describe(u.value) + " is not supported; use a Map, List, String, number, Boolean, byte[], Instant or null"));
        }
    }

    private static String describe(Object value) {
        return value instanceof String ? "a non-String map key" : value.getClass().getName();
    }

    private static void mapBody(MessagePacker out, Map<?, ?> map) throws IOException {
        out.packMapHeader(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object key = e.getKey();
            if (!(key instanceof String k)) {
                throw new Unsupported(key == null ? "null key" : key).under(String.valueOf(key));
            }
            out.packString(k);
            try {
                value(out, e.getValue());
            } catch (Unsupported u) {
                throw u.under(k);
            }
        }
    }

    private static void value(MessagePacker out, Object v) throws IOException {
        if (v == null) {
            out.packNil();
        } else if (v instanceof String s) {
            out.packString(s);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            out.packLong(((Number) v).longValue());
        } else if (v instanceof Double d) {
            out.packDouble(d);
        } else if (v instanceof Float f) {
            out.packFloat(f);
        } else if (v instanceof Boolean b) {
            out.packBoolean(b);
        } else if (v instanceof Map<?, ?> m) {
            mapBody(out, m);
        } else if (v instanceof Collection<?> c) {
            list(out, c);
        } else if (v instanceof Object[] array) {
            list(out, java.util.Arrays.asList(array));
        } else if (v instanceof byte[] bytes) {
            out.packBinaryHeader(bytes.length);
            out.writePayload(bytes);
        } else {
            other(out, v);
        }
    }

    private static void other(MessagePacker out, Object v) throws IOException {
        if (v instanceof CharSequence cs) {
            out.packString(cs.toString());
        } else if (v instanceof BigInteger big) {
            // msgpack holds int64 and uint64: -2^63 .. 2^64-1.
            if (big.bitLength() > 64 || (big.signum() < 0 && big.bitLength() > 63)) {
                throw new Unsupported(big, big + " is outside msgpack's integer range (-2^63 to 2^64-1)");
            }
            out.packBigInteger(big);
        } else if (v instanceof ByteBuffer bb) {
            ByteBuffer copy = bb.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            out.packBinaryHeader(bytes.length);
            out.writePayload(bytes);
        } else if (v instanceof Instant t) {
            eventTime(out, t.getEpochSecond(), t.getNano());
        } else if (v instanceof Enum<?> e) {
            out.packString(e.name());
        } else {
            throw new Unsupported(v);
        }
    }

    private static void list(MessagePacker out, Collection<?> c) throws IOException {
        out.packArrayHeader(c.size());
        int i = 0;
        for (Object item : c) {
            try {
                value(out, item);
            } catch (Unsupported u) {
                throw u.under("[" + i + "]");
            }
            i++;
        }
    }
}
