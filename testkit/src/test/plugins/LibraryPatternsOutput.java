package io.flb4j.testplugins;

import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.OutputPlugin;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.SoftReference;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * What a plugin on pgjdbc and Jackson does to a class loader, without either library: a JDBC
 * driver registered through DriverManager when its class initialises; a library thread started
 * by a static initializer that waits for work and ends after 30 s idle or when interrupted with
 * nothing to do (pgjdbc's cleaner); a per-thread buffer cache holding one of the library's
 * objects, filled on the flush thread (Jackson's buffer recyclers). PLUGIN_NAME is set by the
 * test, which lists {@link PatternsDriver} in the plugin jar's META-INF/services/java.sql.Driver.
 */
@FluentBitOutput(name = "PLUGIN_NAME", description = "uses library patterns that hold a class loader")
public final class LibraryPatternsOutput implements OutputPlugin {
    private static final ThreadLocal<SoftReference<Recycler>> RECYCLERS = new ThreadLocal<>();
    private Connection connection;

    @Override
    public void init(FluentBit fbit) throws SQLException {
        connection = DriverManager.getConnection("jdbc:flb4jpatterns:db");
        fbit.logger().info("connected; cleaner thread running: %s", Cleaner.running());
    }

    @Override
    public FlushResult flush(String tag, Events events) {
        SoftReference<Recycler> ref = RECYCLERS.get();
        Recycler r = ref == null ? null : ref.get();
        if (r == null) {
            RECYCLERS.set(new SoftReference<>(new Recycler()));
        }
        return FlushResult.OK;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /** A buffer a library caches per thread. */
    static final class Recycler {
        final byte[] buffer = new byte[64 * 1024];
    }

    /** The library's cleaner: one thread, started when the class initialises. */
    static final class Cleaner {
        private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
        private static final Set<PhantomReference<Object>> WATCHED = ConcurrentHashMap.newKeySet();
        private static final Thread THREAD = new Thread(Cleaner::run, "patterns-cleaner");

        static {
            THREAD.setDaemon(true);
            THREAD.start();
        }

        static boolean running() {
            return THREAD.isAlive();
        }

        static PhantomReference<Object> watch(Object o) {
            PhantomReference<Object> ref = new PhantomReference<>(o, QUEUE);
            WATCHED.add(ref);
            return ref;
        }

        static void forget(PhantomReference<Object> ref) {
            WATCHED.remove(ref);
        }

        private static void run() {
            while (true) {
                try {
                    var ref = QUEUE.remove(30_000);
                    if (ref == null && WATCHED.isEmpty()) {
                        return;   // idle for 30 s
                    }
                    WATCHED.remove(ref);
                } catch (InterruptedException e) {
                    if (WATCHED.isEmpty()) {
                        return;   // interrupted with nothing to clean
                    }
                }
            }
        }
    }

    /** A JDBC 4 driver: registers itself when its class initialises, answers jdbc:flb4jpatterns: URLs. */
    public static final class PatternsDriver implements java.sql.Driver {
        static {
            try {
                DriverManager.registerDriver(new PatternsDriver());
            } catch (SQLException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @Override
        public Connection connect(String url, Properties info) {
            if (!acceptsURL(url)) {
                return null;
            }
            Object[] watch = new Object[1];
            Connection c = (Connection) Proxy.newProxyInstance(PatternsDriver.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            Cleaner.forget((PhantomReference<Object>) watch[0]);
                        }
                        return method.getName().equals("toString") ? "patterns connection" : null;
                    });
            watch[0] = Cleaner.watch(c);
            return c;
        }

        @Override public boolean acceptsURL(String url) { return url != null && url.startsWith("jdbc:flb4jpatterns:"); }
        @Override public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) { return new DriverPropertyInfo[0]; }
        @Override public int getMajorVersion() { return 1; }
        @Override public int getMinorVersion() { return 0; }
        @Override public boolean jdbcCompliant() { return false; }
        @Override public Logger getParentLogger() { return Logger.getGlobal(); }
    }
}
