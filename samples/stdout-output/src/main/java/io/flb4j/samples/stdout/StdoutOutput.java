package io.flb4j.samples.stdout;

import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.annotations.MetricCounter;
import io.flb4j.api.Counter;
import io.flb4j.api.Event;
import io.flb4j.api.Events;
import io.flb4j.api.FlushResult;
import io.flb4j.api.OutputPlugin;
import java.io.PrintStream;

/**
 * Prints every event to standard output, one line per event: its tag, its time (ISO-8601,
 * nanoseconds kept) and its record as JSON.
 *
 * <pre>
 * dummy.0 2026-11-24T22:00:00.123456789Z {"message":"dummy"}
 * </pre>
 */
@FluentBitOutput(name = "stdout_java", description = "Prints each event with its tag and time, one line per event")
public final class StdoutOutput implements OutputPlugin {
    @MetricCounter(name = "printed_total", help = "Events printed", labels = "tag")
    Counter printed;

    private final PrintStream out = System.out;

    @Override
    public FlushResult flush(String tag, Events events) {
        StringBuilder lines = new StringBuilder();
        int count = 0;
        for (Event event : events) {
            lines.append(tag).append(' ').append(event.time()).append(' ');
            Json.write(event.record(), lines);
            lines.append('\n');
            count++;
        }
        // One write per chunk: lines of concurrent chunks never interleave.
        out.print(lines);
        out.flush();
        printed.add(count, tag);
        return FlushResult.OK;
    }
}
