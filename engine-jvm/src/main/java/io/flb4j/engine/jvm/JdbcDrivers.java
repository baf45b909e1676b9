package io.flb4j.engine.jvm;

import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;

/**
 * JDBC drivers a plugin bundles, per generation. {@code DriverManager} loads drivers through
 * {@code ServiceLoader} once per JVM and answers a caller only with drivers its own class loader
 * can see: after a hot reload, the new generation would find none of its bundled drivers ("No
 * suitable driver"), and the old generation's, still registered, would keep its class loader
 * from being collected. So at the start of a generation its drivers are loaded (each registers
 * itself, as a JDBC 4 driver does in its static initializer), and at its end every driver its
 * class loader registered is deregistered, as Tomcat does for a web application.
 * Nothing happens for a plugin that bundles no driver ({@code META-INF/services/java.sql.Driver}).
 */
final class JdbcDrivers {
    private static final String SERVICE = "META-INF/services/java.sql.Driver";

    private JdbcDrivers() {}

    /** Loads the drivers {@code loader} bundles; one that did not register itself is registered here. */
    static void register(ClassLoader loader) {
        if (loader.getResource(SERVICE) == null) {
            return;
        }
        for (Driver d : ServiceLoader.load(Driver.class, loader)) {
            if (d.getClass().getClassLoader() == loader
                    && registeredBy(loader).stream().noneMatch(r -> r.getClass() == d.getClass())) {
                try {
                    DriverManager.registerDriver(d);
                } catch (SQLException ignored) {
                    // DriverManager refuses only a null driver.
                }
            }
        }
    }

    /** Deregisters every driver {@code loader} registered. */
    static void deregister(ClassLoader loader) {
        if (loader.getResource(SERVICE) == null) {
            return;
        }
        for (Driver d : registeredBy(loader)) {
            try {
                DriverManager.deregisterDriver(d);
            } catch (SQLException | SecurityException ignored) {
                // Not ours to remove after all; the leak report names what is left.
            }
        }
    }

    /** The drivers registered with DriverManager whose class {@code loader} loaded. */
    private static List<Driver> registeredBy(ClassLoader loader) {
        List<Driver> ours = new ArrayList<>();
        for (Driver d : Collections.list(DriverManager.getDrivers())) {
            if (d.getClass().getClassLoader() == loader) {
                ours.add(d);
            }
        }
        return ours;
    }
}
