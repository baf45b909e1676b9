package io.flb4j.engine.jvm;

import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.ResponseCache;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ResourceBundle;

/**
 * JVM-wide registries of the JDK's that keep what a generation put in them after it ended.
 *
 * <p>Security providers: a plugin or a library that calls {@code Security.addProvider(new
 * BouncyCastleProvider())} registers an object of the generation's classes in the JVM's provider
 * list, which holds it, and the generation, for the process's life. Worse, the next generation's
 * {@code addProvider} finds the name taken and does nothing, so its code gets the old generation's
 * provider, of other classes than its own. At the end of a generation flb4j removes each provider
 * whose class the generation loaded ({@code Security.removeProvider}).
 *
 * <p>Resource bundles: the JDK caches each bundle it loaded through the generation's class loader
 * (softly, so until the collector needs the memory); flb4j clears them
 * ({@code ResourceBundle.clearCache(loader)}), as Tomcat does for a stopped web application.
 *
 * <p>JVM-wide defaults: {@code Thread.setDefaultUncaughtExceptionHandler},
 * {@code Authenticator.setDefault}, {@code CookieHandler.setDefault},
 * {@code ResponseCache.setDefault} and {@code ProxySelector.setDefault}. One of the generation's
 * classes set there holds the generation and, for the handler, takes every other thread's failures
 * into code that has ended; for the proxy selector, it chooses the proxies of every later
 * connection. flb4j sets each back to the JDK's default: none for the first four; for the proxy
 * selector, a new one of the JDK's class, made as {@code ProxySelector} makes its own (its
 * package opened as {@link JdkFields} opens one), or none, which means direct connections, where
 * that class cannot be made.
 */
final class JdkRegistries {
    private JdkRegistries() {}

    /** Removes the generation's security providers; returns their names. */
    static List<String> removeProviders(ClassLoader loader) {
        List<String> removed = new ArrayList<>();
        for (Provider p : providersOf(loader)) {
            Security.removeProvider(p.getName());
            removed.add(p.getName() + " (" + p.getClass().getName() + ")");
        }
        return removed;
    }

    /** The generation's security providers still registered, for a leak report. */
    static List<String> providers(ClassLoader loader) {
        List<String> found = new ArrayList<>();
        for (Provider p : providersOf(loader)) {
            found.add("the security provider " + p.getName() + " (Security.addProvider)");
        }
        return found;
    }

    private static List<Provider> providersOf(ClassLoader loader) {
        return Arrays.stream(Security.getProviders()).filter(p -> p.getClass().getClassLoader() == loader).toList();
    }

    /** Sets each JVM-wide default that holds an object of the generation's back to the JDK's; returns one phrase each. */
    static List<String> resetDefaults(ClassLoader loader) {
        List<String> reset = new ArrayList<>();
        if (ours(Thread.getDefaultUncaughtExceptionHandler(), loader, "Thread.setDefaultUncaughtExceptionHandler", reset)) {
            Thread.setDefaultUncaughtExceptionHandler(null);
        }
        if (ours(Authenticator.getDefault(), loader, "Authenticator.setDefault", reset)) {
            Authenticator.setDefault(null);
        }
        if (ours(CookieHandler.getDefault(), loader, "CookieHandler.setDefault", reset)) {
            CookieHandler.setDefault(null);
        }
        if (ours(ResponseCache.getDefault(), loader, "ResponseCache.setDefault", reset)) {
            ResponseCache.setDefault(null);
        }
        // Looked at only when the generation has a selector class: ProxySelector's first use reads net.properties.
        if (GenerationClasses.anyIs(loader, ProxySelector.class.getName())
                && ours(ProxySelector.getDefault(), loader, "ProxySelector.setDefault", reset)) {
            ProxySelector.setDefault(jdkProxySelector());
        }
        return reset;
    }

    /** A new proxy selector of the JDK's default class, as {@code ProxySelector} makes its own; null where it cannot be made. */
    private static ProxySelector jdkProxySelector() {
        try {
            var make = Class.forName("sun.net.spi.DefaultProxySelector").getDeclaredConstructor();
            return JdkFields.accessible(make) ? (ProxySelector) make.newInstance() : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;   // another JDK's layout: none, so connections go direct
        }
    }

    private static boolean ours(Object value, ClassLoader loader, String setter, List<String> said) {
        if (value == null || value.getClass().getClassLoader() != loader) {
            return false;
        }
        said.add(setter + " (" + value.getClass().getName() + ")");
        return true;
    }

    /**
     * Empties {@code java.beans.Introspector}'s caches when the generation used it (its loader is
     * recorded as an initiating loader of the class: SnakeYAML, Commons BeanUtils and Spring's
     * {@code BeanUtils} call it), as Tomcat does when a web application stops: its class cache
     * keeps each class it read, the generation's among them, by a {@code SoftReference}, so the
     * generation stayed until a collection cleared soft references (minutes with a roomy heap).
     * Every user's cached bean descriptions are read again at their next use; a generation that
     * never touched {@code java.beans} costs nothing, and no class is loaded for it.
     */
    static void flushBeanCaches(ClassLoader loader) {
        try {
            java.lang.reflect.Method loaded = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
            if (!loaded.trySetAccessible() || loaded.invoke(loader, "java.beans.Introspector") == null) {
                return;
            }
        } catch (ReflectiveOperationException e) {
            return;
        }
        java.beans.Introspector.flushCaches();
    }

    /** Drops the resource bundles the JDK cached for the generation's class loader. */
    static void clearBundles(ClassLoader loader) {
        ResourceBundle.clearCache(loader);
    }
}
