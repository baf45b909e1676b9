package io.flb4j.samples.jdbc;

import com.fasterxml.jackson.jr.ob.JSON;
import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.annotations.MetricCounter;
import io.flb4j.api.Counter;
import io.flb4j.api.Event;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.Logger;
import io.flb4j.api.OutputPlugin;
import io.flb4j.api.RetryableException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Inserts each event into a SQL table through JDBC: its tag, its time and its record as JSON, one
 * transaction per chunk. Flushes run at once (up to {@code flb4j.max_flushes}, each on a
 * connection of its own) and never hold Fluent Bit's thread while the database works.
 *
 * <p>What Fluent Bit is told: OK once the chunk is committed; RETRY when the database cannot take
 * it now (down, a lock, the query timeout), so the chunk comes again; events the database refuses
 * as data (a value too long, a constraint) are logged one by one and left out, and the rest of
 * the chunk is committed.
 */
@FluentBitOutput(name = "jdbc_java", description = "Inserts events into a SQL table through JDBC", concurrentFlush = true)
public final class JdbcOutput implements OutputPlugin {
    @ConfigKey(required = true, description = "JDBC URL, e.g. jdbc:postgresql://db:5432/logs or jdbc:h2:file:/var/lib/fluent-bit/events")
    String url;
    @ConfigKey(defaultValue = "", description = "Database user (none: the driver's default)") String user;
    @ConfigKey(secret = true, description = "Database password") String password;
    @ConfigKey(defaultValue = "fluentbit_events", description = "Table to insert into")
    @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?") String table;
    @ConfigKey(defaultValue = "on", description = "Create the table at start when it does not exist") boolean createTable;
    @ConfigKey(defaultValue = "15", description = "Seconds a chunk's insert may take before the driver cancels it "
            + "(keep it below flb4j.flush_timeout, 20 s by default)")
    @Positive @Max(3600) int queryTimeout;

    @MetricCounter(name = "rows_total", help = "Rows inserted") Counter rows;
    @MetricCounter(name = "rejected_total", help = "Events the database refused as data, left out") Counter rejected;

    /** Refused events logged one by one per chunk; the rest are counted in one line. */
    private static final int LOGGED_REFUSALS = 3;

    /** Connections not in use; a flush takes one or opens one, so there are as many as flushes at once. */
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;
    private String insert;
    private Logger log;

    @Override
    public void init(FluentBit fbit) throws SQLException, RetryableException {
        log = fbit.logger();
        insert = "INSERT INTO " + table + " (tag, event_time, record) VALUES (?, ?, ?)";
        DriverManager.getDriver(url);   // a URL no driver takes is a mistake of the configuration: fails the instance now
        Connection c = null;
        try {
            c = connect();
            if (createTable) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE IF NOT EXISTS " + table + " (tag VARCHAR(256) NOT NULL, "
                            + "event_time TIMESTAMP WITH TIME ZONE NOT NULL, record VARCHAR(1048576) NOT NULL)");
                }
                c.commit();
            }
        } catch (SQLException e) {
            discard(c);
            if (refusedForGood(e)) {
                throw e;   // wrong credentials or database: fails the instance now
            }
            // The database is away (stopped, restarting, unreachable): Fluent Bit starts, or completes
            // its hot reload, anyway; flb4j answers this instance's flushes RETRY and tries init again.
            throw new RetryableException("cannot reach the database (SQLState " + e.getSQLState() + ")", e);
        }
        idle.push(c);
        log.info("inserting into %s at %s", table, url);
    }

    /** SQLState classes 28 (invalid authorization) and 3D (no such database): trying again cannot help. */
    private static boolean refusedForGood(SQLException e) {
        return inStateClass(e, "28", "3D");
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        if (!user.isEmpty()) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        Connection c = DriverManager.getConnection(url, p);
        c.setAutoCommit(false);
        return c;
    }

    @Override
    public FlushResult flush(String tag, Events events) throws RetryableException {
        List<Object[]> rowsOfChunk = new ArrayList<>();
        for (Event e : events) {   // read the chunk first: its events are valid only during the flush
            rowsOfChunk.add(new Object[] {tag, OffsetDateTime.ofInstant(e.time(), ZoneOffset.UTC), json(e)});
        }
        Connection c = idle.poll();
        try {
            if (c == null) {
                c = connect();
            }
            int inserted = insertAll(c, rowsOfChunk);
            c.commit();
            rows.add(inserted);
            release(c);
            return FlushResult.OK;
        } catch (SQLException e) {
            discard(c);   // it may be broken; the next flush opens a new one
            throw new RetryableException("insert into " + table + " failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** All rows as one batch; when the database refuses a value, row by row, leaving out the ones it refuses. */
    private int insertAll(Connection c, List<Object[]> all) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            ps.setQueryTimeout(queryTimeout);
            for (Object[] row : all) {
                bind(ps, row);
                ps.addBatch();
            }
            try {
                ps.executeBatch();
                return all.size();
            } catch (SQLException e) {
                if (!isDataError(e)) {
                    throw e;
                }
                c.rollback();
            }
            int inserted = 0;
            int refused = 0;
            for (int i = 0; i < all.size(); i++) {
                Savepoint before = c.setSavepoint();
                try {
                    bind(ps, all.get(i));
                    ps.executeUpdate();
                    inserted++;
                } catch (SQLException e) {
                    if (!isDataError(e)) {
                        throw e;
                    }
                    c.rollback(before);
                    rejected.add(1);
                    if (++refused <= LOGGED_REFUSALS) {
                        log.error("event %d of a chunk of tag '%s' was refused by the database and is left out (SQLState %s): %s",
                                i + 1, all.get(i)[0], e.getSQLState(), e.getMessage());
                    }
                }
            }
            if (refused > LOGGED_REFUSALS) {
                log.error("%d more events of that chunk were refused and left out (rejected_total counts them all)",
                        refused - LOGGED_REFUSALS);
            }
            return inserted;
        }
    }

    private static void bind(PreparedStatement ps, Object[] row) throws SQLException {
        ps.setString(1, (String) row[0]);
        ps.setObject(2, row[1]);
        ps.setString(3, (String) row[2]);
    }

    /** SQLState classes 22 (data exception) and 23 (integrity constraint): retrying cannot help. */
    private static boolean isDataError(SQLException e) {
        return inStateClass(e, "22", "23");
    }

    /** Whether e's SQLState is of one of the classes (its first two characters). */
    private static boolean inStateClass(SQLException e, String... classes) {
        String state = e.getSQLState();
        for (String c : classes) {
            if (state != null && state.startsWith(c)) {
                return true;
            }
        }
        return false;
    }

    private static String json(Event e) {
        try {
            return JSON.std.asString(e.record());
        } catch (IOException x) {
            throw new IllegalArgumentException("record not writable as JSON: " + x.getMessage(), x);
        }
    }

    private void release(Connection c) {
        idle.push(c);
        if (closed && idle.remove(c)) {   // a flush that ended after close (past its deadline)
            discard(c);
        }
    }

    private void discard(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection may be gone already
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to do with it
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Connection c; (c = idle.poll()) != null; ) {
            discard(c);
        }
    }
}
