package io.flb4j.processor;

import com.squareup.javapoet.AnnotationSpec;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.JavaFile;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.ParameterizedTypeName;
import com.squareup.javapoet.TypeName;
import com.squareup.javapoet.TypeSpec;
import com.squareup.javapoet.WildcardTypeName;
import io.flb4j.api.Config;
import io.flb4j.api.Metrics;
import io.flb4j.binding.PluginBinding;
import io.flb4j.codec.RecordMapper;
import io.flb4j.config.ConfigException;
import io.flb4j.config.ConfigReader;
import java.util.List;
import javax.annotation.processing.Generated;
import javax.lang.model.element.Modifier;

/** Generates the {@link PluginBinding} of a plugin: plain code, one statement per field. */
final class BindingWriter {
    static final String SUFFIX = "_Flb4jBinding";

    private BindingWriter() {}

    /** {@code com.example.Outer.Inner} → {@code com.example.Outer_Inner_Flb4jBinding}. */
    static ClassName bindingName(ClassName plugin) {
        return ClassName.get(plugin.packageName(), String.join("_", plugin.simpleNames()) + SUFFIX);
    }

    /** The binding, whose {@code recordMappers()} lists {@code mappers} (the module's {@code @EventRecord} mappers). */
    static JavaFile write(PluginModel model, List<ClassName> mappers) {
        ClassName plugin = ClassName.get(model.type());
        TypeSpec.Builder builder = TypeSpec.classBuilder(bindingName(plugin))
                .addAnnotation(AnnotationSpec.builder(Generated.class)
                        .addMember("value", "$S", PluginProcessor.class.getName()).build())
                .addJavadoc("Binds {@link $T}: creates it, reads its configuration, registers its metrics.\n", plugin)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(ParameterizedTypeName.get(ClassName.get(PluginBinding.class), plugin))
                .addMethod(MethodSpec.methodBuilder("pluginClass")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(ParameterizedTypeName.get(ClassName.get(Class.class), plugin))
                        .addStatement("return $T.class", plugin)
                        .build())
                .addMethod(MethodSpec.methodBuilder("newInstance")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(plugin)
                        .addStatement("return new $T()", plugin)
                        .build())
                .addMethod(bindConfig(model, plugin))
                .addMethod(registerMetrics(model, plugin));
        if (!mappers.isEmpty()) {
            CodeBlock.Builder list = CodeBlock.builder();
            for (int i = 0; i < mappers.size(); i++) {
                list.add(i == 0 ? "new $T()" : ", new $T()", mappers.get(i));
            }
            builder.addMethod(MethodSpec.methodBuilder("recordMappers")
                    .addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC)
                    .returns(ParameterizedTypeName.get(ClassName.get(List.class),
                            ParameterizedTypeName.get(ClassName.get(RecordMapper.class), WildcardTypeName.subtypeOf(Object.class))))
                    .addStatement("return $T.of($L)", List.class, list.build())
                    .build());
        }
        TypeSpec binding = builder.build();
        return JavaFile.builder(plugin.packageName(), binding)
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }

    private static MethodSpec bindConfig(PluginModel model, TypeName plugin) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("bindConfig")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(plugin, "plugin")
                .addParameter(Config.class, "config")
                .addException(ConfigException.class)
                .addStatement("$T reader = new $T($S, config)", ConfigReader.class, ConfigReader.class, model.name());
        for (PluginModel.Key key : model.keys()) {
            CodeBlock defaultValue = key.defaultValue() == null ? CodeBlock.of("null") : CodeBlock.of("$S", key.defaultValue());
            if (key.secret() || !key.constraints().isEmpty()) {
                CodeBlock.Builder rules = CodeBlock.builder().add("$S, $L", key.key(), key.secret());
                key.constraints().forEach(c -> rules.add(", $S", c));
                m.addStatement("reader.rules($L)", rules.build());
            }
            if (key.type().optional()) {
                m.addStatement("plugin.$N = reader.optional($S, $L, $L, $L)", key.field(), key.key(), defaultValue,
                        key.type().parser(), key.type().expected());
            } else {
                m.addStatement("reader.bind($S, $L, $L, $L, $L, value -> plugin.$N = value)", key.key(), defaultValue,
                        key.required(), key.type().parser(), key.type().expected(), key.field());
            }
        }
        return m.addStatement("reader.finish()").build();
    }

    private static MethodSpec registerMetrics(PluginModel model, TypeName plugin) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("registerMetrics")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(plugin, "plugin")
                .addParameter(Metrics.class, "metrics");
        for (PluginModel.Metric metric : model.metrics()) {
            CodeBlock.Builder args = CodeBlock.builder().add("$S, $S", metric.name(), metric.help());
            for (String label : metric.labels()) {
                args.add(", $S", label);
            }
            m.addStatement("plugin.$N = metrics.$N($L)", metric.field(), metric.kind().factoryMethod(), args.build());
        }
        return m.build();
    }
}
