package io.flb4j.host;

import java.util.Set;

/**
 * Whether an init's failure says that what the instance needs is away for now (a database or a
 * broker stopped, restarting or unreachable, a name not resolvable yet) rather than a mistake: a
 * connection that could not be made, anywhere in the exception's causes. Such an init is tried
 * again as if it had thrown {@code RetryableException}: a plugin that connects in {@code init}
 * with a pool or a client that throws its own exception (HikariCP's
 * {@code PoolInitializationException}, a driver's {@code SQLException}) then neither fails
 * Fluent Bit's start nor aborts a hot reload (5.1.1 exits when an init fails there), as Fluent
 * Bit's own outputs, which connect when they flush, never do.
 */
final class AwayForNow {
    /** Exceptions, with their subclasses, that say a connection could not be made or did not answer in time. */
    private static final Set<String> AWAY = Set.of(
            "java.net.ConnectException",             // refused, or timed out connecting (Netty's are subclasses)
            "java.net.NoRouteToHostException",
            "java.net.PortUnreachableException",
            "java.net.UnknownHostException",         // a name not resolvable yet, or a typo: each try's warning names it
            "java.net.SocketTimeoutException",
            "java.net.http.HttpTimeoutException",
            "java.sql.SQLTransientException",        // JDBC's own "may succeed when tried again"
            "java.sql.SQLRecoverableException");     // JDBC's "may succeed on a new connection"
    private static final String SQL_EXCEPTION = "java.sql.SQLException";

    private AwayForNow() {
    }

    /**
     * The exception in {@code failure}'s causes (itself included) that says a connection could not
     * be made, as {@code java.net.ConnectException} or {@code org.postgresql.util.PSQLException
     * (SQLState 08001)}; null when none does. Classes are compared by name, so that a JRE without
     * {@code java.sql} or {@code java.net.http} loads nothing here.
     */
    static String reason(Throwable failure) {
        for (Throwable t : Causes.of(failure)) {   // at most Causes.MAX, each once
            for (Class<?> c = t.getClass(); c != null && c != Throwable.class; c = c.getSuperclass()) {
                String name = c.getName();
                if (AWAY.contains(name)) {
                    return name;
                }
                // SQLState class 08 (connection exception) from a driver's own SQLException: not
                // from java.sql.SQLException itself, which DriverManager throws with 08001 for a URL
                // no driver takes, a mistake of the configuration.
                if (name.equals(SQL_EXCEPTION) && t.getClass() != c) {
                    String state = ((java.sql.SQLException) t).getSQLState();
                    if (state != null && state.startsWith("08")) {
                        return t.getClass().getName() + " (SQLState " + state + ")";
                    }
                }
            }
        }
        return null;
    }
}
