package io.flb4j.processor;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import io.flb4j.config.ConfigValues;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Types;

/**
 * How one supported {@code @ConfigKey} field type is read: the parser the binding calls, the
 * "expected" text of its error messages, the type's name in the descriptor, and a check of
 * default values run at compile time with the same parser the runtime uses.
 */
record ConfigType(
        String descriptorName,
        CodeBlock parser,
        CodeBlock expected,
        boolean optional,
        Function<String, Optional<String>> defaultCheck,
        Function<String, ?> valueParser) {

    static final String SUPPORTED = "String, boolean, int, long, double (or their boxes), an enum, "
            + "java.time.Duration, io.flb4j.api.ByteSize, java.util.List<String>, java.nio.file.Path, "
            + "java.net.URI, or java.util.Optional of one of these";

    private static final ClassName VALUES = ClassName.get(ConfigValues.class);

    /** The config type of {@code type}, or empty when it is not supported. */
    static Optional<ConfigType> of(TypeMirror type, Types types) {
        if (type.getKind() == TypeKind.DECLARED) {
            DeclaredType declared = (DeclaredType) type;
            TypeElement element = (TypeElement) declared.asElement();
            if (element.getQualifiedName().contentEquals("java.util.Optional")) {
                if (declared.getTypeArguments().size() != 1) {
                    return Optional.empty();
                }
                return plain(declared.getTypeArguments().get(0), types).map(ConfigType::asOptional);
            }
        }
        return plain(type, types);
    }

    private ConfigType asOptional() {
        return new ConfigType("optional<" + descriptorName + ">", parser, expected, true, defaultCheck, valueParser);
    }

    private static Optional<ConfigType> plain(TypeMirror type, Types types) {
        if (type.getKind().isPrimitive()) {
            return primitive(type.getKind());
        }
        if (type.getKind() != TypeKind.DECLARED) {
            return Optional.empty();
        }
        DeclaredType declared = (DeclaredType) type;
        TypeElement element = (TypeElement) declared.asElement();
        if (element.getKind() == ElementKind.ENUM) {
            return Optional.of(enumType(element));
        }
        String name = element.getQualifiedName().toString();
        switch (name) {
            case "java.lang.Boolean":
                return primitive(TypeKind.BOOLEAN);
            case "java.lang.Integer":
                return primitive(TypeKind.INT);
            case "java.lang.Long":
                return primitive(TypeKind.LONG);
            case "java.lang.Double":
                return primitive(TypeKind.DOUBLE);
            case "java.lang.String":
                return simple("string", "parseString", "STRING", ConfigValues::parseString);
            case "java.time.Duration":
                return simple("duration", "parseDuration", "DURATION_EXPECTED", ConfigValues::parseDuration);
            case "io.flb4j.api.ByteSize":
                return simple("size", "parseByteSize", "SIZE_EXPECTED", ConfigValues::parseByteSize);
            case "java.nio.file.Path":
                return simple("path", "parsePath", "PATH", ConfigValues::parsePath);
            case "java.net.URI":
                return simple("uri", "parseUri", "URI_EXPECTED", ConfigValues::parseUri);
            case "java.util.List":
                return isListOfString(declared)
                        ? simple("list", "parseList", "LIST", ConfigValues::parseList)
                        : Optional.empty();
            default:
                return Optional.empty();
        }
    }

    private static boolean isListOfString(DeclaredType list) {
        List<? extends TypeMirror> args = list.getTypeArguments();
        return args.size() == 1
                && args.get(0).getKind() == TypeKind.DECLARED
                && ((TypeElement) ((DeclaredType) args.get(0)).asElement())
                        .getQualifiedName().contentEquals("java.lang.String");
    }

    private static Optional<ConfigType> primitive(TypeKind kind) {
        switch (kind) {
            case BOOLEAN:
                return simple("boolean", "parseBoolean", "BOOLEAN", ConfigValues::parseBoolean);
            case INT:
                return simple("int", "parseInt", "INT", ConfigValues::parseInt);
            case LONG:
                return simple("long", "parseLong", "LONG", ConfigValues::parseLong);
            case DOUBLE:
                return simple("double", "parseDouble", "DOUBLE", ConfigValues::parseDouble);
            default:
                return Optional.empty();
        }
    }

    private static Optional<ConfigType> simple(String descriptorName, String parser, String expected,
                                               Function<String, ?> runtimeParser) {
        return Optional.of(new ConfigType(descriptorName,
                CodeBlock.of("$T::$L", VALUES, parser),
                CodeBlock.of("$T.$L", VALUES, expected),
                false,
                value -> check(runtimeParser, value),
                runtimeParser));
    }

    /** A value that {@link #defaultCheck} accepts, parsed as the runtime parses it (an enum's stays text). */
    static Object parse(ConfigType type, String value) {
        return type.valueParser().apply(value);
    }

    private static Optional<String> check(Function<String, ?> parser, String value) {
        try {
            parser.apply(value);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static ConfigType enumType(TypeElement element) {
        ClassName enumName = ClassName.get(element);
        List<String> constants = ElementFilter.fieldsIn(element.getEnclosedElements()).stream()
                .filter(f -> f.getKind() == ElementKind.ENUM_CONSTANT)
                .map(f -> f.getSimpleName().toString())
                .toList();
        String expected = "one of " + String.join(", ", constants.stream()
                .map(c -> c.toLowerCase(Locale.ROOT)).toList());
        return new ConfigType("enum(" + String.join(", ", constants) + ")",
                CodeBlock.of("value -> $T.parseEnum($T.class, value)", VALUES, enumName),
                CodeBlock.of("$T.enumExpected($T.class)", VALUES, enumName),
                false,
                value -> {
                    // Same rule as ConfigValues.parseEnum, on the constants the compiler sees.
                    String wanted = value.trim().replace('-', '_');
                    return constants.stream().anyMatch(c -> c.equalsIgnoreCase(wanted))
                            ? Optional.empty() : Optional.of(expected);
                },
                value -> value);
    }
}
