package io.flb4j.config;

import io.flb4j.api.ByteSize;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads configuration values the way Fluent Bit writes them. Every parser throws
 * {@link IllegalArgumentException} whose message is only what was expected, so callers can
 * add the plugin, key and value. The annotation processor runs the same parsers on default
 * values at compile time.
 */
public final class ConfigValues {
    private static final Pattern DURATION =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern SIZE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:([kmg])(i?)(b?))?", Pattern.CASE_INSENSITIVE);

    // What each parser expects, as the configuration errors say it.
    /** What a boolean key expects. */
    public static final String BOOLEAN = "a boolean (on/off, true/false, yes/no, 1/0)";
    /** What an int key expects. */
    public static final String INT = "a whole number between -2147483648 and 2147483647";
    /** What a long key expects. */
    public static final String LONG = "a whole number";
    /** What a double key expects. */
    public static final String DOUBLE = "a number";
    /** What a duration key expects. */
    public static final String DURATION_EXPECTED =
            "a duration: a number followed by ms, s, m, h or d (a bare number is seconds), like 500ms or 5s";
    /** What a size key expects. */
    public static final String SIZE_EXPECTED =
            "a size: a number optionally followed by K, M or G (1000-based, KB/MB/GB too) or Ki, Mi, Gi (1024-based), like 512, 64K or 10M";
    /** What a path key expects. */
    public static final String PATH = "a file system path";
    /** What a URI key expects. */
    public static final String URI_EXPECTED = "a URI, like https://host:443/path";
    /** What a string key expects. */
    public static final String STRING = "a string";
    /** What a list key expects. */
    public static final String LIST = "a comma-separated list";

    private ConfigValues() {}

    /** The value as it is. Throws IllegalArgumentException with what was expected. */
    public static String parseString(String value) {
        return value;
    }

    /** on/off, true/false, yes/no, 1/0, any case. Throws IllegalArgumentException with what was expected. */
    public static boolean parseBoolean(String value) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on":
            case "true":
            case "yes":
            case "1":
                return true;
            case "off":
            case "false":
            case "no":
            case "0":
                return false;
            default:
                throw new IllegalArgumentException(BOOLEAN);
        }
    }

    /** A decimal int. Throws IllegalArgumentException with what was expected. */
    public static int parseInt(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(INT);
        }
    }

    /** A decimal long. Throws IllegalArgumentException with what was expected. */
    public static long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(LONG);
        }
    }

    /** A decimal number. Throws IllegalArgumentException with what was expected. */
    public static double parseDouble(String value) {
        try {
            double d = Double.parseDouble(value.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(DOUBLE);
        }
    }

    /** {@code 500ms}, {@code 5s}, {@code 1.5m}, {@code 1h}, {@code 2d}; a bare number is seconds. */
    public static Duration parseDuration(String value) {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(DURATION_EXPECTED);
        }
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        long nanosPerUnit;
        switch (unit) {
            case "ms":
                nanosPerUnit = 1_000_000L;
                break;
            case "s":
                nanosPerUnit = 1_000_000_000L;
                break;
            case "m":
                nanosPerUnit = 60_000_000_000L;
                break;
            case "h":
                nanosPerUnit = 3_600_000_000_000L;
                break;
            default:
                nanosPerUnit = 86_400_000_000_000L;
                break;
        }
        return Duration.ofNanos(multiply(m.group(1), nanosPerUnit, DURATION_EXPECTED));
    }

    /** Fluent Bit sizes: {@code 512}, {@code 64K}/{@code 64KB} (x1000), {@code 64Ki}/{@code 64KiB} (x1024). */
    public static ByteSize parseByteSize(String value) {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(SIZE_EXPECTED);
        }
        long unit = 1;
        if (m.group(2) != null) {
            boolean binary = !m.group(3).isEmpty();
            int power = "kmg".indexOf(Character.toLowerCase(m.group(2).charAt(0))) + 1;
            for (int i = 0; i < power; i++) {
                unit *= binary ? 1024 : 1000;
            }
        }
        return new ByteSize(multiply(m.group(1), unit, SIZE_EXPECTED));
    }

    /** Comma separated, each item trimmed, empty items dropped. */
    public static List<String> parseList(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            String trimmed = item.trim();
            if (!trimmed.isEmpty()) {
                items.add(trimmed);
            }
        }
        return List.copyOf(items);
    }

    /** A file system path. Throws IllegalArgumentException with what was expected. */
    public static Path parsePath(String value) {
        try {
            return Path.of(value.trim());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(PATH);
        }
    }

    /** A URI. Throws IllegalArgumentException with what was expected. */
    public static URI parseUri(String value) {
        try {
            return new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(URI_EXPECTED);
        }
    }

    /** Case-insensitive; {@code -} matches {@code _}. */
    public static <E extends Enum<E>> E parseEnum(Class<E> type, String value) {
        String wanted = value.trim().replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        throw new IllegalArgumentException(enumExpected(type));
    }

    /** "one of a, b, c" for an enum's constants, lower case as users write them. */
    public static String enumExpected(Class<? extends Enum<?>> type) {
        StringBuilder b = new StringBuilder("one of ");
        Enum<?>[] constants = type.getEnumConstants();
        for (int i = 0; i < constants.length; i++) {
            b.append(i == 0 ? "" : ", ").append(constants[i].name().toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }

    private static long multiply(String number, long unit, String expected) {
        try {
            if (number.indexOf('.') < 0) {
                return Math.multiplyExact(Long.parseLong(number), unit);
            }
            double d = Double.parseDouble(number) * unit;
            if (d >= 0x1p63) {
                throw new ArithmeticException();
            }
            return Math.round(d);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(expected + ", not larger than " + Long.MAX_VALUE);
        }
    }
}
