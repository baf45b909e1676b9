package io.flb4j.benchmarks;

import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.api.Event;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.OutputPlugin;
import java.util.Map;

/**
 * The output {@link FlushBenchmark} flushes into: it decodes every record to a {@code Map} and
 * reads one field of it, as {@code stress_out} does in the end-to-end harness.
 */
@FluentBitOutput(name = "decoding_out", description = "Decodes every record (FlushBenchmark)")
public final class DecodingOutput implements OutputPlugin {
    long fields;

    @Override
    public void init(FluentBit fbit) {
    }

    @Override
    public FlushResult flush(String tag, Events events) {
        long n = 0;
        for (Event e : events) {
            Map<String, Object> record = e.record();
            n += record.size();
            if (record.get("message") instanceof String s) {
                n += s.length();
            }
        }
        fields += n;
        return FlushResult.OK;
    }
}
