package io.flb4j.engine.jvm;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP servers of the JDK ({@code com.sun.net.httpserver}) that an ended generation started and
 * did not stop. A hot reload initialises the next generation in the same process right after
 * this one's {@code close()}: a server still listening makes the next one's bind fail, and
 * Fluent Bit aborts the reload (5.1.1 then exits). So at the end of a generation flb4j stops each
 * such server, found by its dispatcher thread ({@code HTTP-Dispatcher}) and told to be the
 * generation's by its handlers' classes, and says so.
 *
 * <p>The server is reached from the thread's {@code Runnable} and the JDK's own fields
 * ({@link JdkFields}); then the public
 * {@code HttpServer.stop(0)} runs on a thread of its own, since it waits for the dispatcher,
 * which a handler the plugin left blocked can hold. Its listening socket is closed first, so the
 * address is free at once. Anything not found as expected (another JDK's layout, options
 * without the opens) is left alone.
 */
final class GenerationServers {
    /** How long the end of a generation waits for one server's stop, after its socket is closed. */
    static final long STOP_WAIT_MILLIS = 1000;

    private GenerationServers() {}

    /** Stops the generation's HTTP servers still listening; returns their addresses. */
    static List<String> stop(ClassLoader loader) {
        List<String> stopped = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.getName().equals("HTTP-Dispatcher")) {
                continue;
            }
            try {
                Object impl = serverOf(t);
                if (impl != null && handledBy(impl, loader)) {
                    stopped.add(stop(JdkFields.read(impl, "wrapper")));
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // Not the JDK's server as this class knows it: left running, and reported if it leaks.
            }
        }
        return stopped;
    }

    /** The JDK's {@code ServerImpl} whose dispatcher {@code t} runs, or null. */
    private static Object serverOf(Thread t) throws ReflectiveOperationException {
        Object dispatcher = JdkFields.runnableOf(t);
        if (dispatcher == null || !dispatcher.getClass().getName().equals("sun.net.httpserver.ServerImpl$Dispatcher")) {
            return null;
        }
        return JdkFields.read(dispatcher, "this$0");
    }

    /**
     * Whether a handler of the server's contexts is of the generation's classes: the server is the
     * generation's (its dispatcher thread inherits the generation's context loader on JDK 17, not
     * on JDK 21 and later, so the handlers are what tell).
     */
    private static boolean handledBy(Object impl, ClassLoader loader) throws ReflectiveOperationException {
        Object contexts = JdkFields.read(impl, "contexts");
        Object list = contexts == null ? null : JdkFields.read(contexts, "list");
        if (!(list instanceof Iterable<?> all)) {
            return false;
        }
        Method handler = Class.forName("com.sun.net.httpserver.HttpContext").getMethod("getHandler");
        for (Object context : all) {
            Object h = handler.invoke(context);
            if (h != null && h.getClass().getClassLoader() == loader) {
                return true;
            }
        }
        return false;
    }

    /** Stops {@code server} (a {@code com.sun.net.httpserver.HttpServer}) and returns its address. */
    private static String stop(Object server) throws ReflectiveOperationException {
        Class<?> api = Class.forName("com.sun.net.httpserver.HttpServer");
        String address = String.valueOf(api.getMethod("getAddress").invoke(server));
        Method stop = api.getMethod("stop", int.class);
        Thread stopper = new Thread(() -> {
            try {
                stop.invoke(server, 0);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Its socket is closed before anything here can fail.
            }
        }, "flb4j-stop-http-server");
        stopper.setDaemon(true);
        stopper.setContextClassLoader(null);
        stopper.start();
        try {
            stopper.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return address;
    }
}
