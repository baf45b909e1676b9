package io.flb4j.testplugins;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitInput;
import io.flb4j.api.EventSink;
import io.flb4j.api.FluentBit;
import io.flb4j.api.InputPlugin;
import io.flb4j.api.Logger;
import java.time.Duration;
import java.util.Map;

/** Emits {@code count} events, one every {@code every}, and logs each handedOff it is told. */
@FluentBitInput(name = "ring_in", description = "says what was handed off")
public final class RingInput implements InputPlugin {
    @ConfigKey(defaultValue = "40") int count;
    @ConfigKey(defaultValue = "20ms") Duration every;
    private Logger log;

    @Override
    public void init(FluentBit fbit) {
        log = fbit.logger();
    }

    @Override
    public void collect(EventSink sink) throws InterruptedException {
        for (int i = 1; i <= count && !sink.cancelled(); i++) {
            sink.emit(Map.of("n", i));
            Thread.sleep(every.toMillis());
        }
    }

    @Override
    public void handedOff(long sequence) {
        log.info("handed off up to " + sequence);
    }
}
