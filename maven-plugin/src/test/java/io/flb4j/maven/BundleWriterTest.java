package io.flb4j.maven;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one jar a .so carries, read by a class loader as the JVM engine reads it. */
class BundleWriterTest {
    private static Path jar(Path dir, String name, boolean multiRelease, Map<String, String> files) throws IOException {
        Path jar = dir.resolve(name);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (multiRelease) {
            manifest.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return jar;
    }

    private static String read(Path bundle, String resource) throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {bundle.toUri().toURL()}, null);
             InputStream in = loader.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aMultiReleaseLibraryKeepsTheCodeItShipsForTheRunningJava(@TempDir Path dir) throws Exception {
        Map<String, String> mrFiles = new LinkedHashMap<>();
        mrFiles.put("p/a.txt", "base");
        mrFiles.put("META-INF/versions/11/p/a.txt", "for 11");
        mrFiles.put("META-INF/versions/9/module-info.class", "not a class");
        Map<String, String> plainFiles = new LinkedHashMap<>();
        plainFiles.put("q/b.txt", "base");
        plainFiles.put("META-INF/versions/11/q/b.txt", "ignored by its own jar");
        Path mr = jar(dir, "mr.jar", true, mrFiles);
        Path plain = jar(dir, "plain.jar", false, plainFiles);

        Path both = dir.resolve("both.jar");
        BundleWriter.write(List.of(plain, mr), both);
        assertThat(read(both, "p/a.txt")).isEqualTo("for 11");
        assertThat(read(both, "q/b.txt")).isEqualTo("base");
        try (JarFile bundle = new JarFile(both.toFile())) {
            assertThat(bundle.isMultiRelease()).isTrue();
            assertThat(bundle.getEntry("META-INF/versions/11/q/b.txt")).isNull();
            assertThat(bundle.getEntry("META-INF/versions/9/module-info.class")).isNull();
        }

        Path plainOnly = dir.resolve("plain-only.jar");
        BundleWriter.write(List.of(plain), plainOnly);
        try (JarFile bundle = new JarFile(plainOnly.toFile())) {
            assertThat(bundle.getManifest()).isNull();
            assertThat(Collections.list(bundle.entries()).stream().map(ZipEntry::getName).toList()).containsExactly("q/b.txt");
        }
    }
}
