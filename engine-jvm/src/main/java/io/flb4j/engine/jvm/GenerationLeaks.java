package io.flb4j.engine.jvm;

import java.util.ArrayList;
import java.util.List;

/**
 * What holds an ended generation's class loader, as far as a generation can see: live threads
 * whose context class loader is that loader (a library's thread inherits it from the thread that
 * started it) or whose class it loaded. What it cannot see without reflection into the JDK
 * (a {@code ThreadLocal} on a long-lived thread, a static field of a shared class, a JMX bean)
 * is named as a possibility.
 */
final class GenerationLeaks {
    private GenerationLeaks() {}

    /** The holders of {@code loader} found, one phrase each. */
    static List<String> holders(ClassLoader loader) {
        List<String> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getContextClassLoader() == loader) {
                found.add("thread '" + t.getName() + "' (the generation's class loader is its context class loader)");
            } else if (t.getClass().getClassLoader() == loader) {
                found.add("thread '" + t.getName() + "' (its class is the generation's)");
            }
        }
        return found;
    }

    /** The warning for generation {@code generation}, still loaded when generation {@code now} ends. */
    static String warning(String plugin, ClassLoader loader, int generation, int now) {
        List<String> holders = holders(loader);
        String held = holders.isEmpty()
                ? "no holder flb4j can see: look for a ThreadLocal set on a thread that outlives the generation, "
                        + "a static field of a class outside the plugin, a JMX bean or a shutdown hook"
                : "held by " + String.join(", ", holders);
        return "[flb4j:" + plugin + "] generation " + generation + " of the plugin was not unloaded by the end of "
                + "generation " + now + ", so its classes stay in memory (each reload that leaks adds to the "
                + "metaspace, up to -XX:MaxMetaspaceSize): " + held + ". Stop what you start in close() "
                + "(README, Pitfalls)";
    }
}
