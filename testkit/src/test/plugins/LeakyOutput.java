package io.flb4j.testplugins;

import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.OutputPlugin;

/**
 * Leaks its generation on purpose, as a library that starts a thread and never stops it does:
 * the thread inherits the plugin's class loader as its context class loader, runs the plugin's
 * code and ignores interrupts. PLUGIN_NAME is set by the test.
 */
@FluentBitOutput(name = "PLUGIN_NAME", description = "leaks a thread")
public final class LeakyOutput implements OutputPlugin {
    @Override
    public void init(FluentBit fbit) {
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // carries on, as a thread that never checks does
                }
            }
        }, "leaky-library-thread");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public FlushResult flush(String tag, Events events) {
        return FlushResult.OK;
    }
}
