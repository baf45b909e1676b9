package io.flb4j.testplugins;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.api.Event;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.OutputPlugin;

/**
 * Loads a JNI library from a fixed path in init, as a plugin with native code of its own (or a
 * library that loads from {@code java.library.path}) does, and counts each chunk's events with
 * it. {@code hold=on} keeps the generation's class loader reachable after the generation ends (a
 * static field of a JDK class holds an object of it), so its library stays loaded. PLUGIN_NAME
 * is set by the test, which builds the library.
 */
@FluentBitOutput(name = "PLUGIN_NAME", description = "counts events with a JNI library")
public final class NativeLibraryOutput implements OutputPlugin {
    @ConfigKey(required = true) String library;
    @ConfigKey(defaultValue = "off") boolean hold;
    private FluentBit fbit;

    static native int add(int a, int b);

    @Override
    public void init(FluentBit fbit) {
        this.fbit = fbit;
        System.load(library);
        fbit.logger().info("loaded; add(2, 3) = %d", add(2, 3));
    }

    @Override
    public FlushResult flush(String tag, Events events) {
        int n = 0;
        for (Event ignored : events) {
            n = add(n, 1);
        }
        fbit.logger().info("counted %d events", n);
        return FlushResult.OK;
    }

    @Override
    public void close() {
        if (hold) {
            System.getProperties().put("flb4j.test.held." + System.identityHashCode(this), new Object() {});
        }
    }
}
