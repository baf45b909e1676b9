package io.flb4j.host;

import io.flb4j.api.Config;
import io.flb4j.api.Event;
import io.flb4j.api.EventSink;
import io.flb4j.api.InputPlugin;
import io.flb4j.codec.EventEncoder;
import java.util.concurrent.CancellationException;

/**
 * An input instance: its collect loop on a thread of its own, emitting into a byte-bounded
 * {@link EventQueue} that Fluent Bit's collect callback drains.
 */
final class InputInstance extends Instance implements EventSink {
    static final long STOP_WAIT_MILLIS = 5_000;
    private static final long FIRST_RESTART_DELAY_MILLIS = 1_000;
    private static final long MAX_RESTART_DELAY_MILLIS = 30_000;

    private final InputPlugin plugin;
    private final EventQueue queue;
    private final ThreadLocal<EventEncoder> encoders = ThreadLocal.withInitial(EventEncoder::new);
    private Thread collector;
    private long acknowledged;

    InputInstance(int id, long nativeInstance, String pluginName, HostApi api, Config config, ClassLoader loader,
                  InputPlugin plugin, InputLimits limits) {
        super(id, nativeInstance, pluginName, api, config, loader);
        this.plugin = plugin;
        this.queue = new EventQueue(limits.bufferBytes(), limits.chunkBytes());
    }

    @Override
    void init() throws Exception {
        plugin.init(this);
    }

    /** Starts the collect loop once; called at pre-run and, should that never come, at the first collect. */
    synchronized void start() {
        if (collector != null || queue.cancelled()) {
            return;
        }
        collector = new Thread(this::collectLoop, "flb4j-" + pluginName + "-collect-" + id);
        collector.setDaemon(true);
        collector.setContextClassLoader(loader);
        collector.start();
    }

    private void collectLoop() {
        long delay = FIRST_RESTART_DELAY_MILLIS;
        while (!queue.cancelled()) {
            try {
                plugin.collect(this);
                if (!queue.cancelled()) {
                    logger.info("collect returned; this instance emits no more events");
                }
                return;
            } catch (InterruptedException | CancellationException e) {
                if (queue.cancelled()) {
                    return;
                }
                logger.error("collect was interrupted; restarting in %d ms", delay);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                if (queue.cancelled()) {
                    return;
                }
                logger.error("collect failed; restarting in " + delay + " ms", e);
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return;
            }
            delay = Math.min(delay * 2, MAX_RESTART_DELAY_MILLIS);
        }
    }

    @Override
    public long emit(Event event) throws InterruptedException {
        if (queue.cancelled()) {
            throw new CancellationException("the input instance is stopping");
        }
        return queue.put(encoders.get().encode(event));
    }

    @Override
    public boolean cancelled() {
        return queue.cancelled();
    }

    byte[] collect() {
        start();
        return queue.take();
    }

    void pause(boolean pause) {
        queue.pause(pause);
    }

    /** Tells the plugin what Fluent Bit has taken, once per buffer. */
    void handedOff() throws Exception {
        long upTo = queue.takenUpTo();
        synchronized (this) {
            if (upTo <= acknowledged) {
                return;
            }
            acknowledged = upTo;
        }
        plugin.handedOff(upTo);
    }

    @Override
    void close() throws Exception {
        int left = queue.cancel();
        Thread t;
        synchronized (this) {
            t = collector;
        }
        if (t != null) {
            t.interrupt();
            t.join(STOP_WAIT_MILLIS);
            if (t.isAlive()) {
                logger.warn("collect did not stop within %d ms of being cancelled; leaving its thread behind", STOP_WAIT_MILLIS);
            }
        }
        if (left > 0) {
            logger.warn("stopping with %d event(s) not yet taken by Fluent Bit", left);
        }
        plugin.close();
    }
}
