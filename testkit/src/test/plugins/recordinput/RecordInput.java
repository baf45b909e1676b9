package io.flb4j.testplugins.recordinput;

import io.flb4j.annotations.EventField;
import io.flb4j.annotations.EventRecord;
import io.flb4j.annotations.FluentBitInput;
import io.flb4j.api.EventSink;
import io.flb4j.api.InputPlugin;

/** Emits three Reading records, written by their generated mapper. */
@FluentBitInput(name = "record_in")
public final class RecordInput implements InputPlugin {
    /** A sensor reading. */
    @EventRecord
    public record Reading(String sensor, @EventField("value_c") double valueCelsius, long seq, Boolean ok) {}

    @Override
    public void collect(EventSink sink) throws InterruptedException {
        for (long i = 1; i <= 3; i++) {
            sink.emit(new Reading("lab", 20.5 + i, i, i == 2 ? null : Boolean.TRUE));
        }
        while (!sink.cancelled()) {
            Thread.sleep(10);
        }
    }
}
