package io.flb4j.testplugins;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.annotations.MetricCounter;
import io.flb4j.api.Counter;
import io.flb4j.api.Event;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.OutputPlugin;

/** Counts what it receives; a counter per event, a log line at close with the total. PLUGIN_NAME is set by the test. */
@FluentBitOutput(name = "PLUGIN_NAME", description = "counts events")
public final class CountingOutput implements OutputPlugin {
    @ConfigKey(required = true) int expectedFields;
    @MetricCounter(name = "events_total", help = "Events") Counter events;
    private FluentBit fbit;
    private long received;

    @Override
    public void init(FluentBit fbit) {
        this.fbit = fbit;
        fbit.logger().info("ready");
    }

    @Override
    public FlushResult flush(String tag, Events chunk) {
        long n = 0;
        for (Event e : chunk) {
            if (e.record().size() != expectedFields) {
                return FlushResult.ERROR;
            }
            n++;
        }
        synchronized (this) {
            received += n;
        }
        events.add(n);
        return tag.equals("test.tag") ? FlushResult.OK : FlushResult.ERROR;
    }

    @Override
    public synchronized void close() {
        fbit.logger().info("received %d events", received);
    }
}
