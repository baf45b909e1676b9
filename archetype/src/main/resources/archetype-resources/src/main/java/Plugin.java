package ${package};

#if( $kind == "output" )
import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.annotations.MetricCounter;
import io.flb4j.api.Counter;
import io.flb4j.api.Event;
import io.flb4j.api.Events;
import io.flb4j.api.FluentBit;
import io.flb4j.api.FlushResult;
import io.flb4j.api.OutputPlugin;

/** Prints each event's message with a prefix: replace the body of flush with your output's work. */
@FluentBitOutput(name = "${pluginName}", description = "Prints each event's message")
public final class Plugin implements OutputPlugin {
    @ConfigKey(defaultValue = ">", description = "Put before each line")
    @jakarta.validation.constraints.Size(max = 16)
    String prefix;

    @MetricCounter(name = "printed_total", help = "Events printed")
    Counter printed;

    @Override
    public void init(FluentBit fbit) {
        // Open your clients here. A destination that is away now must not fail Fluent Bit: flb4j
        // tries init again when a connection could not be made (ConnectException, SQLState 08, ...
        // among the causes); for any other "not yet", throw
        // new io.flb4j.api.RetryableException("why", cause) (README).
        fbit.logger().info("printing with prefix '{}'", prefix);
    }

    @Override
    public FlushResult flush(String tag, Events events) {
        StringBuilder lines = new StringBuilder();
        int n = 0;
        for (Event e : events) {
            Object message = e.get("message");
            lines.append(prefix).append(' ').append(tag).append(' ').append(message == null ? e.record() : message).append('\n');
            n++;
        }
        System.out.print(lines);
        printed.add(n);
        return FlushResult.OK;   // RETRY (or throw) to have Fluent Bit retry the chunk, ERROR to drop it
    }
}
#elseif( $kind == "input" )
import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitInput;
import io.flb4j.api.Event;
import io.flb4j.api.EventSink;
import io.flb4j.api.InputPlugin;
import java.time.Duration;
import java.util.Map;

/** Emits a greeting every interval: replace the loop's body with your source. */
@FluentBitInput(name = "${pluginName}", description = "Emits a greeting every interval")
public final class Plugin implements InputPlugin {
    @ConfigKey(defaultValue = "hello", description = "The message to emit")
    @jakarta.validation.constraints.NotBlank
    String greeting;

    @ConfigKey(defaultValue = "1s", description = "How often")
    Duration interval;

    @Override
    public void collect(EventSink sink) throws InterruptedException {
        long n = 0;
        while (!sink.cancelled()) {
            sink.emit(Event.of(Map.of("message", greeting, "n", ++n)));   // waits while Fluent Bit is behind
            Thread.sleep(interval.toMillis());
        }
    }
}
#else
import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitCustom;
import io.flb4j.api.CustomPlugin;
import io.flb4j.api.FluentBit;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks a folder at start: replace init's body with what your custom plugin sets up. */
@FluentBitCustom(name = "${pluginName}", description = "Checks a folder at start")
public final class Plugin implements CustomPlugin {
    @ConfigKey(required = true, description = "The folder to check")
    Path watchPath;

    @Override
    public void init(FluentBit fbit) {
        if (!Files.isDirectory(watchPath)) {
            throw new IllegalStateException("watch_path " + watchPath + " is not a folder");
        }
        fbit.logger().info("{} is there", watchPath);
    }
}
#end
