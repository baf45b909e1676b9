package io.flb4j.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import com.google.testing.compile.JavaFileObjects;
import org.junit.jupiter.api.Test;

/** Every mistake a plugin class can make is a compile error on the element at fault, with the fix. */
class CompileErrorsTest {
    private static final String IMPORTS = String.join("\n",
            "package test;",
            "import io.flb4j.annotations.*;",
            "import io.flb4j.api.*;",
            "import java.time.Duration;",
            "import java.util.*;",
            "import jakarta.validation.constraints.*;",
            "");

    /** An output plugin class with {@code body} inside. */
    static JavaFileObject output(String body) {
        return plugin("Out", "@FluentBitOutput(name = \"out\")", "OutputPlugin", body,
                "public FlushResult flush(String tag, Events events) { return FlushResult.OK; }");
    }

    /** An input plugin class with {@code body} inside. */
    static JavaFileObject input(String body) {
        return plugin("In", "@FluentBitInput(name = \"in\")", "InputPlugin", body, "public void collect(EventSink sink) {}");
    }

    private static JavaFileObject plugin(String name, String annotation, String iface, String body, String method) {
        return source(name, IMPORTS + annotation + "\npublic class " + name + " implements " + iface + " {\n"
                + body + "\n  " + method + "\n}\n");
    }

    static JavaFileObject source(String name, String text) {
        return JavaFileObjects.forSourceString("test." + name, text);
    }

    static Compilation compile(JavaFileObject... sources) {
        return javac().withOptions("-Xlint:all,-processing", "-Werror").withProcessors(new PluginProcessor()).compile(sources);
    }

    private static void assertError(JavaFileObject src, String line, String... messageParts) {
        Compilation c = compile(src);
        assertThat(c).failed();
        for (String part : messageParts) {
            assertThat(c).hadErrorContaining(part).inFile(src).onLineContaining(line);
        }
    }

    @Test
    void defaultValueThatDoesNotParseNamesKeyAndExpectedType() {
        JavaFileObject src = output("  @ConfigKey(defaultValue = \"abc\") int retries;");
        assertError(src, "int retries;", "@ConfigKey 'retries': default value 'abc' is not a valid int",
                "expected a whole number");
    }

    /** Each kind of rule, against the default, at compile time: one error naming key, default and rule. */
    @Test
    void constraintsAreCheckedAgainstTheDefault() {
        assertError(output("  @ConfigKey(defaultValue = \"0\") @Min(1) int batch;"), "int batch",
                "@ConfigKey 'batch': default value '0' breaks @Min(1): it must be at least 1");
        assertError(output("  @ConfigKey(defaultValue = \"70000\") @Max(65535) int port;"), "int port",
                "default value '70000' breaks @Max(65535): it must be at most 65535");
        assertError(output("  @ConfigKey(defaultValue = \"0\") @Positive long threads;"), "long threads",
                "default value '0' breaks @Positive: it must be above 0");
        assertError(output("  @ConfigKey(defaultValue = \"-1.5\") @PositiveOrZero double ratio;"), "double ratio",
                "breaks @PositiveOrZero: it must be 0 or above");
        assertError(output("  @ConfigKey(defaultValue = \"Users\") @Pattern(regexp = \"[a-z_]+\") String table;"),
                "String table", "default value 'Users' breaks @Pattern(regexp = \"[a-z_]+\"): it must be matching "
                        + "the regular expression [a-z_]+");
        assertError(output("  @ConfigKey(defaultValue = \" \") @NotBlank String host;"), "String host",
                "breaks @NotBlank: it must be not blank");
        assertError(output("  @ConfigKey(defaultValue = \"ab\") @Size(min = 3, max = 8) String prefix;"), "prefix",
                "default value 'ab' breaks @Size(min = 3, max = 8): it must be 3 to 8 long");
        assertError(output("  @ConfigKey(defaultValue = \"a,b,c\") @Size(max = 2) List<String> hosts;"), "hosts",
                "breaks @Size(min = 0, max = 2): it must be 0 to 2 long");
        assertError(output("  @ConfigKey(defaultValue = \"\") @NotEmpty String name;"), "String name",
                "breaks @NotEmpty: it must be not empty");
    }

    @Test
    void aConstraintMustFitTheKeysType() {
        assertError(output("  @ConfigKey(defaultValue = \"x\") @Min(1) String level;"), "String level",
                "@ConfigKey 'level': @Min(1) does not apply to a string key");
        assertError(output("  @ConfigKey(defaultValue = \"1\") @NotBlank int count;"), "int count",
                "@NotBlank does not apply to a int key");
        assertError(output("  @ConfigKey @Pattern(regexp = \"[a-\") String name;"), "String name",
                "is not a valid regular expression");
        assertError(output("  @ConfigKey @Email String mail;"), "String mail",
                "@Email is not a constraint flb4j checks");
    }

    @Test
    void aSecretKeyHasNoDefault() {
        assertError(output("  @ConfigKey(secret = true, defaultValue = \"hunter2\") String password;"), "password",
                "@ConfigKey 'password' is secret and has a default value");
    }

    @Test
    void constraintsThatHoldCompile() {
        Compilation c = compile(output(String.join("\n",
                "  @ConfigKey(defaultValue = \"100\") @Min(1) @Max(10000) int batchSize;",
                "  @ConfigKey(defaultValue = \"logs\") @Pattern(regexp = \"[a-z_]+\") @NotBlank String table;",
                "  @ConfigKey @Positive Optional<Integer> threads;",
                "  @ConfigKey(required = true, secret = true) @Size(min = 8, max = 64) String password;")));
        assertThat(c).succeededWithoutWarnings();
    }

    @Test
    void defaultValuesOfEachTypeAreChecked() {
        assertError(output("  @ConfigKey(defaultValue = \"maybe\") boolean fsync;"), "fsync", "'maybe' is not a valid boolean");
        assertError(output("  @ConfigKey(defaultValue = \"5 weeks\") Duration timeout;"), "timeout", "is not a valid duration");
        assertError(output("  @ConfigKey(defaultValue = \"12X\") ByteSize bufferSize;"), "bufferSize",
                "@ConfigKey 'buffer_size': default value '12X' is not a valid size");
        assertError(output("  @ConfigKey(defaultValue = \"1.5.2\") double ratio;"), "double ratio", "not a valid double");
        assertError(output("  @ConfigKey(defaultValue = \"x\") Optional<Long> limit;"), "limit", "not a valid optional<long>");
        assertError(output("  enum Mode { FAST, SAFE }\n  @ConfigKey(defaultValue = \"slow\") Mode mode;"), "Mode mode",
                "expected one of fast, safe");
    }

    @Test
    void validDefaultsOfEveryTypeCompile() {
        Compilation c = compile(output(String.join("\n",
                "  enum Mode { FAST, SAFE }",
                "  @ConfigKey(defaultValue = \"fast\") Mode mode;",
                "  @ConfigKey(defaultValue = \"on\") boolean fsync;",
                "  @ConfigKey(defaultValue = \"500ms\") Duration timeout;",
                "  @ConfigKey(defaultValue = \"64K\") ByteSize bufferSize;",
                "  @ConfigKey(defaultValue = \"a, b\") List<String> hosts;",
                "  @ConfigKey(defaultValue = \"/tmp/x\") java.nio.file.Path path;",
                "  @ConfigKey(defaultValue = \"https://h:1/p\") java.net.URI uri;",
                "  @ConfigKey(defaultValue = \"7\") Integer boxed;",
                "  @ConfigKey Optional<Duration> maybe;")));
        assertThat(c).succeededWithoutWarnings();
    }

    @Test
    void configKeyOnPrivateStaticOrFinalField() {
        assertError(output("  @ConfigKey private String host;"), "private String host", "must not be private");
        assertError(output("  @ConfigKey static String host;"), "static String host", "must not be static");
        assertError(output("  @ConfigKey final String host = \"\";"), "final String host", "must not be final");
    }

    @Test
    void unsupportedTypeListsTheSupportedOnes() {
        assertError(output("  @ConfigKey java.net.Socket socket;"), "Socket socket",
                "field 'socket' has type java.net.Socket", "supported types are String, boolean");
        assertError(output("  @ConfigKey List<Integer> ports;"), "ports", "has type java.util.List<java.lang.Integer>");
    }

    @Test
    void requiredWithDefault() {
        assertError(output("  @ConfigKey(required = true, defaultValue = \"x\") String host;"), "String host",
                "is required and has a default value");
    }

    @Test
    void duplicateKeysAreCaseInsensitive() {
        assertError(output("  @ConfigKey String host;\n  @ConfigKey(name = \"HOST\") String other;"), "String other",
                "@ConfigKey 'HOST' is also bound to field 'host'");
    }

    @Test
    void reservedAndMalformedKeys() {
        assertError(output("  @ConfigKey String match;"), "String match", "Fluent Bit keeps 'match' of every output section");
        assertError(output("  @ConfigKey(name = \"Log_Level\") String lvl;"), "String lvl",
                "Fluent Bit keeps 'Log_Level' of every output section");
        assertError(output("  @ConfigKey(name = \"net.keepalive\") String ka;"), "String ka", "Fluent Bit keeps 'net.keepalive'");
        assertError(output("  @ConfigKey(name = \"flb4j.x\") String x;"), "String x", "reserved for flb4j");
        assertError(output("  @ConfigKey(name = \"a b\") String x;"), "String x", "key names may hold only");
    }

    @Test
    void pluginNameFluentBitWouldReject() {
        JavaFileObject src = source("Out", IMPORTS
                + "@FluentBitOutput(name = \"My-Out\")\n"
                + "public class Out implements OutputPlugin {\n"
                + "  public FlushResult flush(String tag, Events events) { return FlushResult.OK; }\n}\n");
        assertError(src, "public class Out", "plugin name 'My-Out' is not valid");
        assertError(source("Out", IMPORTS + "@FluentBitOutput(name = \"9out\")\n"
                + "public class Out implements OutputPlugin {\n"
                + "  public FlushResult flush(String tag, Events events) { return FlushResult.OK; }\n}\n"),
                "public class Out", "plugin name '9out' is not valid");
    }

    /** A dash, as in the Go seed's java-test-input-plugin: Fluent Bit takes it. */
    @Test
    void pluginNameWithADash() {
        Compilation c = javac().withProcessors(new PluginProcessor()).compile(source("Out", IMPORTS
                + "@FluentBitOutput(name = \"java-test-output\")\n"
                + "public class Out implements OutputPlugin {\n"
                + "  public FlushResult flush(String tag, Events events) { return FlushResult.OK; }\n}\n"));
        assertThat(c).succeededWithoutWarnings();
    }

    @Test
    void descriptionOnOneLine() {
        JavaFileObject src = source("Out", IMPORTS
                + "@FluentBitOutput(name = \"out\", description = \"a\\nb\")\n"
                + "public class Out implements OutputPlugin {\n"
                + "  public FlushResult flush(String tag, Events events) { return FlushResult.OK; }\n}\n");
        assertError(src, "public class Out", "description must be one line");
    }

    @Test
    void classMustImplementTheMatchingInterface() {
        JavaFileObject src = source("In", IMPORTS
                + "@FluentBitInput(name = \"in\")\n"
                + "public class In implements OutputPlugin {\n"
                + "  public FlushResult flush(String tag, Events events) { return FlushResult.OK; }\n}\n");
        assertError(src, "public class In", "@FluentBitInput class In must implement io.flb4j.api.InputPlugin");
    }

    @Test
    void abstractClass() {
        JavaFileObject src = source("Out", IMPORTS
                + "@FluentBitOutput(name = \"out\")\n"
                + "public abstract class Out implements OutputPlugin {}\n");
        assertError(src, "public abstract class Out", "is abstract");
    }

    @Test
    void noAccessibleNoArgConstructor() {
        assertError(output("  private Out() {}"), "public class Out", "needs a public or package-private constructor without parameters");
        assertError(output("  public Out(int x) {}"), "public class Out", "constructor without parameters");
    }

    @Test
    void nonPublicAndInnerClasses() {
        JavaFileObject src = source("Holder", IMPORTS
                + "public class Holder {\n"
                + "  @FluentBitCustom(name = \"c\")\n"
                + "  public class Inner implements CustomPlugin { public void init(FluentBit f) {} }\n}\n");
        assertError(src, "public class Inner", "is an inner class: make it static or top-level");
        JavaFileObject hidden = source("Out", IMPORTS
                + "@FluentBitOutput(name = \"out\")\n"
                + "class Out implements OutputPlugin {\n"
                + "  public FlushResult flush(String tag, Events events) { return FlushResult.OK; }\n}\n");
        assertError(hidden, "class Out implements", "must be public");
    }

    @Test
    void twoPluginAnnotationsOnOneClass() {
        JavaFileObject src = source("Both", IMPORTS
                + "@FluentBitOutput(name = \"out\") @FluentBitCustom(name = \"c\")\n"
                + "public class Both implements OutputPlugin, CustomPlugin {\n"
                + "  public void init(FluentBit f) {}\n"
                + "  public FlushResult flush(String tag, Events events) { return FlushResult.OK; }\n}\n");
        assertError(src, "public class Both", "carries more than one of");
    }

    @Test
    void secondPluginClassInOneModule() {
        JavaFileObject first = output("");
        JavaFileObject second = source("Custom", IMPORTS
                + "@FluentBitCustom(name = \"c\")\n"
                + "public class Custom implements CustomPlugin { public void init(FluentBit f) {} }\n");
        Compilation c = compile(first, second);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("test.Custom is a second plugin class next to test.Out")
                .inFile(second).onLineContaining("public class Custom");
    }

    @Test
    void metricOnFieldOfWrongType() {
        assertError(output("  @MetricCounter(name = \"n\", help = \"h\") Gauge n;"), "Gauge n",
                "a counter field must have type io.flb4j.api.Counter");
        assertError(output("  @MetricGauge(name = \"n\", help = \"h\") long n;"), "long n",
                "a gauge field must have type io.flb4j.api.Gauge");
    }

    @Test
    void metricNamesAndLabelsPrometheusWouldReject() {
        assertError(output("  @MetricCounter(name = \"1bad\", help = \"h\") Counter c;"), "Counter c",
                "metric names must match [a-zA-Z_][a-zA-Z0-9_]*");
        assertError(output("  @MetricCounter(name = \"ok\", help = \"h\", labels = \"a-b\") Counter c;"), "Counter c",
                "label key 'a-b' must match");
        assertError(output("  @MetricCounter(name = \"ok\", help = \"h\", labels = \"__x\") Counter c;"), "Counter c",
                "label key '__x'");
        assertError(output("  @MetricCounter(name = \"ok\", help = \"h\", labels = {\"a\", \"a\"}) Counter c;"), "Counter c",
                "label key 'a' appears twice");
        assertError(output("  @MetricCounter(name = \"ok\", help = \"h\") Counter c;\n  @MetricGauge(name = \"ok\", help = \"h\") Gauge g;"),
                "Gauge g", "another metric of this plugin has the same name");
    }

    @Test
    void metricFieldModifiersAndMixedAnnotations() {
        assertError(output("  @MetricCounter(name = \"n\", help = \"h\") private Counter n;"), "private Counter n", "must not be private");
        assertError(output("  @ConfigKey @MetricGauge(name = \"n\", help = \"h\") Gauge n;"), "Gauge n",
                "a field is either a config key or a metric, not both");
    }

    @Test
    void fieldAnnotationsOutsideAPluginClass() {
        JavaFileObject src = source("Plain", IMPORTS + "public class Plain {\n  @ConfigKey String host;\n}\n");
        assertError(src, "String host", "@ConfigKey on field 'host' has no effect");
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        Compilation c = compile(output("  @ConfigKey(defaultValue = \"abc\") int retries;\n  @ConfigKey private String server;"));
        assertThat(c).hadErrorCount(2);
    }

    @Test
    void keysAnInputsCoreKeepsAreErrorsWithAName() {
        Map<String, String> named = Map.of("port", "server_port", "host", "server_host", "listen", "listen_address");
        for (var key : named.entrySet()) {
            assertError(input("  @ConfigKey String " + key.getKey() + ";"), "String " + key.getKey() + ";",
                    "@ConfigKey '" + key.getKey() + "': Fluent Bit keeps '" + key.getKey() + "' of every input section for "
                            + "itself and never passes it to a plugin; name the key '" + key.getValue() + "' instead "
                            + "(@ConfigKey(name = \"" + key.getValue() + "\"))");
        }
        assertError(input("  @ConfigKey(defaultValue = \"5M\") ByteSize memBufLimit;"), "memBufLimit",
                "Fluent Bit keeps 'mem_buf_limit' of every input section", "name the key 'in_mem_buf_limit' instead");
        assertThat(compile(input("  @ConfigKey String match;"))).succeeded();   // an output's key, not an input's
    }

    @Test
    void keysAnOutputsCoreKeepsAreErrorsWithAName() {
        for (String key : List.of("port", "host")) {
            assertError(output("  @ConfigKey String " + key + ";"), "String " + key + ";",
                    "Fluent Bit keeps '" + key + "' of every output section for itself",
                    "name the key 'server_" + key + "' instead (@ConfigKey(name = \"server_" + key + "\"))");
        }
        assertError(output("  @ConfigKey int workers;"), "int workers;",
                "Fluent Bit keeps 'workers' of every output section", "name the key 'out_workers' instead");
        assertThat(compile(output("  @ConfigKey String listen;"))).succeeded();   // an input's key, not an output's
    }

    @Test
    void theInstanceLabelIsNotAPluginLabel() {
        assertError(output("  @MetricCounter(name = \"sent_total\", help = \"Sent\", labels = \"name\") Counter sent;"),
                "Counter sent", "label key 'name' is the instance's name, which flb4j adds to every series");
    }

    @Test
    void aDeclaredKindOfEventNeedsItsFlushMethod() {
        JavaFileObject src = source("M", IMPORTS + "@FluentBitOutput(name = \"m\", events = {EventType.LOGS, EventType.METRICS})\n"
                + "public class M implements OutputPlugin {\n"
                + "  public FlushResult flush(String tag, Events events) { return FlushResult.OK; }\n}\n");
        assertError(src, "public class M", "@FluentBitOutput(events = METRICS) needs M to implement FlushResult "
                + "flushMetrics(String tag, List<MetricSet> ...)");
    }

    @Test
    void aFlushMethodNeedsItsKindDeclared() {
        JavaFileObject src = source("T", IMPORTS + "import java.util.List;\nimport io.flb4j.api.telemetry.TraceSet;\n"
                + "@FluentBitOutput(name = \"t\")\n"
                + "public class T implements OutputPlugin {\n"
                + "  public FlushResult flush(String tag, Events events) { return FlushResult.OK; }\n"
                + "  public FlushResult flushTraces(String tag, List<TraceSet> t) { return FlushResult.OK; }\n}\n");
        assertError(src, "public class T", "T implements flushTraces, but @FluentBitOutput(events = ...) does not list "
                + "TRACES");
    }

    @Test
    void aMetricsOnlyOutputNeedsNoLogFlush() {
        JavaFileObject src = source("P", IMPORTS + "import java.util.List;\nimport io.flb4j.api.telemetry.MetricSet;\n"
                + "@FluentBitOutput(name = \"p\", events = EventType.METRICS)\n"
                + "public class P implements OutputPlugin {\n"
                + "  public FlushResult flushMetrics(String tag, List<MetricSet> m) { return FlushResult.OK; }\n}\n");
        assertThat(compile(src)).succeeded();
        JavaFileObject noLogs = source("Q", IMPORTS + "@FluentBitOutput(name = \"q\")\n"
                + "public class Q implements OutputPlugin {\n}\n");
        assertError(noLogs, "public class Q", "@FluentBitOutput(events = LOGS) needs Q to implement FlushResult "
                + "flush(String tag, Events ...)");
    }

    @Test
    void aProcessorCrashIsACompileErrorOnThePluginClass() {
        JavaFileObject src = output("  @ConfigKey String path;");
        Compilation c = javac().withProcessors(new PluginProcessor(type -> {
            throw new IllegalStateException("boom");
        })).compile(src);
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("the flb4j annotation processor failed on test.Out: "
                + "java.lang.IllegalStateException: boom. This is a bug in flb4j, not in your code; please report it")
                .inFile(src).onLineContaining("public class Out");
    }

    /** A field whose type another processor generates in a later round is read in that round. */
    @Test
    void aFieldTypeGeneratedInALaterRoundIsWaitedFor() {
        JavaFileObject src = output("  @ConfigKey(defaultValue = \"low\") Level level;");
        Compilation c = javac().withProcessors(new EnumGenerator(), new PluginProcessor()).compile(src);
        assertThat(c).succeeded();
        assertThat(c).generatedSourceFile("test.Out_Flb4jBinding");
    }

    /** Generates {@code enum test.Level} in the first round, as a code generator would. */
    @javax.annotation.processing.SupportedAnnotationTypes("io.flb4j.annotations.FluentBitOutput")
    static final class EnumGenerator extends javax.annotation.processing.AbstractProcessor {
        private boolean done;

        @Override
        public javax.lang.model.SourceVersion getSupportedSourceVersion() {
            return javax.lang.model.SourceVersion.latestSupported();
        }

        @Override
        public boolean process(java.util.Set<? extends javax.lang.model.element.TypeElement> annotations,
                               javax.annotation.processing.RoundEnvironment round) {
            if (!done) {
                done = true;
                try (java.io.Writer w = processingEnv.getFiler().createSourceFile("test.Level").openWriter()) {
                    w.write("package test;\npublic enum Level { LOW, HIGH }\n");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return false;
        }
    }

    @Test
    void eventRecordsAreCheckedAtCompileTime() {
        assertError(source("NotRecord", IMPORTS + "@EventRecord\npublic class NotRecord {}\n"),
                "public class NotRecord", "@EventRecord goes on a Java record");
        assertError(source("Bad", IMPORTS + "@EventRecord\npublic record Bad(String a, java.time.Instant at) {}\n"),
                "public record Bad", "component at of @EventRecord Bad has type java.time.Instant; use String, long");
        assertError(source("Twice", IMPORTS + "@EventRecord\npublic record Twice(String userId, @EventField(\"user_id\") String other) {}\n"),
                "public record Twice", "maps to field 'user_id', which another component maps to too");
        Compilation ok = compile(source("Good", IMPORTS + "@EventRecord\npublic record Good(String message, long statusCode, "
                + "Double ratio, java.util.Map<String, Object> labels) {}\n"));
        assertThat(ok).succeeded();
        assertThat(ok).generatedSourceFile("test.Good_Flb4jMapper");
    }
}
