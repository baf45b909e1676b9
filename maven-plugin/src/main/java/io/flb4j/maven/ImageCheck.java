package io.flb4j.maven;

import io.flb4j.nativecode.ChildProcess;
import io.flb4j.nativecode.NativeFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The GraalVM engine's load check at {@code package}: a native image that names a symbol no
 * Fluent Bit process provides links fine and fails only when Fluent Bit loads the plugin
 * ({@code undefined symbol: Java_jdk_net_...}). So the image's undefined dynamic symbols are read
 * from its ELF symbol table, and a small C program ({@code image_probe.c}, built with the same
 * compiler as the shim) loads the image as Fluent Bit will and looks each one up in the image's
 * own libraries and the C library. Any symbol left fails the build with one message naming the
 * symbols and the part of GraalVM that should provide them.
 */
final class ImageCheck {
    private static final Duration DEADLINE = Duration.ofMinutes(2);
    /** JDK native-method prefixes and the JDK static library that holds them. */
    private static final Map<String, String> JDK_LIBRARIES = Map.ofEntries(
            Map.entry("Java_jdk_net_", "libextnet.a"), Map.entry("Java_java_net_", "libnet.a"),
            Map.entry("Java_sun_net_", "libnet.a"), Map.entry("Java_sun_nio_ch_", "libnio.a"),
            Map.entry("Java_sun_nio_fs_", "libnio.a"), Map.entry("Java_java_util_zip_", "libzip.a"),
            Map.entry("Java_java_io_", "libjava.a"), Map.entry("Java_java_lang_", "libjava.a"),
            Map.entry("Java_jdk_internal_", "libjava.a"), Map.entry("Java_sun_security_", "libj2pkcs11.a or libjaas.a"),
            Map.entry("Java_sun_management_", "libmanagement.a"), Map.entry("Java_com_sun_management_", "libmanagement_ext.a"));

    private ImageCheck() {}

    /** The image's undefined dynamic symbols, weak ones excepted (those may stay undefined). */
    static List<String> undefinedSymbols(Path elf) throws IOException {
        ByteBuffer b;
        try (FileChannel ch = FileChannel.open(elf)) {
            b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (b.limit() < 64 || b.getInt(0) != 0x464c457f || b.get(4) != 2 || b.get(5) != 1) {
            throw new IOException(elf + " is not a 64-bit little-endian ELF file");
        }
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
        int shnum = Short.toUnsignedInt(b.getShort(0x3c));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            int sh = Math.toIntExact(shoff + (long) i * shentsize);
            if (b.getInt(sh + 4) != 11) {   // SHT_DYNSYM
                continue;
            }
            int symOff = Math.toIntExact(b.getLong(sh + 0x18));
            long symSize = b.getLong(sh + 0x20);
            long entSize = b.getLong(sh + 0x38);
            int strSection = Math.toIntExact(shoff + (long) b.getInt(sh + 0x28) * shentsize);
            int strOff = Math.toIntExact(b.getLong(strSection + 0x18));
            for (long s = entSize; s + entSize <= symSize; s += entSize) {   // entry 0 is the null symbol
                int sym = Math.toIntExact(symOff + s);
                int binding = (b.get(sym + 4) & 0xff) >> 4;
                int section = Short.toUnsignedInt(b.getShort(sym + 6));
                if (section == 0 && binding != 2) {   // SHN_UNDEF, not STB_WEAK
                    String name = cString(b, strOff + b.getInt(sym));
                    if (!name.isEmpty()) {
                        out.add(name);
                    }
                }
            }
        }
        return out;
    }

    private static String cString(ByteBuffer b, int at) {
        int end = at;
        while (b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - at];
        b.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Fails with one message when the image needs a symbol nothing provides; {@code workDir}
     * receives the probe.
     */
    static void check(Path image, String compiler, Path workDir) throws IOException, InterruptedException {
        List<String> undefined = undefinedSymbols(image);
        Files.createDirectories(workDir);
        NativeFiles.copy(NativeFiles.SHIM, List.of("image_probe.c"), workDir);
        Path probe = workDir.resolve("image_probe");
        ChildProcess cc = ChildProcess.run(List.of(compiler, "-O1", "-o", probe.toString(),
                workDir.resolve("image_probe.c").toString(), "-ldl"), Map.of(), workDir, DEADLINE);
        if (cc.exitCode() != 0) {
            throw new IOException("building the image's load check failed:\n" + cc.output());
        }
        List<String> cmd = new ArrayList<>(List.of(probe.toString(), image.toAbsolutePath().toString()));
        cmd.addAll(undefined);
        ChildProcess run = ChildProcess.run(cmd, Map.of(), workDir, DEADLINE);
        TreeSet<String> missing = new TreeSet<>();
        String loadError = null;
        for (String line : run.output().lines().toList()) {
            if (line.startsWith("missing ")) {
                missing.add(line.substring("missing ".length()));
            } else if (line.startsWith("load-error ")) {
                loadError = line.substring("load-error ".length());
            }
        }
        if (run.exitCode() != 0) {
            throw new IOException("the image's load check did not run (exit " + run.exitCode() + "):\n" + run.output());
        }
        if (!missing.isEmpty() || loadError != null) {
            throw new IOException(message(missing, loadError));
        }
    }

    /** The one message: the symbols, and for JDK native methods the static library that holds them. */
    static String message(TreeSet<String> missing, String loadError) {
        Map<String, List<String>> byLibrary = new TreeMap<>();
        List<String> other = new ArrayList<>();
        for (String s : missing) {
            String library = JDK_LIBRARIES.entrySet().stream().filter(e -> s.startsWith(e.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse(s.startsWith("Java_") || s.startsWith("JVM_")
                            ? "a JDK static library" : null);
            if (library == null) {
                other.add(s);
            } else {
                byLibrary.computeIfAbsent(library, k -> new ArrayList<>()).add(s);
            }
        }
        StringBuilder m = new StringBuilder("the native image needs symbols that no Fluent Bit process provides, so "
                + "Fluent Bit would refuse to load the plugin: ");
        if (missing.isEmpty()) {
            m.append("it does not load (").append(loadError).append(")");
        }
        List<String> parts = new ArrayList<>();
        byLibrary.forEach((library, symbols) -> parts.add(String.join(", ", symbols) + " (JDK native methods: "
                + library + " in GraalVM's lib/static/<os>-<arch>/<libc>/ is missing them)"));
        if (!other.isEmpty()) {
            parts.add(String.join(", ", other) + " (not in the C library nor in a library the image names as needed)");
        }
        m.append(String.join("; ", parts));
        m.append(". The GraalVM that built it is incomplete for this target: use a full GraalVM distribution "
                + "(GRAALVM_HOME) with the static JDK libraries for this platform, or the JVM engine.");
        return m.toString();
    }
}
