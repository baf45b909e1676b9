package io.flb4j.testplugins;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitInput;
import io.flb4j.annotations.MetricCounter;
import io.flb4j.api.Counter;
import io.flb4j.api.EventSink;
import io.flb4j.api.InputPlugin;
import java.time.Duration;
import java.util.Map;

/** Emits numbered events as fast as it may. PLUGIN_NAME is set by the test. */
@FluentBitInput(name = "PLUGIN_NAME", description = "numbered events")
public final class NumberInput implements InputPlugin {
    @ConfigKey(defaultValue = "0s") Duration pause;
    @MetricCounter(name = "emitted_total", help = "Events emitted") Counter emitted;

    @Override
    public void collect(EventSink sink) throws InterruptedException {
        for (long i = 0; !sink.cancelled(); i++) {
            sink.emit(Map.of("n", i, "message", "number " + i));
            emitted.inc();
            if (!pause.isZero()) {
                Thread.sleep(pause.toMillis());
            }
        }
    }
}
