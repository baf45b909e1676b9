package io.flb4j.processor;

import com.squareup.javapoet.AnnotationSpec;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.JavaFile;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.ParameterizedTypeName;
import com.squareup.javapoet.TypeName;
import com.squareup.javapoet.TypeSpec;
import io.flb4j.annotations.EventField;
import io.flb4j.codec.RecordMapper;
import io.flb4j.codec.RecordReader;
import io.flb4j.codec.RecordWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.Generated;
import javax.annotation.processing.Messager;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;

/**
 * Generates {@code <Record>_Flb4jMapper} for a record annotated {@code @EventRecord}: a
 * {@link RecordMapper} that reads the record's fields straight from msgpack (a switch on each
 * key, unknown keys skipped) and writes them back, with no reflection and no {@code Map}.
 * Checks at compile time that the type is a record and that every component has a supported
 * type; each mistake is an error on the record, naming the component (javac gives record
 * components no source position of their own).
 */
final class RecordMapperWriter {
    static final String SUFFIX = "_Flb4jMapper";

    /** How a component type is read and written. */
    private enum Kind {
        STRING("java.lang.String", "string", "string", false),
        LONG("long", "optionalLong", "longValue", true),
        LONG_BOX("java.lang.Long", "optionalLong", "value", false),
        INT("int", "optionalInt", "longValue", true),
        INT_BOX("java.lang.Integer", "optionalInt", "value", false),
        DOUBLE("double", "optionalDouble", "doubleValue", true),
        DOUBLE_BOX("java.lang.Double", "optionalDouble", "value", false),
        BOOLEAN("boolean", "optionalBoolean", "booleanValue", true),
        BOOLEAN_BOX("java.lang.Boolean", "optionalBoolean", "value", false),
        MAP("java.util.Map<java.lang.String,java.lang.Object>", "map", "value", false),
        LIST("java.util.List<java.lang.Object>", "list", "value", false),
        OBJECT("java.lang.Object", "value", "value", false);

        final String type;
        final String read;
        final String write;
        final boolean primitive;

        Kind(String type, String read, String write, boolean primitive) {
            this.type = type;
            this.read = read;
            this.write = write;
            this.primitive = primitive;
        }

        static Optional<Kind> of(TypeMirror t) {
            String name = t.toString().replace(" ", "");
            for (Kind k : values()) {
                if (k.type.equals(name)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    private record Field(String component, String key, Kind kind) {}

    private RecordMapperWriter() {}

    static ClassName mapperName(ClassName record) {
        return ClassName.get(record.packageName(), String.join("_", record.simpleNames()) + SUFFIX);
    }

    /** The mapper of {@code type}, or empty after reporting why it cannot have one. */
    static Optional<JavaFile> write(TypeElement type, Messager messager) {
        if (type.getKind() != ElementKind.RECORD) {
            messager.printMessage(Diagnostic.Kind.ERROR, "@EventRecord goes on a Java record (record "
                    + type.getSimpleName() + "(...) {}), not on a " + type.getKind().toString().toLowerCase(), type);
            return Optional.empty();
        }
        if (!type.getModifiers().contains(Modifier.PUBLIC)) {
            messager.printMessage(Diagnostic.Kind.ERROR, "@EventRecord " + type.getSimpleName() + " must be public", type);
            return Optional.empty();
        }
        List<Field> fields = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        boolean ok = true;
        for (RecordComponentElement c : type.getRecordComponents()) {
            String name = c.getSimpleName().toString();
            EventField named = c.getAnnotation(EventField.class);
            if (named == null && c.getAccessor() != null) {
                named = c.getAccessor().getAnnotation(EventField.class);
            }
            String key = named != null ? named.value() : ModelReader.snakeCase(name);
            Optional<Kind> kind = Kind.of(c.asType());
            if (kind.isEmpty()) {
                messager.printMessage(Diagnostic.Kind.ERROR, "component " + name + " of @EventRecord "
                        + type.getSimpleName() + " has type " + c.asType() + "; use String, long, int, double, boolean "
                        + "(or their boxes), Map<String, Object>, List<Object> or Object", type);
                ok = false;
            } else if (!keys.add(key)) {
                messager.printMessage(Diagnostic.Kind.ERROR, "component " + name + " of @EventRecord "
                        + type.getSimpleName() + " maps to field '" + key + "', which another component maps to too", type);
                ok = false;
            } else {
                fields.add(new Field(name, key, kind.get()));
            }
        }
        return ok ? Optional.of(file(type, fields)) : Optional.empty();
    }

    private static JavaFile file(TypeElement type, List<Field> fields) {
        ClassName record = ClassName.get(type);
        ClassName self = mapperName(record);
        TypeSpec mapper = TypeSpec.classBuilder(self)
                .addAnnotation(AnnotationSpec.builder(Generated.class)
                        .addMember("value", "$S", PluginProcessor.class.getName()).build())
                .addJavadoc("Reads and writes {@link $T} as an event's record.\n", record)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(ParameterizedTypeName.get(ClassName.get(RecordMapper.class), record))
                .addMethod(MethodSpec.methodBuilder("type")
                        .addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(ParameterizedTypeName.get(ClassName.get(Class.class), record))
                        .addStatement("return $T.class", record).build())
                .addMethod(read(record, fields))
                .addMethod(write(record, fields))
                .build();
        return JavaFile.builder(record.packageName(), mapper).skipJavaLangImports(true).indent("    ").build();
    }

    private static MethodSpec read(ClassName record, List<Field> fields) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("read")
                .addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(record).addParameter(RecordReader.class, "in");
        for (Field f : fields) {
            TypeName boxed = boxedType(f.kind());
            m.addStatement("$T $L = null", boxed, local(f));
        }
        m.beginControlFlow("for (int i = 0, n = in.fields(); i < n; i++)");
        m.beginControlFlow("switch (in.key())");
        for (Field f : fields) {
            m.addCode("case $S -> $L = in.$L($S);\n", f.key(), local(f), f.kind().read, f.key());
        }
        m.addCode("default -> in.skip();\n");
        m.endControlFlow();
        m.endControlFlow();
        m.addStatement("in.done()");   // the chunk is let go before the record's constructor (plugin code) runs
        CodeBlock.Builder args = CodeBlock.builder();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            if (f.kind().primitive) {
                m.beginControlFlow("if ($L == null)", local(f));
                m.addStatement("throw in.missing($S)", f.key());
                m.endControlFlow();
            }
            args.add(i == 0 ? "$L" : ", $L", local(f));
        }
        m.addStatement("return new $T($L)", record, args.build());
        return m.build();
    }

    private static MethodSpec write(ClassName record, List<Field> fields) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("write")
                .addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(record, "value").addParameter(RecordWriter.class, "out");
        m.addStatement("out.fields($L)", fields.size());
        for (Field f : fields) {
            m.addStatement("out.key($S)", f.key());
            m.addStatement("out.$L(value.$L())", f.kind().write, f.component());
        }
        return m.build();
    }

    private static String local(Field f) {
        return "f_" + f.component();
    }

    private static TypeName boxedType(Kind k) {
        return switch (k) {
            case STRING -> ClassName.get(String.class);
            case LONG, LONG_BOX -> ClassName.get(Long.class);
            case INT, INT_BOX -> ClassName.get(Integer.class);
            case DOUBLE, DOUBLE_BOX -> ClassName.get(Double.class);
            case BOOLEAN, BOOLEAN_BOX -> ClassName.get(Boolean.class);
            case MAP -> ParameterizedTypeName.get(ClassName.get(java.util.Map.class), ClassName.get(String.class),
                    ClassName.get(Object.class));
            case LIST -> ParameterizedTypeName.get(ClassName.get(List.class), ClassName.get(Object.class));
            case OBJECT -> ClassName.get(Object.class);
        };
    }
}
