package io.flb4j.benchmarks;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.EventRecord;
import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.api.Event;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.OutputPlugin;
import java.util.Map;

/**
 * The output {@link FlushBenchmark} flushes into. {@code mode map} decodes every record to a
 * {@code Map} and reads one field of it, as {@code stress_out} does in the end-to-end harness;
 * {@code mode record} reads every record as a {@link Line} through its generated mapper.
 */
@FluentBitOutput(name = "decoding_out", description = "Decodes every record (FlushBenchmark)")
public final class DecodingOutput implements OutputPlugin {
    /** The benchmark's record: the five fields of the end-to-end record. */
    @EventRecord
    public record Line(long seq, String source, String level, String message, long bytes) {}

    /** How records are read. */
    public enum Mode { MAP, RECORD }

    @ConfigKey(defaultValue = "map", description = "map or record")
    Mode mode;

    long fields;

    @Override
    public void init(FluentBit fbit) {
    }

    @Override
    public FlushResult flush(String tag, Events events) {
        long n = 0;
        if (mode == Mode.RECORD) {
            for (Line line : events.as(Line.class)) {
                n += 5 + line.message().length();
            }
            fields += n;
            return FlushResult.OK;
        }
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
