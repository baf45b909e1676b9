package io.flb4j.testplugins;

import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.OutputPlugin;
import io.flb4j.logging.FluentBitHandler;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Logs as libraries do: through SLF4J (with flb4j-slf4j bundled) and java.util.logging (with
 * FluentBitHandler installed), from a flush and from a thread of its own. PLUGIN_NAME is set by the test.
 */
@FluentBitOutput(name = "PLUGIN_NAME", description = "logs through SLF4J and JUL")
public final class Slf4jOutput implements OutputPlugin {
    /** Counts how often a disabled TRACE line's argument was turned into text. */
    static final AtomicInteger FORMATTED = new AtomicInteger();
    private FluentBit fbit;

    /** A library class with its own loggers. */
    static final class Library {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("com.example.Library");
        private static final java.util.logging.Logger JUL = java.util.logging.Logger.getLogger("com.example.Jul");

        static void work(String disk) {
            LOG.warn("disk {} almost full", disk);
            LOG.debug("checked {}", disk);
            LOG.trace("details {}", new Object() {
                @Override
                public String toString() {
                    FORMATTED.incrementAndGet();
                    return "expensive";
                }
            });
            LOG.error("write failed", new java.io.IOException("no space left"));
            JUL.warning("jul warns about " + disk);
            JUL.finest("jul finest, never shown");
        }
    }

    @Override
    public void init(FluentBit fbit) throws Exception {
        this.fbit = fbit;
        FluentBitHandler.install();
        Thread t = new Thread(() -> org.slf4j.LoggerFactory.getLogger("com.example.Background").info("from a thread of the plugin's own"));
        t.start();
        t.join();
    }

    @Override
    public FlushResult flush(String tag, Events events) {
        Library.work("/var");
        return FlushResult.OK;
    }

    @Override
    public void close() {
        fbit.logger().info("trace arguments formatted {} times", FORMATTED.get());
    }
}
