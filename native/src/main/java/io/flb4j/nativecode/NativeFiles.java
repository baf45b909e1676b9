package io.flb4j.nativecode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * C files shipped as class-path resources, each in exactly one jar and one folder: the shim's in
 * this artifact ({@link #SHIM}), the test host's in the testkit. Written out to be compiled.
 *
 * <pre>{@code
 * NativeFiles.copy(NativeFiles.SHIM, List.of("shim.c", "shim.h", "flb4j_abi.h"), workDir);
 * }</pre>
 */
public final class NativeFiles {
    /** The shim's sources, its headers and the ABI header (flb4j-native's src/main/c). */
    public static final String SHIM = "io/flb4j/native/shim";

    private NativeFiles() {
    }

    /** Writes each named resource of {@code folder} (as this artifact's class loader sees it) into {@code dir}. */
    public static void copy(String folder, List<String> names, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : names) {
            String resource = "/" + folder + "/" + name;
            try (InputStream in = NativeFiles.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("the class path has no " + resource.substring(1)
                            + "; is the flb4j artifact that ships it (flb4j-native or flb4j-testkit) there?");
                }
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
    }
}
