package io.flb4j.maven;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Merges the plugin's classes and its runtime dependencies (directories or jars) into the one
 * jar the {@code .so} carries. {@code META-INF/services} files are concatenated; signatures
 * and manifests are dropped; on any other clash the first entry wins. Entries are sorted and
 * time-stamped alike, so the same inputs give the same bytes (and the same cache file name).
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
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                readDirectory(input, entries, services);
            } else if (Files.isRegularFile(input)) {
                readJar(input, entries, services);
            } else {
                throw new IOException("bundle input " + input + " does not exist");
            }
        }
        for (Map.Entry<String, List<byte[]>> s : services.entrySet()) {
            entries.put(s.getKey(), joinLines(s.getValue()));
        }
        Files.createDirectories(bundle.toAbsolutePath().getParent());
        try (OutputStream file = Files.newOutputStream(bundle); ZipOutputStream zip = new ZipOutputStream(file)) {
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
            add(dir.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f), entries, services);
        }
    }

    private static void readJar(Path jar, Map<String, byte[]> entries, Map<String, List<byte[]>> services)
            throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (!e.isDirectory()) {
                    try (InputStream in = zip.getInputStream(e)) {
                        add(e.getName(), in.readAllBytes(), entries, services);
                    }
                }
            }
        }
    }

    private static void add(String name, byte[] content, Map<String, byte[]> entries, Map<String, List<byte[]>> services) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        if (upper.equals("META-INF/MANIFEST.MF") || upper.startsWith("META-INF/") && (upper.endsWith(".SF")
                || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC"))
                || name.equals("module-info.class") || upper.startsWith("META-INF/VERSIONS/") && name.endsWith("module-info.class")) {
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
