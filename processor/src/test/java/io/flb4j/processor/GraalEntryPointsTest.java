package io.flb4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import io.flb4j.api.Event;
import io.flb4j.codec.EventEncoder;
import io.flb4j.host.HostApi;
import io.flb4j.host.PluginHost;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * {@code -Aflb4j.engine=graal}: the generated entry points compile against the GraalVM SDK, one
 * per shim call, and their logic runs on the JVM through the plain methods they call.
 */
class GraalEntryPointsTest {
    private static Compilation compileForGraal(JavaFileObject source) {
        return javac().withOptions("-Aflb4j.engine=graal").withProcessors(new PluginProcessor()).compile(source);
    }

    private static List<String> entryPoints(Compilation c, String generated) throws IOException {
        String text = c.generatedSourceFile(generated).orElseThrow().getCharContent(true).toString();
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("@CEntryPoint\\(\\s*name = \"([a-z0-9_]+)\"").matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(text).doesNotContain("ServiceLoader");
        assertThat(text).doesNotContain("getMethod");
        assertThat(text).doesNotContain("forName");
        return names;
    }

    /**
     * The entry points the shim's GraalVM engine looks up, in {@code graal.c}'s {@code symbols}
     * (from flb4j-native): the other side of the contract the generated code must meet.
     */
    static List<String> shimEntryPoints() throws IOException {
        String graalC;
        try (var in = GraalEntryPointsTest.class.getResourceAsStream("/io/flb4j/native/shim/graal.c")) {
            graalC = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String symbols = graalC.substring(graalC.indexOf("symbols[] = {"), graalC.indexOf("};", graalC.indexOf("symbols[] = {")));
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\"(" + GraalEntryWriter.C_PREFIX + "[a-z_]+)\"").matcher(symbols);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).isNotEmpty();
        return names;
    }

    @Test
    void anOutputGetsOneEntryPointPerShimCall() throws IOException {
        Compilation c = compileForGraal(CompileErrorsTest.output("  @ConfigKey(defaultValue = \"x\") String path;"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(entryPoints(c, "test.Out_Flb4jGraalEntryPoints")).containsExactlyElementsIn(shimEntryPoints());
        assertThat(c.generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/native-image/io.flb4j/out/native-image.properties"))
                .isPresent();
    }

    @Test
    void anInputAndACustomPluginToo() throws IOException {
        Compilation in = compileForGraal(CompileErrorsTest.input("  @ConfigKey(defaultValue = \"1\") int every;"));
        assertThat(in).succeeded();
        assertThat(entryPoints(in, "test.In_Flb4jGraalEntryPoints")).containsExactlyElementsIn(shimEntryPoints());
        Compilation custom = compileForGraal(CompileErrorsTest.source("C", "package test;\n"
                + "import io.flb4j.annotations.*;\nimport io.flb4j.api.*;\n"
                + "@FluentBitCustom(name = \"c\")\npublic class C implements CustomPlugin {\n"
                + "  public void init(FluentBit fbit) {}\n}\n"));
        assertThat(custom).succeeded();
        assertThat(entryPoints(custom, "test.C_Flb4jGraalEntryPoints")).containsExactlyElementsIn(shimEntryPoints());
    }

    @Test
    void theJvmEngineBuildGeneratesNoEntryPoints() {
        Compilation c = javac().withProcessors(new PluginProcessor()).compile(CompileErrorsTest.output(""));
        assertThat(c).succeeded();
        assertThat(c.generatedSourceFile("test.Out_Flb4jGraalEntryPoints")).isEmpty();
    }

    /** What the entry points call, run on the JVM: start, init, flush, exit, unregister. */
    @Test
    void theEntryPointsLogicRunsOnTheJvm() throws Exception {
        Compilation c = compileForGraal(CompileErrorsTest.output("  @ConfigKey(defaultValue = \"x\") String path;"));
        ClassLoader loader = new GeneratedClassLoader(c, getClass().getClassLoader());
        Class<?> entry = loader.loadClass("test.Out_Flb4jGraalEntryPoints");
        List<String> logs = new ArrayList<>();
        HostApi api = new LoggingHostApi(logs);
        assertThat(call(entry, "start", new Class<?>[] {HostApi.class}, api)).isEqualTo(true);
        long handle = (long) call(entry, "init", new Class<?>[] {long.class}, 7L);
        assertThat(handle).isGreaterThan(0L);
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        chunk.writeBytes(new EventEncoder().encode(Event.of(Map.of("message", "hi"))));
        java.util.concurrent.CompletableFuture<Integer> answer = new java.util.concurrent.CompletableFuture<>();
        java.util.function.IntConsumer done = answer::complete;
        Object code = call(entry, "flush", new Class<?>[] {long.class, ByteBuffer.class, String.class,
                java.util.function.IntConsumer.class}, handle, ByteBuffer.wrap(chunk.toByteArray()), "app", done);
        assertThat(code).isEqualTo(PluginHost.FLUSH_PENDING);
        assertThat(answer.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(PluginHost.FLB_OK);
        assertThat(call(entry, "exit", new Class<?>[] {long.class}, handle)).isEqualTo(PluginHost.FLB_OK);
        call(entry, "unregister", new Class<?>[0]);
        assertThat(logs).isEmpty();
    }

    private static Object call(Class<?> c, String name, Class<?>[] types, Object... args) throws Exception {
        Method m = c.getDeclaredMethod(name, types);
        m.setAccessible(true);
        return m.invoke(null, args);
    }

    /** Loads the classes a compilation wrote, next to the test's own. */
    private static final class GeneratedClassLoader extends ClassLoader {
        private final Compilation compilation;

        GeneratedClassLoader(Compilation compilation, ClassLoader parent) {
            super(parent);
            this.compilation = compilation;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            String path = name.replace('.', '/') + ".class";
            for (JavaFileObject f : compilation.generatedFiles()) {
                if (f.getKind() == JavaFileObject.Kind.CLASS && f.toUri().getPath().endsWith(path)) {
                    try (var in = f.openInputStream()) {
                        byte[] bytes = in.readAllBytes();
                        return defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
            }
            throw new ClassNotFoundException(name);
        }
    }

    /** A host with no properties that keeps every log line. */
    private record LoggingHostApi(List<String> logs) implements HostApi {
        @Override public int submit(long instance, ByteBuffer batch, int offset, int length) { return SUBMIT_NO_PATH; }
        @Override public String property(long instance, String key) { return null; }
        @Override public String instanceName(long instance) { return null; }
        @Override public boolean logEnabled(long instance, int level) { return level <= 2; }
        @Override public void log(long instance, int level, String message) { logs.add(message); }
        @Override public long counterCreate(long i, String ns, String s, String n, String h, String[] k) { return 1; }
        @Override public long gaugeCreate(long i, String ns, String s, String n, String h, String[] k) { return 1; }
        @Override public void counterAdd(long counter, double value, String[] labelValues) { }
        @Override public void gaugeSet(long gauge, double value, String[] labelValues) { }
        @Override public void gaugeAdd(long gauge, double value, String[] labelValues) { }
    }
}
