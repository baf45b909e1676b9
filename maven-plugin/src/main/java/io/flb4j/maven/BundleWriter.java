package io.flb4j.maven;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Merges the plugin's classes and its runtime dependencies (directories or jars) into the one
 * jar the {@code .so} carries. {@code META-INF/services} files are concatenated; signatures
 * and manifests are dropped; on any other clash the first entry wins. A multi-release jar
 * ({@code Multi-Release: true}: pgjdbc, Jackson, H2) keeps its {@code META-INF/versions/}
 * classes, and the bundle is then multi-release too, so each library runs the code it ships for
 * the running Java, as it does from its own jar; another jar's {@code META-INF/versions/} entries
 * are left out, as its own jar would ignore them. Entries are sorted and time-stamped alike, so
 * the same inputs give the same bytes (and the same cache file name).
 *
 * <pre>{@code
 * BundleWriter.write(List.of(classesDir, runtimeJar, msgpackJar), Path.of("target/flb4j/bundle.jar"));
 * }</pre>
 */
public final class BundleWriter {
    private static final long FIXED_TIME = 315532800000L; // 1980-01-01, the zip epoch

    private BundleWriter() {}

    /** Writes the classes and jars of {@code inputs} into one jar at {@code bundle}. */
    public static void write(List<Path> inputs, Path bundle) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        Map<String, List<byte[]>> services = new LinkedHashMap<>();
        boolean multiRelease = false;
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                readDirectory(input, entries, services);
            } else if (Files.isRegularFile(input)) {
                multiRelease |= readJar(input, entries, services);
            } else {
                throw new IOException("bundle input " + input + " does not exist");
            }
        }
        for (Map.Entry<String, List<byte[]>> s : services.entrySet()) {
            entries.put(s.getKey(), joinLines(s.getValue()));
        }
        Files.createDirectories(bundle.toAbsolutePath().getParent());
        try (OutputStream file = Files.newOutputStream(bundle); ZipOutputStream zip = new ZipOutputStream(file)) {
            if (multiRelease) {
                ZipEntry manifest = new ZipEntry(JarFile.MANIFEST_NAME);
                manifest.setTime(FIXED_TIME);
                zip.putNextEntry(manifest);
                zip.write("Manifest-Version: 1.0\r\nMulti-Release: true\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                zip.closeEntry();
            }
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTime(FIXED_TIME);
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    private static void readDirectory(Path dir, Map<String, byte[]> entries, Map<String, List<byte[]>> services)
            throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path f : files) {
            add(dir.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f), true, entries, services);
        }
    }

    /** Adds a jar's entries; returns whether it is a multi-release jar. */
    private static boolean readJar(Path jar, Map<String, byte[]> entries, Map<String, List<byte[]>> services)
            throws IOException {
        try (JarFile zip = new JarFile(jar.toFile(), false)) {
            boolean multiRelease = zip.isMultiRelease();
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (!e.isDirectory()) {
                    try (InputStream in = zip.getInputStream(e)) {
                        add(e.getName(), in.readAllBytes(), multiRelease, entries, services);
                    }
                }
            }
            return multiRelease;
        }
    }

    private static void add(String name, byte[] content, boolean keepVersions, Map<String, byte[]> entries,
            Map<String, List<byte[]>> services) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        if (upper.equals("META-INF/MANIFEST.MF") || upper.startsWith("META-INF/") && (upper.endsWith(".SF")
                || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC"))
                || name.equals("module-info.class") || upper.startsWith("META-INF/VERSIONS/")
                && (name.endsWith("module-info.class") || !keepVersions)) {
            return;
        }
        if (name.startsWith("META-INF/services/")) {
            services.computeIfAbsent(name, k -> new ArrayList<>()).add(content);
            return;
        }
        entries.putIfAbsent(name, content);
    }

    private static byte[] joinLines(List<byte[]> parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
            if (p.length > 0 && p[p.length - 1] != '\n') {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }
}
