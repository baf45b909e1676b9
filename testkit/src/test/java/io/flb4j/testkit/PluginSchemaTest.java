package io.flb4j.testkit;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flb4j.binding.PluginDescriptor;
import io.flb4j.binding.PluginKind;
import io.flb4j.maven.PluginDocs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema mvn package writes is checked key by key against the descriptor, and a difference is caught. */
class PluginSchemaTest {
    private static final PluginDescriptor PG = new PluginDescriptor("pg-out", PluginKind.OUTPUT, "Writes rows",
            "com.example.PgOutput", 1, true,
            List.of(new PluginDescriptor.Key("batch_size", "batchSize", "int", "100", false, "Rows per INSERT",
                            false, List.of("min=1", "max=10000")),
                    new PluginDescriptor.Key("table", "table", "string", "logs", false, "Table \"name\"", false,
                            List.of("pattern=[a-z_]+")),
                    new PluginDescriptor.Key("fsync", "fsync", "boolean", "on", false, "", false, List.of()),
                    new PluginDescriptor.Key("password", "password", "string", null, true, "Database password", true,
                            List.of("size=8..64"))),
            List.of(new PluginDescriptor.Metric("rows_total", "rows", "counter", "Rows written", List.of("table"))));

    @Test
    void theWrittenSchemaMatchesTheDescriptor(@TempDir Path dir) throws Exception {
        List<Path> files = PluginDocs.write(PG, dir);
        PluginSchema.check(files.get(1), PG);
        String md = Files.readString(files.get(0));
        assertThat(md).contains("| `batch_size` | Rows per INSERT. Must be at least 1. Must be at most 10000. | int | `100` |");
        assertThat(md).contains("| `password` | Database password. Required. Must be 8 to 64 long. Secret: never shown. "
                + "| string | _(secret)_ |");
        assertThat(md).contains("| `fluentbit_pg_out_rows_total` | counter | Rows written | name, table |");
        assertThat(md).contains("| `flb4j.max_flushes` | How many flushes of the instance run at once (1 to 64). | int | `4` |");
        String json = Files.readString(files.get(1));
        assertThat(json).contains("\"minimum\": 1");
        assertThat(json).contains("\"pattern\": \"^(?:[a-z_]+)$\"");
        assertThat(json).contains("\"oldest_fluent_bit\": \"2.2\"");
    }

    @Test
    void aDifferenceIsNamed(@TempDir Path dir) throws Exception {
        List<Path> files = PluginDocs.write(PG, dir);
        PluginDescriptor changed = new PluginDescriptor(PG.name(), PG.kind(), PG.description(), PG.pluginClass(),
                PG.eventTypes(), PG.concurrentFlush(), List.of(PG.keys().get(0), PG.keys().get(1), PG.keys().get(2)),
                PG.metrics());
        AssertionError e = assertThrows(AssertionError.class, () -> PluginSchema.check(files.get(1), changed));
        assertThat(e).hasMessageThat().contains("properties [batch_size, table, fsync, password, flb4j.flush_timeout, "
                + "flb4j.max_flushes, flb4j.close_timeout, flb4j.init_timeout] are not the keys");
        Files.writeString(files.get(1), Files.readString(files.get(1)).replace("\"default\": 100", "\"default\": 200"));
        AssertionError d = assertThrows(AssertionError.class, () -> PluginSchema.check(files.get(1), PG));
        assertThat(d).hasMessageThat().contains("batch_size: default 200.0, descriptor 100");
    }
}
