package io.flb4j.engine.jvm;

import java.lang.reflect.Field;
import java.security.ProtectionDomain;

/**
 * A thread's inherited access control context ({@code Thread.inheritedAccessControlContext},
 * JDK 17 to 23): the protection domains of the code that created the thread, kept for the
 * Security Manager Fluent Bit's JVM never runs. A library thread made by the generation's code
 * keeps the generation's class loader through it. Read and cleared by reflection, through
 * {@code --add-opens} of {@code java.base/java.lang} and {@code java.base/java.security}, both
 * flb4j JVM defaults; without them (or on a JDK without the field) nothing is seen or changed.
 */
@SuppressWarnings("removal")
final class InheritedContext {
    private static final Field INHERITED = field(Thread.class, "inheritedAccessControlContext");
    private static final Field DOMAINS = field(java.security.AccessControlContext.class, "context");

    private InheritedContext() {}

    private static Field field(Class<?> c, String name) {
        try {
            return JdkFields.open(c, name);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Whether {@code t}'s inherited context holds a protection domain of {@code loader}'s. */
    static boolean holds(Thread t, ClassLoader loader) {
        if (INHERITED == null || DOMAINS == null) {
            return false;
        }
        try {
            Object acc = INHERITED.get(t);
            Object domains = acc == null ? null : DOMAINS.get(acc);
            if (domains instanceof ProtectionDomain[] pds) {
                for (ProtectionDomain pd : pds) {
                    if (pd != null && pd.getClassLoader() == loader) {
                        return true;
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another JDK's layout: nothing to see
        }
        return false;
    }

    /** Gives {@code t} an empty inherited context when its own holds {@code loader}. */
    static void clear(Thread t, ClassLoader loader) {
        if (holds(t, loader)) {
            try {
                INHERITED.set(t, new java.security.AccessControlContext(new ProtectionDomain[0]));
            } catch (ReflectiveOperationException | RuntimeException e) {
                // left as it is: the leak report names the thread
            }
        }
    }
}
