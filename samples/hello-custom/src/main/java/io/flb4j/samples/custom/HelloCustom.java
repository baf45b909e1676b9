package io.flb4j.samples.custom;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitCustom;
import io.flb4j.api.CustomPlugin;
import io.flb4j.api.FluentBit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A custom plugin (Fluent Bit 4.2 and later): at start it checks that the folders it is told
 * about exist and are writable, and says so in Fluent Bit's log. It warns rather than failing
 * its init: in Fluent Bit 4.2 to 5.1.1 a custom proxy plugin whose init fails makes Fluent Bit
 * abort on its way out (src/proxy/go/go.c frees the plugin context at the failed init and again
 * at unregister).
 */
@FluentBitCustom(name = "hello_custom", description = "Checks folders at start and logs what it found")
public final class HelloCustom implements CustomPlugin {
    @ConfigKey(description = "Folders that must exist and be writable", defaultValue = "/tmp") List<String> folders;

    @Override
    public void init(FluentBit fbit) {
        int missing = 0;
        for (String folder : folders) {
            Path p = Path.of(folder);
            if (Files.isDirectory(p) && Files.isWritable(p)) {
                fbit.logger().info("folder %s is ready", folder);
            } else {
                missing++;
                fbit.logger().warn("folder %s is missing or not writable", folder);
            }
        }
        fbit.logger().info("%s: %d folder(s) checked, %d missing", fbit.instanceName(), folders.size(), missing);
    }
}
