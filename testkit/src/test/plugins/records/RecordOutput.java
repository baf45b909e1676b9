package io.flb4j.testplugins.records;

import io.flb4j.annotations.EventField;
import io.flb4j.annotations.EventRecord;
import io.flb4j.annotations.FluentBitOutput;
import io.flb4j.api.Events;
import io.flb4j.api.FlushResult;
import io.flb4j.api.OutputPlugin;
import io.flb4j.api.RejectedEventException;
import io.flb4j.testkit.RecordProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads every event as an AccessLog and hands it to the test as text. */
@FluentBitOutput(name = "record_out")
public final class RecordOutput implements OutputPlugin {
    /** An access log line; latency comes from latency_ms. */
    @EventRecord
    public record AccessLog(String method, String path, int status, @EventField("latency_ms") double latency,
                            Boolean cached, Map<String, Object> labels) {
        public AccessLog {
            RecordProbe.constructing.run();
        }
    }

    @Override
    public FlushResult flush(String tag, Events events) {
        if (RecordProbe.refusing != null) {
            return writeBatch(events);
        }
        for (AccessLog log : events.as(AccessLog.class)) {
            RecordProbe.SEEN.add(log.toString());
        }
        return FlushResult.OK;
    }

    /** As a JDBC batch: the rows are kept, sent at the end, and the destination names the one it refused. */
    private static FlushResult writeBatch(Events events) {
        List<AccessLog> batch = new ArrayList<>();
        for (AccessLog log : events.as(AccessLog.class)) {
            batch.add(log);
        }
        for (AccessLog log : batch) {
            Object named = RecordProbe.refusing.apply(log);
            if (named != null) {
                throw new RejectedEventException((Record) named, "status " + log.status() + " is out of range",
                        new java.sql.BatchUpdateException("check constraint \"status_range\"", "23514", new int[0]));
            }
        }
        for (AccessLog log : batch) {
            RecordProbe.SEEN.add(log.toString());
        }
        return FlushResult.OK;
    }
}
