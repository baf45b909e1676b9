package io.flb4j.maven;

import static com.google.common.truth.Truth.assertThat;

import io.flb4j.api.Event;
import io.flb4j.binding.PluginDescriptor;
import io.flb4j.codec.EventEncoder;
import io.flb4j.nativecode.NativeFiles;
import io.flb4j.testkit.TestHost;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GraalVM engine's build and shim, on a machine without GraalVM. A stand-in
 * {@code native-image} (a script) records how it was called and compiles {@code fake_image.c},
 * a C library with the API of a real image, as the image. The shim is then built around it
 * exactly as around a real one and driven through the C test host: what is checked is flb4j's
 * side (the command, the embedding, isolate start, thread attach, every call through the same
 * dispatch, the host table); what a real image does inside is not.
 */
class GraalEngineTest {
    private static final Path WORK = Path.of("target/graal-test").toAbsolutePath();
    private static TestHost testhost;
    private static Path classes;
    private static Path tool;
    private static Path chunk;

    @BeforeAll
    static void setUp() throws Exception {
        testhost = TestHost.build(WORK.resolve("host"));
        classes = TestPlugins.compile("CountingOutput.java", "graal_out", WORK, List.of("-Aflb4j.engine=graal"));
        NativeFiles.copy(TestHost.C_FILES, List.of("fake_image.c"), WORK);
        tool = WORK.resolve("graalvm/bin/native-image");
        Files.createDirectories(tool.getParent());
        Files.writeString(tool, "#!/bin/sh\n"
                + "# A stand-in for GraalVM's native-image: records its arguments, builds fake_image.c as the image.\n"
                + "printf '%s\\n' \"$@\" > args.txt\n"
                + "while [ $# -gt 0 ]; do if [ \"$1\" = -o ]; then out=\"$2\"; fi; shift; done\n"
                + "exec cc -shared -fPIC -o \"$out.so\" " + WORK.resolve("fake_image.c") + " -lpthread\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        ByteArrayOutputStream events = new ByteArrayOutputStream();
        for (int i = 0; i < 10; i++) {
            events.writeBytes(new EventEncoder().encode(Event.of(Map.of("n", i))));
        }
        chunk = WORK.resolve("chunk.bin");
        Files.write(chunk, events.toByteArray());
    }

    /**
     * What the maven plugin does for {@code -Dflb4j.engine=graal}: image, then the shim around it.
     * The stand-in image reads keys the descriptor does not declare ({@code greeting}), as a
     * plugin with {@code dynamicKeys = true} does, so Fluent Bit 5.1.1 is told no keys.
     */
    private static Path buildGraal(PluginDescriptor declared, String name) throws Exception {
        PluginDescriptor d = new PluginDescriptor(declared.name(), declared.kind(), declared.description(),
                declared.pluginClass(), declared.eventTypes(), declared.concurrentFlush(), declared.keys(),
                declared.metrics(), true);
        Path image = GraalVm.buildImage(tool, List.of(classes), List.of("-march=native"), WORK.resolve(name + "-image"),
                "cc");
        Path so = WORK.resolve(name + ".so");
        new SharedObjectBuilder(d, image, Path.of(System.getProperty("java.home"))).engine(Engine.GRAAL)
                .build(WORK.resolve(name + "-src"), so);
        return so;
    }

    @Test
    void theProcessorGeneratedTheEntryPointsTheBuildLooksFor() throws Exception {
        assertThat(GraalVm.hasEntryPoints(classes)).isTrue();
        Path jvmOnly = TestPlugins.compile("CountingOutput.java", "jvm_only", WORK);
        assertThat(GraalVm.hasEntryPoints(jvmOnly)).isFalse();
    }

    @Test
    void nativeImageIsCalledForASharedLibraryOfTheClassPath() throws Exception {
        Path image = GraalVm.buildImage(tool, List.of(classes, Path.of("dep.jar")), List.of("-march=native"),
                WORK.resolve("args-image"), "cc");
        assertThat(image.getFileName().toString()).isEqualTo("flb4j-image.so");
        assertThat(Files.readAllLines(image.resolveSibling("args.txt"))).containsExactly("--shared",
                "-march=compatibility", "-R:MaxNewSize=8m", "-R:MaxHeapSize=128m",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "-march=native", "-cp",
                classes + ":" + Path.of("dep.jar").toAbsolutePath(), "-o", "flb4j-image").inOrder();
    }

    /** The heap defaults go to native-image first; a user's own option comes after and so wins. */
    @Test
    void theHeapDefaultsArePassedAndAUsersOptionComesAfterThem() throws Exception {
        Path image = GraalVm.buildImage(tool, List.of(classes), List.of("-R:MaxNewSize=32m"), WORK.resolve("heap-image"),
                "cc");
        List<String> args = Files.readAllLines(image.resolveSibling("args.txt"));
        assertThat(args).containsAtLeast("-R:MaxNewSize=8m", "-R:MaxHeapSize=128m", "-R:MaxNewSize=32m").inOrder();
    }

    /**
     * An image from an incomplete GraalVM (a JDK native method no static library provided) fails
     * the package step with the one message naming the symbol and the library; an image whose
     * undefined symbols the C library provides passes (every other test here builds one).
     */
    @Test
    void anImageNeedingASymbolNothingProvidesFailsThePackageStep() throws Exception {
        Path partial = WORK.resolve("partial/bin/native-image");
        Files.createDirectories(partial.getParent());
        Files.writeString(partial, "#!/bin/sh\n"
                + "while [ $# -gt 0 ]; do if [ \"$1\" = -o ]; then out=\"$2\"; fi; shift; done\n"
                + "exec cc -shared -fPIC -DFAKE_MISSING_SYMBOL -o \"$out.so\" " + WORK.resolve("fake_image.c")
                + " -lpthread\n");
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> GraalVm.buildImage(partial, List.of(classes), List.of(), WORK.resolve("partial-image"), "cc"));
        Path image = WORK.resolve("partial-image/flb4j-image.so");   // native-image wrote it; the check refused it
        assertThat(ImageCheck.undefinedSymbols(image)).contains("Java_jdk_net_LinuxSocketOptions_keepAliveOptionsSupported0");
        assertThat(e).hasMessageThat().isEqualTo("the native image needs symbols that no Fluent Bit process provides, "
                + "so Fluent Bit would refuse to load the plugin: Java_jdk_net_LinuxSocketOptions_keepAliveOptionsSupported0 "
                + "(JDK native methods: libextnet.a in GraalVM's lib/static/<os>-<arch>/<libc>/ is missing them). The "
                + "GraalVM that built it is incomplete for this target: use a full GraalVM distribution (GRAALVM_HOME) with "
                + "the static JDK libraries for this platform, or the JVM engine.");
        Path complete = GraalVm.buildImage(tool, List.of(classes), List.of(), WORK.resolve("complete-image"), "cc");
        assertThat(ImageCheck.undefinedSymbols(complete)).contains("pthread_create");
    }

    @Test
    void aFailingNativeImageFailsTheBuildWithItsOutput() throws Exception {
        Path broken = WORK.resolve("broken/bin/native-image");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "#!/bin/sh\necho 'Error: Classes that should be initialized at run time got initialized'\nexit 1\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwxr-xr-x"));
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> GraalVm.buildImage(broken, List.of(classes), List.of(), WORK.resolve("broken-image"), "cc"));
        assertThat(e).hasMessageThat().contains("native-image failed (exit 1");
        assertThat(e).hasMessageThat().contains("Classes that should be initialized at run time got initialized");
    }

    @Test
    void anOutputRunsThroughTheIsolateOnTheShimsThreads() throws Exception {
        Path so = buildGraal(TestPlugins.descriptor(classes), "graal_out");
        List<String> out = testhost.run(Map.of(), "output", so.toString(), chunk.toString(), "500", "2", "greeting=hi");
        assertThat(out).contains("init rc=1");
        assertThat(out).contains("flush ok=1000 retry=0 error=0");
        assertThat(out.stream().anyMatch(l -> l.endsWith("fake image: start 1, greeting hi"))).isTrue();
        assertThat(out.stream().anyMatch(l -> l.endsWith("fake image: isolates 1, instance graal_out.0"))).isTrue();
        assertThat(out).contains("metric fluentbit_fake_flushes_total{name=graal_out.0} 1000");
        assertThat(out.stream().anyMatch(l -> l.endsWith("fake image: exit after 1000 flushes, all answered"))).isTrue();
        assertThat(out).contains("exit rc=1");
        assertThat(out.stream().filter(l -> l.startsWith("fatal")).toList()).isEmpty();
    }

    @Test
    void aFailedInitIsAnErrorAndNothingMore() throws Exception {
        Path so = buildGraal(TestPlugins.descriptor(classes), "graal_fail");
        List<String> out = testhost.run(Map.of(), "init", so.toString(), "greeting=fail");
        assertThat(out).contains("init rc=0");
        assertThat(out).contains("done");
    }

    @Test
    void reloadsKeepOneIsolateAndStartAGenerationEachTime() throws Exception {
        Path so = buildGraal(TestPlugins.descriptor(classes), "graal_reload");
        List<String> out = testhost.run(Map.of(), "reload", so.toString(), chunk.toString(), "3");
        assertThat(out).contains("reload ok=3");
        assertThat(out.stream().anyMatch(l -> l.endsWith("fake image: start 3, greeting (null)"))).isTrue();
        assertThat(out.stream().filter(l -> l.contains("fake image: isolates 1,")).count()).isEqualTo(3);
        assertThat(out.stream().filter(l -> l.contains("fake image: unregister")).count()).isEqualTo(3);
    }

    @Test
    void anInputCollectsWhatTheIsolateReturns() throws Exception {
        Path inputClasses = TestPlugins.compile("NumberInput.java", "graal_in", WORK, List.of("-Aflb4j.engine=graal"));
        Path so = buildGraal(TestPlugins.descriptor(inputClasses), "graal_in");
        Path collected = WORK.resolve("graal_in.bin");
        List<String> out = testhost.run(Map.of(), "input", so.toString(), collected.toString(), "22", "2000");
        assertThat(out).contains("init rc=1");
        byte[] bytes = Files.readAllBytes(collected);
        assertThat(bytes.length).isAtLeast(22);
        assertThat(new String(bytes, 6, 4, StandardCharsets.US_ASCII)).isEqualTo("fake");
    }

    /** What an image must not need: reflection, ServiceLoader, class-path scanning, resources by name. */
    private static final List<String> FORBIDDEN = List.of("java/util/ServiceLoader.", "java/lang/Class.forName",
            "java/lang/Class.getMethod", "java/lang/Class.getDeclared", "java/lang/Class.getField",
            "java/lang/Class.getConstructor", "java/lang/Class.newInstance", "java/lang/reflect/",
            "java/lang/ClassLoader.loadClass", "java/lang/ClassLoader.getResource", "java/lang/Class.getResource",
            "java/lang/invoke/MethodHandles$Lookup.find");

    @Test
    void nothingReachableFromTheEntryPointsUsesReflectionOrServiceLoader() throws Exception {
        Reachability graph = Reachability.of(List.of(classes, location(io.flb4j.host.PluginHost.class),
                location(io.flb4j.engine.graal.GraalHostApi.class), location(io.flb4j.engine.jvm.JvmEntry.class)));
        Set<String> fromEntryPoints = graph.externalCallsFrom("io.flb4j.testplugins.CountingOutput_Flb4jGraalEntryPoints");
        // The walk does reach the runtime and the plugin: the host's flush reads the chunk through
        // ByteBuffer and calls the plugin's flush through the generated binding.
        assertThat(fromEntryPoints.stream().anyMatch(c -> c.startsWith("java/nio/ByteBuffer."))).isTrue();
        assertThat(graph.methodsReachedFrom("io.flb4j.testplugins.CountingOutput_Flb4jGraalEntryPoints").stream()
                .anyMatch(m -> m.startsWith("io/flb4j/testplugins/CountingOutput.flush:"))).isTrue();
        for (String call : fromEntryPoints) {
            if (FORBIDDEN.stream().anyMatch(call::startsWith)) {
                throw new AssertionError("reachable from the entry points: " + String.join("\n  -> ",
                        graph.pathTo("io.flb4j.testplugins.CountingOutput_Flb4jGraalEntryPoints", call)));
            }
        }
        // The same check does find the JVM engine's ServiceLoader, so it can fail.
        assertThat(graph.externalCallsFrom("io.flb4j.engine.jvm.JvmEntry").stream()
                .filter(c -> c.startsWith("java/util/ServiceLoader.")).toList()).isNotEmpty();
    }

    private static Path location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void exportsTheAbiAndNothingElse() throws Exception {
        Path so = buildGraal(TestPlugins.descriptor(classes), "graal_nm");
        Process nm = new ProcessBuilder("nm", "-D", "--defined-only", so.toString()).start();
        Set<String> symbols = new String(nm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).collect(Collectors.toCollection(TreeSet::new));
        assertThat(nm.waitFor()).isEqualTo(0);
        assertThat(symbols).isNotEmpty();
        assertThat(symbols.stream().filter(s -> !s.startsWith("FLBPlugin")).toList()).isEmpty();
        assertThat(symbols).doesNotContain("flb4j_graal_init");
    }

    /** {@code graal.c} from flb4j-native, as the shim is compiled from it. */
    private static String graalC() throws Exception {
        Path dir = WORK.resolve("contract");
        NativeFiles.copy(NativeFiles.SHIM, List.of("graal.c"), dir);
        return Files.readString(dir.resolve("graal.c"));
    }

    /** The names inside {@code <array>[] = { ... };} of a C file that match {@code pattern}, in order. */
    private static List<String> array(String c, String array, String pattern) {
        int start = c.indexOf(array + "[] = {");
        String body = c.substring(start, c.indexOf("};", start));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(pattern).matcher(body);
        List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The stand-in image defines every entry point the shim looks up, and no other. */
    @Test
    void theStandInImageMeetsTheShimsList() throws Exception {
        List<String> shim = array(graalC(), "symbols", "\"(flb4j_graal_[a-z_]+)\"");
        Path dir = WORK.resolve("contract");
        NativeFiles.copy(TestHost.C_FILES, List.of("fake_image.c"), dir);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\w[\\w *]*\\b(flb4j_graal_[a-z_]+)\\(",
                java.util.regex.Pattern.MULTILINE).matcher(Files.readString(dir.resolve("fake_image.c")));
        Set<String> defined = new TreeSet<>();
        while (m.find()) {
            defined.add(m.group(1));
        }
        assertThat(shim).hasSize(12);
        assertThat(defined).containsExactlyElementsIn(shim);
    }

    /** The shim's host table and GraalHost's indexes: hostcall_flush_done is FLUSH_DONE, at its index. */
    @Test
    void theHostTableHasGraalHostsOrder() throws Exception {
        List<String> table = array(graalC(), "host_table", "\\(void \\*\\) hostcall_([a-z_]+)");
        assertThat(table).hasSize(io.flb4j.engine.graal.GraalHost.COUNT);
        for (int i = 0; i < table.size(); i++) {
            String constant = table.get(i).toUpperCase(java.util.Locale.ROOT);
            assertThat(io.flb4j.engine.graal.GraalHost.class.getField(constant).getInt(null)).isEqualTo(i);
        }
    }
}
