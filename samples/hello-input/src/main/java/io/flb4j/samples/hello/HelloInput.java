package io.flb4j.samples.hello;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitInput;
import io.flb4j.annotations.MetricCounter;
import io.flb4j.api.Counter;
import io.flb4j.api.EventSink;
import io.flb4j.api.FluentBit;
import io.flb4j.api.InputPlugin;
import java.time.Duration;
import java.util.Map;

/**
 * The Java twin of the Go seed's test input: every {@code interval} it emits
 * {@code {"message": "hello from <plugin>", "foo": <foo>}} and counts what it emitted.
 */
@FluentBitInput(name = "hello", description = "Emits a hello record every interval")
public final class HelloInput implements InputPlugin {
    @ConfigKey(description = "Value of the record's foo field", defaultValue = "bar")
    String foo;

    @ConfigKey(description = "Time between two records", defaultValue = "1s")
    Duration interval;

    @MetricCounter(name = "records_total", help = "Records emitted")
    Counter records;

    private String message;

    @Override
    public void init(FluentBit fbit) {
        message = "hello from " + fbit.pluginName();
        fbit.logger().info("emitting every %s with foo=%s", interval, foo);
    }

    @Override
    public void collect(EventSink sink) throws InterruptedException {
        while (!sink.cancelled()) {
            sink.emit(Map.of("message", message, "foo", foo));
            records.inc();
            Thread.sleep(interval.toMillis());
        }
    }
}
