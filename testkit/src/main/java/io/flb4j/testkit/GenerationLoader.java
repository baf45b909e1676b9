package io.flb4j.testkit;

import io.flb4j.engine.jvm.Generations;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A plugin generation's class loader in the testkit, as the JVM engine makes one per hot reload
 * from the plugin's {@code .so}: the plugin module's own classes and the libraries it depends on
 * (the jars of the test's class path) are loaded anew by each generation, child first, so a
 * library's static state (a driver's registration, a cache, a thread it started) belongs to one
 * generation, as it does in Fluent Bit. What the test and the plugin share comes from the test's
 * class loader: flb4j itself (its API is how the test talks to the plugin), SLF4J, JUnit and the
 * test runner, the JDK, and every folder (the test's own classes). The JVM engine's start and end
 * of a generation ({@link #start}, {@link #end}) run here as in the {@code .so}: its bundled JDBC drivers
 * registered, then deregistered and the threads it left interrupted.
 */
final class GenerationLoader extends URLClassLoader {
    /** Jar entries that mark a jar the test and every generation share. */
    private static final List<String> SHARED = List.of("io/flb4j/", "org/slf4j/", "org/junit/", "org/opentest4j/",
            "org/apiguardian/", "org/apache/maven/");
    private static final AtomicInteger GENERATIONS = new AtomicInteger();
    /**
     * The JVM engine's classes, which each generation loads too, as each {@code .so} generation
     * does: {@code DriverManager} lets only code that sees a driver's class deregister it.
     */
    private static final URL ENGINE = Generations.class.getProtectionDomain().getCodeSource().getLocation();
    private static List<URL> libraries;

    private GenerationLoader(URL pluginClasses, ClassLoader parent) {
        super("flb4j-test-generation-" + GENERATIONS.incrementAndGet(), urls(pluginClasses), parent);
    }

    /** A new generation of the classes at {@code pluginClasses}, started as the JVM engine starts one. */
    static GenerationLoader start(URL pluginClasses, ClassLoader parent) {
        GenerationLoader generation = new GenerationLoader(pluginClasses, parent);
        generation.engine("started");
        return generation;
    }

    /**
     * The end of this generation, as the JVM engine ends one (every instance already closed); a
     * step that failed fails the test.
     */
    void end() {
        List<String> failed = new ArrayList<>();
        try {
            Class.forName(Generations.class.getName(), true, this)
                    .getMethod("end", ClassLoader.class, Consumer.class, Consumer.class)
                    .invoke(null, this, (Consumer<String>) line -> { }, (Consumer<String>) line -> {
                        if (line.startsWith("ending the generation")) {
                            failed.add(line);
                        }
                    });
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JVM engine's end of a generation failed", e);
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException(String.join("; ", failed));
        }
    }

    private static URL[] urls(URL pluginClasses) {
        List<URL> all = new ArrayList<>();
        all.add(pluginClasses);
        all.add(ENGINE);
        for (URL lib : libraries()) {
            if (!lib.equals(pluginClasses)) {
                all.add(lib);
            }
        }
        return all.toArray(new URL[0]);
    }

    /** The jars of the test's class path each generation loads for itself (read once). */
    static synchronized List<URL> libraries() {
        if (libraries == null) {
            List<URL> found = new ArrayList<>();
            String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path", ""));
            for (String entry : path.split(File.pathSeparator)) {
                File f = new File(entry);
                if (f.isFile() && entry.endsWith(".jar") && !shared(f)) {
                    try {
                        found.add(f.toURI().toURL());
                    } catch (MalformedURLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            libraries = List.copyOf(found);
        }
        return libraries;
    }

    private static boolean shared(File jar) {
        try (JarFile j = new JarFile(jar)) {
            for (Enumeration<JarEntry> e = j.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                for (String prefix : SHARED) {
                    if (name.startsWith(prefix)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            return true;   // not a jar this loader could read anyway
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null && findResource(name.replace('.', '/') + ".class") != null) {
                c = findClass(name);
            }
            if (c == null) {
                return super.loadClass(name, resolve);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    /**
     * Runs the JVM engine's start ({@code started}) or end ({@code ended}) of a generation from
     * this generation's own copy of {@link Generations}.
     */
    private void engine(String step) {
        try {
            Class.forName(Generations.class.getName(), true, this).getMethod(step, ClassLoader.class).invoke(null, this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JVM engine's " + step + " of a generation failed", e);
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);   // the generation's descriptor and service files first
        return own != null ? own : super.getResource(name);
    }
}
