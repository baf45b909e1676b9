package io.flb4j.testkit;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * A plugin generation's class loader in the testkit, as the JVM engine makes one per hot reload:
 * the plugin module's own classes (its compiled classes folder or jar) are loaded anew by each
 * generation, child first; everything else (flb4j, the JDK, the test's libraries) comes from the
 * test's class loader.
 */
final class GenerationLoader extends URLClassLoader {
    GenerationLoader(URL pluginClasses, ClassLoader parent) {
        super("flb4j-test-generation", new URL[] {pluginClasses}, parent);
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

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);   // the generation's descriptor and service files first
        return own != null ? own : super.getResource(name);
    }
}
