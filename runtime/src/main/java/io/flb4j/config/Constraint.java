package io.flb4j.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A rule on a configuration value beyond its type, as the processor reads it from the
 * {@code jakarta.validation.constraints} annotation on a {@code @ConfigKey} field and writes it
 * into the descriptor and the binding. No validator library runs: the rules are these.
 *
 * <table>
 * <caption>Rules</caption>
 * <tr><th>annotation</th><th>text</th><th>applies to</th></tr>
 * <tr><td>{@code @Min(1)}</td><td>{@code min=1}</td><td>int, long, double</td></tr>
 * <tr><td>{@code @Max(10)}</td><td>{@code max=10}</td><td>int, long, double</td></tr>
 * <tr><td>{@code @Positive}, {@code @PositiveOrZero}, {@code @Negative}, {@code @NegativeOrZero}</td>
 *     <td>{@code positive} …</td><td>int, long, double</td></tr>
 * <tr><td>{@code @Pattern(regexp = "[a-z]+")}</td><td>{@code pattern=[a-z]+}</td><td>the whole value as written</td></tr>
 * <tr><td>{@code @NotBlank}</td><td>{@code notBlank}</td><td>String, Path, URI</td></tr>
 * <tr><td>{@code @NotEmpty}</td><td>{@code notEmpty}</td><td>String, List</td></tr>
 * <tr><td>{@code @Size(min = 1, max = 8)}</td><td>{@code size=1..8}</td><td>String (characters), List (elements)</td></tr>
 * </table>
 */
public record Constraint(String rule, String argument) {
    /** The rules that need a number, the rules that need text or a list. */
    public static final List<String> NUMERIC = List.of("min", "max", "positive", "positiveOrZero", "negative",
            "negativeOrZero");

    /** Reads {@code min=1}, {@code positive}, {@code pattern=[a-z]+} …; throws on an unknown rule. */
    public static Constraint parse(String text) {
        int eq = text.indexOf('=');
        String rule = eq < 0 ? text : text.substring(0, eq);
        String arg = eq < 0 ? "" : text.substring(eq + 1);
        if (!NUMERIC.contains(rule) && !List.of("pattern", "notBlank", "notEmpty", "size").contains(rule)) {
            throw new IllegalArgumentException("unknown constraint '" + text + "'");
        }
        return new Constraint(rule, arg);
    }

    /** As written in the descriptor. */
    public String text() {
        return argument.isEmpty() && !rule.equals("pattern") ? rule : rule + "=" + argument;
    }

    /** As a Java developer wrote it: {@code @Min(1)}, {@code @Size(min = 1, max = 8)} … */
    public String annotation() {
        return switch (rule) {
            case "min" -> "@Min(" + argument + ")";
            case "max" -> "@Max(" + argument + ")";
            case "pattern" -> "@Pattern(regexp = \"" + argument + "\")";
            case "size" -> "@Size(min = " + argument.substring(0, argument.indexOf("..")) + ", max = "
                    + argument.substring(argument.indexOf("..") + 2) + ")";
            default -> "@" + Character.toUpperCase(rule.charAt(0)) + rule.substring(1);
        };
    }

    /** What a value must be, for docs and errors: "at least 1", "matching [a-z]+" … */
    public String meaning() {
        return switch (rule) {
            case "min" -> "at least " + argument;
            case "max" -> "at most " + argument;
            case "positive" -> "above 0";
            case "positiveOrZero" -> "0 or above";
            case "negative" -> "below 0";
            case "negativeOrZero" -> "0 or below";
            case "pattern" -> "matching the regular expression " + argument;
            case "notBlank" -> "not blank";
            case "notEmpty" -> "not empty";
            default -> sizeMeaning();
        };
    }

    private String sizeMeaning() {
        long[] b = sizeBounds();
        return b[1] == Integer.MAX_VALUE ? b[0] + " or more long" : b[0] + " to " + b[1] + " long";
    }

    private long[] sizeBounds() {
        int dots = argument.indexOf("..");
        return new long[] {Long.parseLong(argument.substring(0, dots)), Long.parseLong(argument.substring(dots + 2))};
    }

    /** Why the rule cannot apply to a value of {@code type} (a descriptor type name), if it cannot. */
    public Optional<String> problemWith(String type) {
        String t = io.flb4j.binding.PluginDescriptor.Key.valueType(type);
        boolean number = t.equals("int") || t.equals("long") || t.equals("double");
        boolean text = t.equals("string") || t.equals("path") || t.equals("uri");
        boolean ok = switch (rule) {
            case "pattern" -> true;
            case "notBlank" -> text;
            case "notEmpty", "size" -> t.equals("string") || t.equals("list");
            default -> number;
        };
        if (!ok) {
            return Optional.of(annotation() + " does not apply to a " + t + " key");
        }
        if (rule.equals("pattern")) {
            try {
                Pattern.compile(argument);
            } catch (PatternSyntaxException e) {
                return Optional.of(annotation() + " is not a valid regular expression: " + e.getDescription());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code parsed} (the typed value) and {@code raw} (as written) keep the rule: empty
     * when they do, else what the value must be.
     */
    public Optional<String> violation(Object parsed, String raw) {
        boolean ok = switch (rule) {
            case "pattern" -> Pattern.compile(argument).matcher(raw).matches();
            case "notBlank" -> !raw.isBlank();
            case "notEmpty" -> length(parsed, raw) > 0;
            case "size" -> length(parsed, raw) >= sizeBounds()[0] && length(parsed, raw) <= sizeBounds()[1];
            default -> numberOk(((Number) parsed).doubleValue());
        };
        return ok ? Optional.empty() : Optional.of(meaning());
    }

    private static int length(Object parsed, String raw) {
        return parsed instanceof List<?> l ? l.size() : raw.length();
    }

    private boolean numberOk(double v) {
        return switch (rule) {
            case "min" -> v >= Double.parseDouble(argument);
            case "max" -> v <= Double.parseDouble(argument);
            case "positive" -> v > 0;
            case "positiveOrZero" -> v >= 0;
            case "negative" -> v < 0;
            default -> v <= 0;
        };
    }
}
