package io.flb4j.api;

import java.math.BigInteger;
import java.util.Map;
import java.util.NoSuchElementException;

/** The typed getters of {@link Event}: path lookup and the errors that name the field. */
final class EventFields {
    private EventFields() {}

    static Object get(Map<String, Object> record, String path) {
        if (record.containsKey(path) || path.indexOf('.') < 0) {
            return record.get(path);
        }
        Object at = record;
        int from = 0;
        while (at instanceof Map<?, ?> map) {
            int dot = path.indexOf('.', from);
            String rest = path.substring(from);
            if (map.containsKey(rest)) {
                return map.get(rest);   // the rest is one key that holds dots
            }
            if (dot < 0) {
                return null;
            }
            at = map.get(path.substring(from, dot));
            from = dot + 1;
        }
        return null;
    }

    static <T> T require(Map<String, Object> record, String path, Class<T> type, String what) {
        Object v = get(record, path);
        if (v == null) {
            throw new NoSuchElementException("the record has no field '" + path + "'");
        }
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("field '" + path + "' is " + describe(v) + ", not " + what);
        }
        return type.cast(v);
    }

    static long longValue(Map<String, Object> record, String path) {
        Number n = require(record, path, Number.class, "an integer");
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return n.longValue();
        }
        if (n instanceof BigInteger b) {
            if (b.bitLength() < 64) {
                return b.longValue();
            }
            throw new IllegalArgumentException("field '" + path + "' is " + b + ", which does not fit a long");
        }
        double d = n.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
            return (long) d;
        }
        throw new IllegalArgumentException("field '" + path + "' is " + describe(n) + ", not an integer");
    }

    private static String describe(Object v) {
        String text = String.valueOf(v);
        if (text.length() > 40) {
            text = text.substring(0, 37) + "...";
        }
        return "a " + v.getClass().getSimpleName() + " (" + text + ")";
    }
}
