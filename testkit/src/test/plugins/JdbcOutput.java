package io.flb4j.testplugins;

import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.OutputPlugin;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * Connects through DriverManager at init, to a JDBC driver it bundles (TestDriver, listed in the
 * plugin jar's META-INF/services/java.sql.Driver), as a plugin using pgjdbc does. PLUGIN_NAME is
 * set by the test.
 */
@FluentBitOutput(name = "PLUGIN_NAME", description = "connects through DriverManager")
public final class JdbcOutput implements OutputPlugin {
    private Connection connection;

    @Override
    public void init(FluentBit fbit) throws SQLException {
        connection = DriverManager.getConnection("jdbc:flb4jtest:db");
        fbit.logger().info("connected through %s", connection.getClass().getInterfaces()[0].getSimpleName());
    }

    @Override
    public FlushResult flush(String tag, Events events) {
        return FlushResult.OK;
    }

    /** A JDBC 4 driver: registers itself when its class initialises, answers jdbc:flb4jtest: URLs. */
    public static final class TestDriver implements java.sql.Driver {
        static {
            try {
                DriverManager.registerDriver(new TestDriver());
            } catch (SQLException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @Override
        public Connection connect(String url, Properties info) {
            if (!acceptsURL(url)) {
                return null;
            }
            return (Connection) Proxy.newProxyInstance(TestDriver.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> method.getName().equals("toString") ? "test connection" : null);
        }

        @Override public boolean acceptsURL(String url) { return url != null && url.startsWith("jdbc:flb4jtest:"); }
        @Override public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) { return new DriverPropertyInfo[0]; }
        @Override public int getMajorVersion() { return 1; }
        @Override public int getMinorVersion() { return 0; }
        @Override public boolean jdbcCompliant() { return false; }
        @Override public Logger getParentLogger() { return Logger.getGlobal(); }
    }
}
