package io.flb4j.processor;

import com.squareup.javapoet.AnnotationSpec;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.FieldSpec;
import com.squareup.javapoet.JavaFile;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.TypeName;
import com.squareup.javapoet.TypeSpec;
import io.flb4j.binding.PluginBinding;
import io.flb4j.binding.PluginDescriptor;
import io.flb4j.host.HostApi;
import io.flb4j.host.PluginHost;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.IntConsumer;
import javax.annotation.processing.Generated;
import javax.lang.model.element.Modifier;

/**
 * Generates the GraalVM engine's entry points of a plugin ({@code -Aflb4j.engine=graal}): one
 * {@code @CEntryPoint} per shim call, over an {@code IsolateThread}. Each is a thin conversion of
 * C values that calls a plain static method of the same class (the test seam), which calls
 * {@link PluginHost} with the binding and the descriptor referenced directly: no ServiceLoader,
 * no reflection, no class-path scanning.
 */
final class GraalEntryWriter {
    static final String SUFFIX = PluginBinding.GRAAL_ENTRY_POINTS_SUFFIX;
    /**
     * Every entry point's C name is this and the shim call's name ({@code flb4j_graal_flush}); the
     * shim's {@code graal.c} looks them up, and a test checks its list against what is generated.
     */
    static final String C_PREFIX = "flb4j_graal_";

    private static final ClassName C_ENTRY_POINT = ClassName.get("org.graalvm.nativeimage.c.function", "CEntryPoint");
    private static final ClassName ISOLATE_THREAD = ClassName.get("org.graalvm.nativeimage", "IsolateThread");
    private static final ClassName UNMANAGED = ClassName.get("org.graalvm.nativeimage", "UnmanagedMemory");
    private static final ClassName C_TYPES = ClassName.get("org.graalvm.nativeimage.c.type", "CTypeConversion");
    private static final ClassName C_CHARS = ClassName.get("org.graalvm.nativeimage.c.type", "CCharPointer");
    private static final ClassName C_LONG_POINTER = ClassName.get("org.graalvm.nativeimage.c.type", "CLongPointer");
    private static final ClassName WORD_POINTER = ClassName.get("org.graalvm.nativeimage.c.type", "WordPointer");
    private static final ClassName POINTER_BASE = ClassName.get("org.graalvm.word", "PointerBase");
    private static final ClassName GRAAL_HOST = ClassName.get("io.flb4j.engine.graal", "GraalHost");
    private static final ClassName GRAAL_HOST_API = ClassName.get("io.flb4j.engine.graal", "GraalHostApi");

    private GraalEntryWriter() {}

    static ClassName entryPointsName(ClassName plugin) {
        return ClassName.get(plugin.packageName(), String.join("_", plugin.simpleNames()) + SUFFIX);
    }

    static JavaFile write(PluginModel model) {
        ClassName plugin = ClassName.get(model.type());
        ClassName self = entryPointsName(plugin);
        StringWriter descriptor = new StringWriter();
        try {
            model.descriptor().write(descriptor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TypeSpec.Builder t = TypeSpec.classBuilder(self)
                .addAnnotation(AnnotationSpec.builder(Generated.class)
                        .addMember("value", "$S", PluginProcessor.class.getName()).build())
                .addJavadoc("The GraalVM engine's entry points of {@link $T}, one per shim call.\n", plugin)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addField(FieldSpec.builder(String.class, "DESCRIPTOR", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("$S", descriptor.toString()).build())
                .addField(FieldSpec.builder(PluginHost.class, "host", Modifier.PRIVATE, Modifier.STATIC, Modifier.VOLATILE)
                        .build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        logic(t, plugin, self);
        entries(t);
        return JavaFile.builder(plugin.packageName(), t.build()).skipJavaLangImports(true).indent("    ").build();
    }

    /** The plain Java side, called by the entry points and by tests on the JVM. */
    private static void logic(TypeSpec.Builder t, ClassName plugin, ClassName self) {
        t.addMethod(MethodSpec.methodBuilder("start").addModifiers(Modifier.STATIC)
                .addJavadoc("Starts a plugin generation over {@code api}; false when it could not start.\n")
                .addParameter(HostApi.class, "api").returns(boolean.class)
                .beginControlFlow("try")
                .addStatement("$T d = $T.read(new $T(DESCRIPTOR))", PluginDescriptor.class, PluginDescriptor.class,
                        StringReader.class)
                .addStatement("host = $T.create(api, $T.class.getClassLoader(), d, new $T())", PluginHost.class, self,
                        BindingWriter.bindingName(plugin))
                .addStatement("return true")
                .nextControlFlow("catch ($T e)", IOException.class)
                .addStatement("api.log(0, 1, \"[flb4j] the compiled-in descriptor does not read: \" + e)")
                .addStatement("return false")
                .endControlFlow().build());
        simple(t, "init", long.class, "long instance", "host.initInstance(instance)");
        simple(t, "preRun", int.class, "int hotReload", "host.preRun(hotReload)");
        t.addMethod(MethodSpec.methodBuilder("flush").addModifiers(Modifier.STATIC).returns(int.class)
                .addJavadoc("Starts a flush; $T.FLUSH_PENDING when {@code done} gets the answer later.\n", PluginHost.class)
                .addParameter(long.class, "handle").addParameter(ByteBuffer.class, "chunk")
                .addParameter(String.class, "tag").addParameter(IntConsumer.class, "done")
                .addStatement("return host.flush(handle, chunk, tag, done)").build());
        simple(t, "collect", ByteBuffer.class, "long handle", "host.collect(handle)");
        simple(t, "handedOff", void.class, "long handle", "host.handedOff(handle)");
        simple(t, "pause", void.class, "", "host.pause()");
        simple(t, "resume", void.class, "", "host.resume()");
        simple(t, "preExit", void.class, "int byHotReload", "host.preExit(byHotReload)");
        simple(t, "exit", int.class, "long handle", "host.exitInstance(handle)");
        simple(t, "exitAll", int.class, "", "host.exitAll()");
        t.addMethod(MethodSpec.methodBuilder("unregister").addModifiers(Modifier.STATIC)
                .addStatement("$T h = host", PluginHost.class)
                .addStatement("host = null")
                .beginControlFlow("if (h != null)")
                .addStatement("h.unregister()")
                .endControlFlow().build());
    }

    private static void simple(TypeSpec.Builder t, String name, Class<?> returns, String parameter, String call) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(name).addModifiers(Modifier.STATIC).returns(returns);
        if (!parameter.isEmpty()) {
            String[] p = parameter.split(" ");
            m.addParameter(p[0].equals("long") ? TypeName.LONG : TypeName.INT, p[1]);
        }
        m.addStatement(returns == void.class ? "$L" : "return $L", call);
        t.addMethod(m.build());
    }

    /** The C side: every entry point catches everything, as no exception may reach C. */
    private static void entries(TypeSpec.Builder t) {
        entry(t, "start", TypeName.INT, List.of(param(WORD_POINTER, "hostTable")),
                statement("return start(new $T(new $T(hostTable))) ? 0 : -1", GRAAL_HOST_API, GRAAL_HOST), "-1");
        entry(t, "init", TypeName.LONG, List.of(param(TypeName.LONG, "instance")),
                statement("return init(instance)"), "0");
        entry(t, "pre_run", TypeName.INT, List.of(param(TypeName.INT, "hotReload")),
                statement("return preRun(hotReload)"), "0");
        entry(t, "flush", TypeName.INT, List.of(param(TypeName.LONG, "handle"),
                        param(POINTER_BASE, "data"), param(TypeName.LONG, "size"), param(C_CHARS, "tag"),
                        param(TypeName.LONG, "token")),
                CodeBlock.builder()
                        .addStatement("$T api = ($T) host.api()", GRAAL_HOST_API, GRAAL_HOST_API)
                        .addStatement("return flush(handle, $T.asByteBuffer(data, (int) size), $T.toJavaString(tag), "
                                + "code -> api.flushDone(token, code))", C_TYPES, C_TYPES).build(), "0");
        entry(t, "collect", TypeName.INT, List.of(param(TypeName.LONG, "handle"),
                        param(WORD_POINTER, "outData"), param(C_LONG_POINTER, "outLength")),
                CodeBlock.builder()
                        .addStatement("$T batch = collect(handle)", ByteBuffer.class)
                        .beginControlFlow("if (batch == null || !batch.hasRemaining())")
                        .addStatement("outLength.write(0)")
                        .addStatement("return 1")
                        .endControlFlow()
                        .add("// The SDK gives no address for a ByteBuffer: one copy, freed by the shim's cleanup\n")
                        .addStatement("int n = batch.remaining()")
                        .addStatement("$T copy = $T.malloc(n)", POINTER_BASE, UNMANAGED)
                        .addStatement("$T.asByteBuffer(copy, n).put(batch)", C_TYPES)
                        .addStatement("outData.write(copy)")
                        .addStatement("outLength.write(n)")
                        .addStatement("return 1").build(), "1");
        voidEntry(t, "handed_off", List.of(param(TypeName.LONG, "handle")), "handedOff(handle)");
        voidEntry(t, "pause", List.of(), "pause()");
        voidEntry(t, "resume", List.of(), "resume()");
        voidEntry(t, "pre_exit", List.of(param(TypeName.INT, "byHotReload")),
                "preExit(byHotReload)");
        entry(t, "exit", TypeName.INT, List.of(param(TypeName.LONG, "handle")),
                statement("return exit(handle)"), "0");
        entry(t, "exit_all", TypeName.INT, List.of(), statement("return exitAll()"), "0");
        voidEntry(t, "unregister", List.of(), "unregister()");
    }

    /** One {@code return} statement, the body of most entry points. */
    private static CodeBlock statement(String format, Object... args) {
        return CodeBlock.builder().addStatement(format, args).build();
    }

    private record Param(TypeName type, String name) {}

    private static Param param(TypeName type, String name) {
        return new Param(type, name);
    }

    /** {@code pre_exit}: the C name {@code flb4j_graal_pre_exit}, the Java name {@code preExitEntry}. */
    private static MethodSpec.Builder entryMethod(String call) {
        StringBuilder java = new StringBuilder();
        for (String part : call.split("_")) {
            java.append(java.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return MethodSpec.methodBuilder(java + "Entry")
                .addAnnotation(AnnotationSpec.builder(C_ENTRY_POINT).addMember("name", "$S", C_PREFIX + call).build());
    }

    private static void entry(TypeSpec.Builder t, String call, TypeName returns, List<Param> params,
                              CodeBlock body, String onFailure) {
        MethodSpec.Builder m = entryMethod(call)
                .addModifiers(Modifier.STATIC).returns(returns)
                .addParameter(ISOLATE_THREAD, "thread");
        params.forEach(p -> m.addParameter(p.type(), p.name()));
        m.beginControlFlow("try")
                .addCode(body)
                .nextControlFlow("catch ($T e)", Throwable.class)
                .addStatement("return $L", onFailure)
                .endControlFlow();
        t.addMethod(m.build());
    }

    private static void voidEntry(TypeSpec.Builder t, String name, List<Param> params, String call) {
        MethodSpec.Builder m = entryMethod(name)
                .addModifiers(Modifier.STATIC)
                .addParameter(ISOLATE_THREAD, "thread");
        params.forEach(p -> m.addParameter(p.type(), p.name()));
        m.beginControlFlow("try")
                .addStatement("$L", call)
                .nextControlFlow("catch ($T e)", Throwable.class)
                .addComment("nothing may reach C; the host logged what it could")
                .endControlFlow();
        t.addMethod(m.build());
    }
}
