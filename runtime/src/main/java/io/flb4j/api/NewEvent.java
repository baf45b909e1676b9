package io.flb4j.api;

import java.util.Map;
import java.util.Objects;

/** An event built in Java, for inputs to emit. */
record NewEvent(long epochSecond, int nano, Map<String, ?> rawMetadata, Map<String, ?> rawRecord)
        implements Event {
    NewEvent {
        Objects.requireNonNull(rawMetadata, "metadata");
        Objects.requireNonNull(rawRecord, "record");
    }

    @SuppressWarnings("unchecked")
    @Override
    public Map<String, Object> metadata() {
        return (Map<String, Object>) rawMetadata;
    }

    @SuppressWarnings("unchecked")
    @Override
    public Map<String, Object> record() {
        return (Map<String, Object>) rawRecord;
    }
}
