package io.flb4j.samples.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flb4j.api.Event;
import io.flb4j.api.FlushResult;
import io.flb4j.testkit.PluginTester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** jdbc_java against an embedded H2 database, in this JVM. */
class JdbcOutputTest {
    private static List<String> rows(String url, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    private static void execute(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void insertsEachEventWithItsTagTimeAndRecord() throws Exception {
        String url = "jdbc:h2:mem:insert;DB_CLOSE_DELAY=-1";
        try (PluginTester output = PluginTester.of(JdbcOutput.class).config("url", url).start()) {
            Instant t = Instant.parse("2026-12-01T10:00:00.123456Z");
            assertEquals(FlushResult.OK, output.flush("app", Event.of(t, Map.of("message", "one")),
                    Event.of(t.plusSeconds(1), Map.of("tags", List.of("a", true)))));
            assertEquals(2.0, output.metric("rows_total"));
        }
        assertEquals(List.of("app|2026-12-01T10:00:00.123456Z|{\"message\":\"one\"}",
                "app|2026-12-01T10:00:01.123456Z|{\"tags\":[\"a\",true]}"),
                rows(url, "SELECT tag || '|' || FORMATDATETIME(event_time, 'yyyy-MM-dd''T''HH:mm:ss.SSSSSS''Z''', 'en', 'UTC') "
                        + "|| '|' || record FROM fluentbit_events ORDER BY event_time"));
    }

    /** A database that cannot take the chunk now: RETRY, and the next flush works once it can. */
    @Test
    void aMissingTableIsRetriedAndTheChunkGoesInLater() throws Exception {
        String url = "jdbc:h2:mem:retry;DB_CLOSE_DELAY=-1";
        try (PluginTester output = PluginTester.of(JdbcOutput.class).config("url", url).config("table", "logs").start()) {
            execute(url, "DROP TABLE logs");
            assertEquals(FlushResult.RETRY, output.flush("app", Event.of(Map.of("message", "kept"))));
            assertTrue(output.logs().toString().contains("insert into logs failed (SQLState 42"), output.logs().toString());
            execute(url, "CREATE TABLE logs (tag VARCHAR(256), event_time TIMESTAMP WITH TIME ZONE, record VARCHAR(100))");
            assertEquals(FlushResult.OK, output.flush("app", Event.of(Map.of("message", "kept"))));
        }
        assertEquals(List.of("{\"message\":\"kept\"}"), rows(url, "SELECT record FROM logs"));
    }

    /** A value the database refuses as data is left out with an error naming the event; the rest is committed. */
    @Test
    void anEventTheDatabaseRefusesIsLeftOutAndTheRestCommitted() throws Exception {
        String url = "jdbc:h2:mem:refuse;DB_CLOSE_DELAY=-1";
        execute(url, "CREATE TABLE small (tag VARCHAR(256), event_time TIMESTAMP WITH TIME ZONE, record VARCHAR(40))");
        try (PluginTester output = PluginTester.of(JdbcOutput.class).config("url", url).config("table", "small").start()) {
            assertEquals(FlushResult.OK, output.flush("app", Event.of(Map.of("m", "first")),
                    Event.of(Map.of("m", "x".repeat(100))), Event.of(Map.of("m", "third"))));
            assertEquals(2.0, output.metric("rows_total"));
            assertEquals(1.0, output.metric("rejected_total"));
            assertTrue(output.logs().toString().contains("event 2 of a chunk of tag 'app' was refused by the database"),
                    output.logs().toString());
        }
        assertEquals(List.of("{\"m\":\"first\"}", "{\"m\":\"third\"}"), rows(url, "SELECT record FROM small ORDER BY record"));
    }

    /** A bad table name is refused at init, naming the key; nothing reaches the database. */
    @Test
    void aTableNameThatIsNotAnIdentifierIsRefused() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> PluginTester.of(JdbcOutput.class).config("url", "jdbc:h2:mem:x").config("table", "t; DROP TABLE y").start());
        assertTrue(e.getMessage().contains("table"), e.getMessage());
    }

    /**
     * A database that is away at start (or at a hot reload) does not fail the instance: init
     * throws RetryableException, flb4j answers the flushes RETRY and tries init again. A URL no
     * driver takes is a mistake of the configuration and fails at once.
     */
    @Test
    void aDatabaseAwayAtStartIsTriedAgainAndAWrongUrlFails() {
        try (PluginTester output = PluginTester.of(JdbcOutput.class)
                .config("url", "jdbc:postgresql://127.0.0.1:1/logs?connectTimeout=2").start()) {
            assertEquals(FlushResult.RETRY, output.flush("app", Event.of(Map.of("msg", "later"))));
            String said = output.logs().toString();
            assertTrue(said.contains("init failed, tried again in 1 s") && said.contains("cannot reach the database "
                    + "(SQLState 08001)"), said);
        }
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> PluginTester.of(JdbcOutput.class).config("url", "jdbc:nosuch:db").start());
        assertTrue(e.getMessage().contains("No suitable driver"), e.getMessage());
    }

    /**
     * Each hot reload starts a generation with its own class loader and its own copy of the H2
     * driver, as in Fluent Bit; the old generation's driver is deregistered, its database closed
     * (H2 then takes back its shutdown hook) and its class loader collected.
     */
    @Test
    void survivesHotReloads() throws Exception {
        Path db = Path.of("target/reload-test").toAbsolutePath();
        Files.deleteIfExists(Path.of(db + ".mv.db"));
        String url = "jdbc:h2:file:" + db;
        try (PluginTester output = PluginTester.reloadable(JdbcOutput.class).config("url", url).start()) {
            for (int i = 0; i < 3; i++) {
                assertEquals(FlushResult.OK, output.flush("app", Event.of(Map.of("generation", (long) i))));
                output.reload();
            }
            output.assertEndedGenerationsUnloaded();
        }
        assertEquals(List.of("3"), rows(url, "SELECT COUNT(*) FROM fluentbit_events"));
    }
}
