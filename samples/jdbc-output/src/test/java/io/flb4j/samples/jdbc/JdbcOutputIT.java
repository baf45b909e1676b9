package io.flb4j.samples.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flb4j.api.Event;
import io.flb4j.codec.EventEncoder;
import io.flb4j.testkit.TestHost;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built jdbc_java.so, with the drivers it bundles, flushed through the C test host into an H2 file. */
class JdbcOutputIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    /** A chunk of five events, written to a file for the test host. */
    private static Path chunk() throws Exception {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        EventEncoder encoder = new EventEncoder();
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        for (int i = 0; i < 5; i++) {
            chunk.writeBytes(encoder.encode(Event.of(t.plusSeconds(i), Map.of("message", "event " + i))));
        }
        Path file = TARGET.resolve("it-chunk.bin");
        Files.write(file, chunk.toByteArray());
        return file;
    }

    private static String emptyDatabase(String name) throws Exception {
        Path db = TARGET.resolve(name);
        Files.deleteIfExists(Path.of(db + ".mv.db"));
        return "jdbc:h2:file:" + db;
    }

    /** Rows in the table, and distinct records among them. */
    private static List<Integer> counted(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT record) FROM fluentbit_events")) {
            r.next();
            return List.of(r.getInt(1), r.getInt(2));
        }
    }

    @Test
    void chunksGoIntoTheTable() throws Exception {
        TestHost host = TestHost.build(TARGET.resolve("it-host"));
        String url = emptyDatabase("it-events");
        List<String> lines = host.run(Map.of(),
                "output", TARGET.resolve("jdbc_java.so").toString(), chunk().toString(), "3", "2", "url=" + url);
        assertTrue(lines.contains("flush ok=6 retry=0 error=0"), lines.toString());
        assertTrue(lines.contains("metric fluentbit_jdbc_java_rows_total{name=jdbc_java.0} 30"), lines.toString());
        assertEquals(List.of(30, 5), counted(url));
    }

    /**
     * Hot reloads of the .so: each generation loads the bundled H2 driver anew and finds it through
     * DriverManager, and no generation is left behind (the JVM engine would warn of one).
     */
    @Test
    void everyGenerationConnectsAndNoneIsLeftBehind() throws Exception {
        TestHost host = TestHost.build(TARGET.resolve("it-host"));
        String url = emptyDatabase("it-reload");
        List<String> lines = host.run(Map.of(),
                "reload", TARGET.resolve("jdbc_java.so").toString(), chunk().toString(), "4", "url=" + url);
        assertTrue(lines.contains("reload ok=4"), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("was not unloaded")), lines.toString());
        assertEquals(List.of(20, 5), counted(url));
    }
}
