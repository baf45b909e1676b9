package io.flb4j.engine.jvm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * java.util.logging handlers a generation added to a logger and never removed:
 * {@code SLF4JBridgeHandler.install()} (jul-to-slf4j), a handler of the plugin's own, or a JDK
 * handler with a formatter or filter of the generation's classes. JUL's loggers are one set per
 * JVM, so such a handler holds its generation for the process's life, and the next generation's
 * JUL lines still go through the old one. At the end of a generation flb4j removes each of them,
 * and a logger filter of the generation's classes. Looked at only when the generation defined a
 * {@code Handler} (whose constructor started JUL's {@code LogManager}), so a plugin that never
 * used JUL does not start it.
 */
final class JulHandlers {
    private JulHandlers() {}

    /** Removes the generation's handlers and filters from every logger; returns one phrase per logger. */
    static List<String> remove(ClassLoader loader) {
        List<String> removed = new ArrayList<>();
        if (!GenerationClasses.anyIs(loader, Handler.class.getName())) {
            return removed;
        }
        Thread self = Thread.currentThread();
        ClassLoader context = self.getContextClassLoader();
        self.setContextClassLoader(loader.getParent());   // what LogManager may start keeps no generation
        try {
            LogManager manager = LogManager.getLogManager();
            for (String name : Collections.list(manager.getLoggerNames())) {
                Logger logger = manager.getLogger(name);
                if (logger == null) {
                    continue;
                }
                List<String> classes = new ArrayList<>();
                for (Handler h : logger.getHandlers()) {
                    if (ours(h, loader)) {
                        logger.removeHandler(h);
                        classes.add(h.getClass().getName());
                    }
                }
                var filter = logger.getFilter();
                if (filter != null && filter.getClass().getClassLoader() == loader) {
                    logger.setFilter(null);
                    classes.add("filter " + filter.getClass().getName());
                }
                if (!classes.isEmpty()) {
                    removed.add((name.isEmpty() ? "the root logger" : "logger '" + name + "'") + ": " + String.join(", ", classes));
                }
            }
        } catch (RuntimeException e) {
            // Left in place; the leak report says what it can.
        } finally {
            self.setContextClassLoader(context);
        }
        return removed;
    }

    private static boolean ours(Handler h, ClassLoader loader) {
        return h.getClass().getClassLoader() == loader
                || h.getFormatter() != null && h.getFormatter().getClass().getClassLoader() == loader
                || h.getFilter() != null && h.getFilter().getClass().getClassLoader() == loader;
    }
}
