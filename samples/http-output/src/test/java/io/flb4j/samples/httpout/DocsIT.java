package io.flb4j.samples.httpout;

import io.flb4j.testkit.PluginSchema;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** mvn package wrote the plugin's Markdown page and JSON schema beside the .so, and the schema is the descriptor's. */
class DocsIT {
    @Test
    void theGeneratedDocsMatchTheDescriptor() throws Exception {
        PluginSchema.checkPackaged(Path.of("target"));
    }
}
