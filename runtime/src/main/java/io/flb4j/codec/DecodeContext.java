package io.flb4j.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the records of one chunk share while they decode on the thread that received it: a
 * scratch array for reading strings out of native memory, and the map keys seen so far, so
 * that a key repeated in every event becomes one {@code String}, not one per event. A record
 * decoded on another thread gets a context of its own ({@link #forThisThread}).
 */
final class DecodeContext {
    private static final int KEY_SLOTS = 256;
    private static final int MAX_KEY = 48;

    /** Top-level record fields remembered by position: records of one chunk mostly share their keys. */
    private static final int FIELD_SLOTS = 32;

    private final Thread owner = Thread.currentThread();
    private byte[] scratch = new byte[128];
    private byte[][] keyBytes;
    private String[] keys;
    private String[] fieldKey;
    private long[] fieldHigh;
    private long[] fieldLow;
    private int[] fieldLength;

    /** This context on its own thread; a fresh one on any other. */
    DecodeContext forThisThread() {
        return owner == Thread.currentThread() ? this : new DecodeContext();
    }

    /** The bytes {@code [start, start + n)} of {@code buf}, in a scratch array (valid until the next call). */
    private byte[] read(ByteBuffer buf, int start, int n) {
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        buf.get(start, scratch, 0, n);
        return scratch;
    }

    String string(ByteBuffer buf, int start, int n) {
        if (buf.hasArray()) {
            return new String(buf.array(), buf.arrayOffset() + start, n, StandardCharsets.UTF_8);
        }
        return new String(read(buf, start, n), 0, n, StandardCharsets.UTF_8);
    }

    /**
     * The key of field {@code index} of a record (a top-level map): compared in place, as two
     * longs read from the buffer, with the key the previous record had at that position; the
     * common case of a chunk whose records share their keys costs no copy and no hashing.
     */
    String fieldKey(ByteBuffer buf, int start, int n, int index) {
        if (index >= FIELD_SLOTS || n > 16 || start + 16 > buf.limit()) {
            return key(buf, start, n);
        }
        long high = buf.getLong(start) & mask(n);
        long low = n > 8 ? buf.getLong(start + 8) & mask(n - 8) : 0;
        if (fieldKey == null) {
            fieldKey = new String[FIELD_SLOTS];
            fieldHigh = new long[FIELD_SLOTS];
            fieldLow = new long[FIELD_SLOTS];
            fieldLength = new int[FIELD_SLOTS];
        }
        if (fieldKey[index] != null && fieldLength[index] == n && fieldHigh[index] == high && fieldLow[index] == low) {
            return fieldKey[index];
        }
        String k = key(buf, start, n);
        fieldKey[index] = k;
        fieldHigh[index] = high;
        fieldLow[index] = low;
        fieldLength[index] = n;
        return k;
    }

    /** The first {@code n} bytes of a big-endian long (all of it from 8 on). */
    private static long mask(int n) {
        return n >= 8 ? -1L : n <= 0 ? 0L : -1L << (8 * (8 - n));
    }

    /** A map key: the same {@code String} every time the same short key comes again. */
    String key(ByteBuffer buf, int start, int n) {
        if (n > MAX_KEY) {
            return string(buf, start, n);
        }
        byte[] b = read(buf, start, n);
        int h = n;
        for (int i = 0; i < n; i++) {
            h = 31 * h + b[i];
        }
        int slot = (h ^ (h >>> 11)) & (KEY_SLOTS - 1);
        if (keys == null) {
            keys = new String[KEY_SLOTS];
            keyBytes = new byte[KEY_SLOTS][];
        }
        byte[] known = keyBytes[slot];
        if (known != null && Arrays.equals(known, 0, known.length, b, 0, n)) {
            return keys[slot];
        }
        String s = new String(b, 0, n, StandardCharsets.UTF_8);
        keyBytes[slot] = Arrays.copyOf(b, n);
        keys[slot] = s;
        return s;
    }
}
