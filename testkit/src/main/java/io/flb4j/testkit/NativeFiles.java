package io.flb4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The C files flb4j ships as class-path resources under {@code io/flb4j/native/}: the shim's
 * (in the maven plugin) and the test host's (here), written out to be compiled.
 */
public final class NativeFiles {
    private NativeFiles() {
    }

    /** Writes each named resource, as {@code anchor}'s class loader sees it, into {@code dir}. */
    public static void copy(Class<?> anchor, List<String> names, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : names) {
            try (InputStream in = anchor.getResourceAsStream("/io/flb4j/native/" + name)) {
                if (in == null) {
                    throw new IOException(anchor.getName() + "'s artifact is missing io/flb4j/native/" + name);
                }
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
    }
}
