package io.flb4j.api;

import java.math.BigInteger;

/**
 * The typed reading of one decoded field value, shared by {@code Event}'s getters and the
 * generated record mappers (through {@code io.flb4j.codec.RecordReader}): the same rules and the
 * same errors. A {@code null} value passes through; {@code subject} names the field in the error
 * ({@code field 'status'}, or {@code field 'status' of AccessLog}).
 */
public final class FieldValues {
    private FieldValues() {}

    /** A string. */
    public static String string(Object v, String subject) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw wrong(subject, v, "a string");
    }

    /** An integer; a {@code BigInteger} that fits and a float with no fraction are accepted. */
    public static Long longValue(Object v, String subject) {
        if (v == null || v instanceof Long) {
            return (Long) v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            if (b.bitLength() < 64) {
                return b.longValue();
            }
            throw new FieldTypeException(subject + " is " + b + ", which does not fit a long");
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
                return (long) d;
            }
        }
        throw wrong(subject, v, "an integer");
    }

    /** A number, as a double. */
    public static Double doubleValue(Object v, String subject) {
        if (v == null || v instanceof Number) {
            return v == null ? null : ((Number) v).doubleValue();
        }
        throw wrong(subject, v, "a number");
    }

    /** A boolean. */
    public static Boolean booleanValue(Object v, String subject) {
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        throw wrong(subject, v, "a boolean");
    }

    /** The error for a value of the wrong type: {@code <subject> is a Long (200), not a string}. */
    public static FieldTypeException wrong(String subject, Object v, String expected) {
        String text = String.valueOf(v);
        if (text.length() > 40) {
            text = text.substring(0, 37) + "...";
        }
        return new FieldTypeException(subject + " is a " + v.getClass().getSimpleName() + " (" + text + "), not "
                + expected);
    }
}
