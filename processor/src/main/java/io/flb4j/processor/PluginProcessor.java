package io.flb4j.processor;

import com.google.auto.service.AutoService;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.JavaFile;
import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitCustom;
import io.flb4j.annotations.FluentBitInput;
import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.annotations.MetricCounter;
import io.flb4j.annotations.MetricGauge;
import io.flb4j.binding.PluginBinding;
import io.flb4j.binding.PluginDescriptor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The flb4j annotation processor. For the one class of a module annotated
 * {@code @FluentBitInput}, {@code @FluentBitOutput} or {@code @FluentBitCustom}, it checks the
 * class, its {@code @ConfigKey} and metric fields (reporting every mistake as a compile error
 * on the element at fault), then generates {@code <Class>_Flb4jBinding}, its
 * {@code META-INF/services} registration and the plugin descriptor
 * ({@value PluginDescriptor#RESOURCE}). Validate, model, generate: {@link ModelReader},
 * {@link PluginModel}, {@link BindingWriter}.
 *
 * <p>Put it on the compiler's path as a {@code provided} dependency or in
 * {@code annotationProcessorPaths}.
 */
@AutoService(Processor.class)
public final class PluginProcessor extends AbstractProcessor {
    private static final List<Class<? extends Annotation>> PLUGIN_ANNOTATIONS =
            List.of(FluentBitInput.class, FluentBitOutput.class, FluentBitCustom.class);
    private static final List<Class<? extends Annotation>> FIELD_ANNOTATIONS =
            List.of(ConfigKey.class, MetricCounter.class, MetricGauge.class);

    /** The plugin class this compilation already generated for; a module holds one. */
    private TypeElement plugin;
    /** The record mappers this compilation generated, for the binding's {@code recordMappers()}. */
    private final Set<ClassName> mappers = new LinkedHashSet<>();
    /** Plugin classes that refer to a type a later round generates, by name. */
    private final Set<String> deferred = new LinkedHashSet<>();
    /** Runs before a plugin class is read: the seam a test uses to make the processor fail. */
    private final Consumer<TypeElement> beforeRead;

    public PluginProcessor() {
        this(type -> { });
    }

    PluginProcessor(Consumer<TypeElement> beforeRead) {
        this.beforeRead = beforeRead;
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        Set<String> names = new LinkedHashSet<>();
        PLUGIN_ANNOTATIONS.forEach(a -> names.add(a.getCanonicalName()));
        FIELD_ANNOTATIONS.forEach(a -> names.add(a.getCanonicalName()));
        names.add(io.flb4j.annotations.EventRecord.class.getCanonicalName());
        names.add(io.flb4j.annotations.EventField.class.getCanonicalName());
        return names;
    }

    /** {@code -Aflb4j.engine=graal} also generates the GraalVM engine's entry points. */
    static final String ENGINE_OPTION = "flb4j.engine";

    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(ENGINE_OPTION);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    /**
     * Never lets an exception reach javac: an unexpected one becomes a compile error on the
     * plugin class (as AutoValue does), so the user sees what failed and where to report it.
     */
    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        TypeElement current = null;
        try {
            ModelReader reader = new ModelReader(processingEnv.getMessager(), processingEnv.getElementUtils(),
                    processingEnv.getTypeUtils());
            for (Class<? extends Annotation> a : FIELD_ANNOTATIONS) {
                reader.checkOrphanFields(round.getElementsAnnotatedWith(a), a);
            }
            for (Element e : round.getElementsAnnotatedWith(io.flb4j.annotations.EventRecord.class)) {
                if (e instanceof TypeElement t && mappers.add(RecordMapperWriter.mapperName(
                        ClassName.get(t)))) {
                    current = t;
                    Optional<JavaFile> file = RecordMapperWriter.write(t, processingEnv.getMessager());
                    if (file.isPresent()) {
                        file.get().writeTo(processingEnv.getFiler());
                    } else {
                        mappers.remove(RecordMapperWriter.mapperName(ClassName.get(t)));
                    }
                }
            }
            current = null;
            for (TypeElement type : pluginClasses(round, reader)) {
                current = type;
                processPlugin(type, reader, round.processingOver());
            }
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "flb4j could not write a record mapper: "
                    + e.getMessage(), current);
        } catch (RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "the flb4j annotation processor failed"
                    + (current != null ? " on " + current.getQualifiedName() : "") + ": " + e
                    + ". This is a bug in flb4j, not in your code; please report it with this message.\n" + trace,
                    current);
        }
        // These annotations are flb4j's alone: claim them (no "not claimed" lint warning).
        return true;
    }

    private void processPlugin(TypeElement type, ModelReader reader, boolean lastRound) {
        if (!lastRound && refersToUngenerated(type)) {
            deferred.add(type.getQualifiedName().toString());   // its field types come in a later round
            return;
        }
        deferred.remove(type.getQualifiedName().toString());
        if (plugin != null && !plugin.equals(type)) {
            reader.error(type, "a module builds one Fluent Bit plugin (one .so registers one plugin), but "
                    + type.getQualifiedName() + " is a second plugin class next to " + plugin.getQualifiedName()
                    + "; move it to a module of its own");
            return;
        }
        plugin = type;
        beforeRead.accept(type);
        reader.read(type).ifPresent(this::generate);
    }

    private static boolean refersToUngenerated(TypeElement type) {
        return ElementFilter.fieldsIn(type.getEnclosedElements()).stream()
                .anyMatch(f -> f.asType().getKind() == TypeKind.ERROR);
    }

    private List<TypeElement> pluginClasses(RoundEnvironment round, ModelReader reader) {
        Set<TypeElement> found = new LinkedHashSet<>();
        for (String name : deferred) {
            TypeElement t = processingEnv.getElementUtils().getTypeElement(name);
            if (t != null) {
                found.add(t);
            }
        }
        for (Class<? extends Annotation> a : PLUGIN_ANNOTATIONS) {
            for (Element e : round.getElementsAnnotatedWith(a)) {
                if (e instanceof TypeElement t) {
                    found.add(t);
                }
            }
        }
        List<TypeElement> plugins = new ArrayList<>();
        for (TypeElement t : found) {
            long count = PLUGIN_ANNOTATIONS.stream().filter(a -> t.getAnnotation(a) != null).count();
            if (count > 1) {
                reader.error(t, "class " + t.getSimpleName() + " carries more than one of @FluentBitInput, "
                        + "@FluentBitOutput and @FluentBitCustom; a plugin is of one kind");
                continue;
            }
            plugins.add(t);
        }
        return plugins;
    }

    private void generate(PluginModel model) {
        try {
            BindingWriter.write(model, List.copyOf(mappers)).writeTo(processingEnv.getFiler());
            if ("graal".equals(processingEnv.getOptions().get(ENGINE_OPTION))) {
                GraalEntryWriter.write(model).writeTo(processingEnv.getFiler());
                writeResource("META-INF/native-image/io.flb4j/" + model.name() + "/native-image.properties", model,
                        w -> w.write("# Generated by flb4j: the plugin's image is a shared library of its entry points.\n"
                                + "Args = --shared --no-fallback\n"));
            }
            String binding = BindingWriter.bindingName(ClassName.get(model.type())).reflectionName();
            writeResource("META-INF/services/" + PluginBinding.class.getName(), model, w -> w.write(binding + "\n"));
            writeResource(PluginDescriptor.RESOURCE, model, w -> model.descriptor().write(w));
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                    "flb4j could not write the binding of " + model.type().getSimpleName() + ": " + e.getMessage(),
                    model.type());
        }
    }

    private interface Content {
        void writeTo(Writer writer) throws IOException;
    }

    private void writeResource(String path, PluginModel model, Content content) throws IOException {
        FileObject file = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", path, model.type());
        try (Writer w = file.openWriter()) {
            content.writeTo(w);
        }
    }
}
