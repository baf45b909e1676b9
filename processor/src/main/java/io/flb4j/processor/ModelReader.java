package io.flb4j.processor;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.EventType;
import io.flb4j.annotations.FluentBitCustom;
import io.flb4j.annotations.FluentBitInput;
import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.annotations.MetricCounter;
import io.flb4j.annotations.MetricGauge;
import io.flb4j.binding.PluginKind;
import io.flb4j.binding.KeptKeys;
import io.flb4j.config.Constraint;
import io.flb4j.metrics.MetricKind;
import io.flb4j.metrics.MetricNames;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Reads a plugin class into a {@link PluginModel}, reporting every problem on the element at
 * fault with what to do about it. Returns a model only when there was no problem.
 */
final class ModelReader {
    private static final Pattern PLUGIN_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

    private final Messager messager;
    private final Elements elements;
    private final Types types;
    private boolean failed;

    ModelReader(Messager messager, Elements elements, Types types) {
        this.messager = messager;
        this.elements = elements;
        this.types = types;
    }

    Optional<PluginModel> read(TypeElement type) {
        failed = false;
        PluginKind kind = kindOf(type);
        String name;
        String description;
        int eventTypes = 0;
        boolean concurrentFlush = false;
        boolean dynamicKeys;
        if (kind == PluginKind.INPUT) {
            FluentBitInput a = type.getAnnotation(FluentBitInput.class);
            name = a.name();
            description = a.description();
            dynamicKeys = a.dynamicKeys();
            for (EventType t : a.events()) {
                eventTypes |= t.flag();
            }
            if (eventTypes == 0) {
                error(type, "@FluentBitInput(events = {}) emits nothing; list LOGS, METRICS or TRACES");
            }
        } else if (kind == PluginKind.OUTPUT) {
            FluentBitOutput a = type.getAnnotation(FluentBitOutput.class);
            name = a.name();
            description = a.description();
            dynamicKeys = a.dynamicKeys();
            for (EventType t : a.events()) {
                eventTypes |= t.flag();
            }
            if (eventTypes == 0) {
                error(type, "@FluentBitOutput(events = {}) accepts nothing; list LOGS, METRICS or TRACES");
            } else {
                checkFlushMethods(type, eventTypes);
            }
            concurrentFlush = a.concurrentFlush();
        } else {
            FluentBitCustom a = type.getAnnotation(FluentBitCustom.class);
            name = a.name();
            description = a.description();
            dynamicKeys = a.dynamicKeys();
        }
        checkName(type, name, description);
        checkClass(type, kind);
        List<PluginModel.Key> keys = readKeys(type, kind, name);
        List<PluginModel.Metric> metrics = readMetrics(type);
        if (failed) {
            return Optional.empty();
        }
        return Optional.of(new PluginModel(type, kind, name, description, eventTypes, concurrentFlush, dynamicKeys, keys,
                metrics));
    }

    static PluginKind kindOf(TypeElement type) {
        if (type.getAnnotation(FluentBitInput.class) != null) {
            return PluginKind.INPUT;
        }
        if (type.getAnnotation(FluentBitOutput.class) != null) {
            return PluginKind.OUTPUT;
        }
        return PluginKind.CUSTOM;
    }

    private void checkName(TypeElement type, String name, String description) {
        if (!PLUGIN_NAME.matcher(name).matches()) {
            error(type, "plugin name '" + name + "' is not valid: use 1 to 64 lower-case letters, digits, "
                    + "'_' and '-', starting with a letter (Fluent Bit matches plugin names in lower case)");
        }
        if (description.indexOf('\n') >= 0 || description.indexOf('\r') >= 0) {
            error(type, "plugin description must be one line: remove the line breaks");
        }
    }

    private void checkClass(TypeElement type, PluginKind kind) {
        String annotation = "@" + annotationName(kind);
        String iface = "io.flb4j.api." + switch (kind) {
            case INPUT -> "InputPlugin";
            case OUTPUT -> "OutputPlugin";
            case CUSTOM -> "CustomPlugin";
        };
        TypeMirror wanted = types.erasure(elements.getTypeElement(iface).asType());
        if (!types.isAssignable(type.asType(), wanted)) {
            error(type, annotation + " class " + type.getSimpleName() + " must implement " + iface);
        }
        if (type.getKind() != ElementKind.CLASS) {
            error(type, annotation + " must be on a class, not on " + type.getKind().toString().toLowerCase(Locale.ROOT));
            return;
        }
        if (type.getModifiers().contains(Modifier.ABSTRACT)) {
            error(type, annotation + " class " + type.getSimpleName() + " is abstract: flb4j creates instances of it, make it concrete");
        }
        if (!type.getModifiers().contains(Modifier.PUBLIC)) {
            error(type, annotation + " class " + type.getSimpleName() + " must be public");
        }
        if (type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC)) {
            error(type, annotation + " class " + type.getSimpleName() + " is an inner class: make it static or top-level");
        } else if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
            error(type, annotation + " class must be a top-level or static nested class");
        }
        boolean hasConstructor = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                .anyMatch(c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE));
        if (!hasConstructor) {
            error(type, annotation + " class " + type.getSimpleName()
                    + " needs a public or package-private constructor without parameters");
        }
    }

    /** The flush method of each kind of event, and the events value that declares it. */
    private static final String[][] FLUSH_METHODS = {
        {"LOGS", "flush", "io.flb4j.api.Events"},
        {"METRICS", "flushMetrics", "java.util.List<io.flb4j.api.telemetry.MetricSet>"},
        {"TRACES", "flushTraces", "java.util.List<io.flb4j.api.telemetry.TraceSet>"},
    };

    /**
     * Each declared kind of event needs its flush method implemented (not OutputPlugin's
     * default, which throws), and an implemented flush method needs its kind declared: Fluent
     * Bit would otherwise route chunks no method takes, or never call the method.
     */
    private void checkFlushMethods(TypeElement type, int eventTypes) {
        for (String[] f : FLUSH_METHODS) {
            boolean declared = (eventTypes & EventType.valueOf(f[0]).flag()) != 0;
            boolean implemented = ElementFilter.methodsIn(elements.getAllMembers(type)).stream()
                    .anyMatch(m -> m.getSimpleName().contentEquals(f[1]) && m.getParameters().size() == 2
                            && types.erasure(m.getParameters().get(1).asType()).toString()
                                    .equals(f[2].replaceAll("<.*>", ""))
                            && !((TypeElement) m.getEnclosingElement()).getQualifiedName()
                                    .contentEquals("io.flb4j.api.OutputPlugin")
                            && !m.getModifiers().contains(Modifier.ABSTRACT));
            if (declared && !implemented) {
                error(type, "@FluentBitOutput(events = " + f[0] + ") needs " + type.getSimpleName() + " to implement "
                        + "FlushResult " + f[1] + "(String tag, " + f[2].replace("java.util.", "")
                        .replace("io.flb4j.api.telemetry.", "").replace("io.flb4j.api.", "") + " ...)");
            } else if (!declared && implemented) {
                error(type, type.getSimpleName() + " implements " + f[1] + ", but @FluentBitOutput(events = ...) "
                        + "does not list " + f[0] + ", so Fluent Bit never sends it those chunks: add " + f[0]
                        + " to events or remove the method");
            }
        }
    }

    static String annotationName(PluginKind kind) {
        return switch (kind) {
            case INPUT -> "FluentBitInput";
            case OUTPUT -> "FluentBitOutput";
            case CUSTOM -> "FluentBitCustom";
        };
    }

    private List<PluginModel.Key> readKeys(TypeElement type, PluginKind kind, String pluginName) {
        List<PluginModel.Key> keys = new ArrayList<>();
        Map<String, VariableElement> seen = new HashMap<>();
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            ConfigKey a = field.getAnnotation(ConfigKey.class);
            if (a == null) {
                continue;
            }
            String key = a.name().isEmpty() ? snakeCase(field.getSimpleName().toString()) : a.name();
            String label = "@ConfigKey '" + key + "'";
            checkFieldModifiers(field, label);
            if (field.getAnnotation(MetricCounter.class) != null || field.getAnnotation(MetricGauge.class) != null) {
                error(field, label + ": a field is either a config key or a metric, not both");
            }
            checkKeyName(field, key, label, seen, kind, pluginName);
            Optional<ConfigType> configType = ConfigType.of(field.asType(), types);
            if (configType.isEmpty()) {
                error(field, label + ": field '" + field.getSimpleName() + "' has type " + field.asType()
                        + ", which flb4j cannot read from a configuration; supported types are " + ConfigType.SUPPORTED);
                continue;
            }
            String defaultValue = ConfigKey.NO_DEFAULT.equals(a.defaultValue()) ? null : a.defaultValue();
            if (a.required() && defaultValue != null) {
                error(field, label + " is required and has a default value; remove one of them");
            }
            if (defaultValue != null) {
                ConfigType t = configType.get();
                t.defaultCheck().apply(defaultValue).ifPresent(expected -> error(field, label
                        + ": default value '" + defaultValue + "' is not a valid " + t.descriptorName()
                        + ": expected " + expected));
            }
            if (a.secret() && defaultValue != null) {
                error(field, label + " is secret and has a default value, which the docs and Fluent Bit's help "
                        + "would show; remove the default");
            }
            List<String> constraints = readConstraints(field, label, configType.get(), defaultValue);
            keys.add(new PluginModel.Key(field.getSimpleName().toString(), key, configType.get(), defaultValue,
                    a.required(), a.description(), a.secret(), constraints));
        }
        return keys;
    }

    /**
     * The field's jakarta.validation (or javax.validation) constraints as {@link Constraint}
     * texts, read by name: the processor needs no validation API. Each must apply to the key's
     * type, and the default must keep it.
     */
    private List<String> readConstraints(VariableElement field, String label, ConfigType type, String defaultValue) {
        List<String> texts = new ArrayList<>();
        for (AnnotationMirror m : field.getAnnotationMirrors()) {
            String name = m.getAnnotationType().toString();
            String simple = name.substring(name.lastIndexOf('.') + 1);
            if (!name.startsWith("jakarta.validation.constraints.") && !name.startsWith("javax.validation.constraints.")) {
                continue;
            }
            Map<String, Object> values = new HashMap<>();
            elements.getElementValuesWithDefaults(m).forEach((k, v) -> values.put(k.getSimpleName().toString(), v.getValue()));
            String text = switch (simple) {
                case "Min", "Max" -> simple.toLowerCase(Locale.ROOT) + "=" + values.get("value");
                case "Positive", "PositiveOrZero", "Negative", "NegativeOrZero", "NotBlank", "NotEmpty" ->
                        Character.toLowerCase(simple.charAt(0)) + simple.substring(1);
                case "Pattern" -> "pattern=" + values.get("regexp");
                case "Size" -> "size=" + values.get("min") + ".." + values.get("max");
                default -> null;
            };
            if (text == null) {
                error(field, label + ": @" + simple + " is not a constraint flb4j checks; use @Min, @Max, @Positive, "
                        + "@PositiveOrZero, @Negative, @NegativeOrZero, @Pattern, @NotBlank, @NotEmpty or @Size");
                continue;
            }
            Constraint c = Constraint.parse(text);
            Optional<String> problem = c.problemWith(type.descriptorName());
            if (problem.isPresent()) {
                error(field, label + ": " + problem.get());
                continue;
            }
            if (defaultValue != null && type.defaultCheck().apply(defaultValue).isEmpty()) {
                Optional<String> broken = c.violation(ConfigType.parse(type, defaultValue), defaultValue);
                if (broken.isPresent()) {
                    error(field, label + ": default value '" + defaultValue + "' breaks " + c.annotation()
                            + ": it must be " + broken.get());
                }
            }
            texts.add(c.text());
        }
        return texts;
    }

    private void checkKeyName(VariableElement field, String key, String label, Map<String, VariableElement> seen,
                              PluginKind kind, String pluginName) {
        String folded = key.toLowerCase(Locale.ROOT);
        Optional<String> kept = KeptKeys.problem(kind, key, pluginName);
        if (!KEY_NAME.matcher(key).matches()) {
            error(field, label + ": key names may hold only letters, digits, '_', '.' and '-'");
        } else if (kept.isPresent()) {
            error(field, label + ": " + kept.get());
        } else if (folded.startsWith(KeptKeys.FLB4J_PREFIX)) {
            error(field, label + ": keys starting with 'flb4j.' are reserved for flb4j's own settings");
        }
        VariableElement previous = seen.putIfAbsent(folded, field);
        if (previous != null) {
            error(field, label + " is also bound to field '" + previous.getSimpleName()
                    + "' (keys match case-insensitively); give one of them another name");
        }
    }

    private List<PluginModel.Metric> readMetrics(TypeElement type) {
        List<PluginModel.Metric> metrics = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            MetricCounter counter = field.getAnnotation(MetricCounter.class);
            MetricGauge gauge = field.getAnnotation(MetricGauge.class);
            if (counter != null && gauge != null) {
                error(field, "field '" + field.getSimpleName() + "' has both @MetricCounter and @MetricGauge; keep one");
                continue;
            }
            if (counter != null) {
                readMetric(field, MetricKind.COUNTER, counter.name(), counter.help(), counter.labels(), names)
                        .ifPresent(metrics::add);
            } else if (gauge != null) {
                readMetric(field, MetricKind.GAUGE, gauge.name(), gauge.help(), gauge.labels(), names)
                        .ifPresent(metrics::add);
            }
        }
        return metrics;
    }

    private Optional<PluginModel.Metric> readMetric(VariableElement field, MetricKind kind, String name, String help,
                                                    String[] labels, Set<String> names) {
        String label = "@" + kind.annotation() + " '" + name + "'";
        checkFieldModifiers(field, label);
        String fieldType = kind.apiType().getCanonicalName();
        TypeMirror wanted = elements.getTypeElement(fieldType).asType();
        if (!types.isSameType(field.asType(), wanted)) {
            error(field, label + ": field '" + field.getSimpleName() + "' has type " + field.asType()
                    + "; a " + kind.label() + " field must have type " + fieldType);
        }
        MetricNames.nameProblem(name).ifPresent(p -> error(field, label + ": " + p));
        if (!names.add(name)) {
            error(field, label + ": another metric of this plugin has the same name");
        }
        if (help.isBlank()) {
            error(field, label + ": help must say what the metric measures");
        }
        Set<String> seenLabels = new HashSet<>();
        for (String l : labels) {
            Optional<String> problem = MetricNames.labelProblem(l);
            if (problem.isPresent()) {
                error(field, label + ": " + problem.get());
            } else if (!seenLabels.add(l)) {
                error(field, label + ": label key '" + l + "' appears twice");
            }
        }
        return Optional.of(new PluginModel.Metric(field.getSimpleName().toString(), kind, name, help, List.of(labels)));
    }

    private void checkFieldModifiers(VariableElement field, String label) {
        Set<Modifier> modifiers = field.getModifiers();
        for (Modifier m : List.of(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)) {
            if (modifiers.contains(m)) {
                error(field, label + ": field '" + field.getSimpleName() + "' must not be " + m
                        + "; the generated binding sets it on each instance (make it package-private)");
            }
        }
    }

    /** Errors on annotated fields of classes that are not plugins. */
    void checkOrphanFields(Set<? extends Element> annotatedFields, Class<? extends Annotation> annotation) {
        for (Element field : annotatedFields) {
            Element owner = field.getEnclosingElement();
            if (!(owner instanceof TypeElement t) || !isPlugin(t)) {
                error(field, "@" + annotation.getSimpleName() + " on field '" + field.getSimpleName()
                        + "' has no effect: its class is not annotated @FluentBitInput, @FluentBitOutput or @FluentBitCustom");
            }
        }
    }

    static boolean isPlugin(TypeElement t) {
        return t.getAnnotation(FluentBitInput.class) != null || t.getAnnotation(FluentBitOutput.class) != null
                || t.getAnnotation(FluentBitCustom.class) != null;
    }

    /** {@code bufferSize} → {@code buffer_size}; {@code maxHTTPRetries} → {@code max_http_retries}. */
    static String snakeCase(String camel) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean afterLower = i > 0 && !Character.isUpperCase(camel.charAt(i - 1)) && camel.charAt(i - 1) != '_';
                boolean endOfAcronym = i > 0 && Character.isUpperCase(camel.charAt(i - 1))
                        && i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1));
                if (afterLower || endOfAcronym) {
                    b.append('_');
                }
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    void error(Element element, String message) {
        failed = true;
        messager.printMessage(Diagnostic.Kind.ERROR, message, element);
    }
}
