package io.flb4j.engine.jvm;

import java.util.ArrayList;
import java.util.List;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * JMX beans an ended generation left registered: a connection pool's (HikariCP with
 * {@code registerMbeans}), a client's (Kafka's {@code app-info} and metrics of a producer never
 * closed), a cache's statistics. A registered bean holds its object, and so the generation, for
 * as long as the process runs; and the next generation, whose counters start again, cannot
 * register the same name ({@code InstanceAlreadyExistsException}: {@code HikariPool-1} again).
 * At the end of a generation flb4j unregisters each bean whose class the generation loaded, in
 * every MBean server that exists (the platform one once anything asked for it); a generation that
 * never used JMX starts none.
 */
final class JmxBeans {
    private JmxBeans() {}

    /** Unregisters the generation's beans; returns their names. */
    static List<String> unregister(ClassLoader loader) {
        List<String> removed = new ArrayList<>();
        each(loader, (server, name) -> {
            server.unregisterMBean(name);
            removed.add(name.toString());
        });
        return removed;
    }

    /** The generation's beans still registered, for a leak report. */
    static List<String> of(ClassLoader loader) {
        List<String> found = new ArrayList<>();
        each(loader, (server, name) -> found.add("the JMX bean " + name));
        return found;
    }

    /** What is done with one of the generation's beans. */
    private interface BeanAction {
        void on(MBeanServer server, ObjectName name) throws JMException;
    }

    /** Runs {@code action} on each bean whose class {@code loader} loaded, in every MBean server that exists. */
    private static void each(ClassLoader loader, BeanAction action) {
        for (MBeanServer server : MBeanServerFactory.findMBeanServer(null)) {
            for (ObjectName name : server.queryNames(null, null)) {
                try {
                    if (server.getClassLoaderFor(name) == loader) {
                        action.on(server, name);
                    }
                } catch (JMException | RuntimeException e) {
                    // Gone meanwhile, or its preDeregister refused: named in the leak report if it holds the generation.
                }
            }
        }
    }
}
