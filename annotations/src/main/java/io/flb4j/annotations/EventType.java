package io.flb4j.annotations;

/** The kinds of events an output accepts, as Fluent Bit's {@code event_type} bit flags. */
public enum EventType {
    /** Log records: {@code [[time, metadata], record]} events. */
    LOGS(1),
    /** Metrics, in cmetrics' msgpack encoding. */
    METRICS(2),
    /** Traces, in ctraces' msgpack encoding. */
    TRACES(4);

    private final int flag;

    EventType(int flag) {
        this.flag = flag;
    }

    /** The bit Fluent Bit uses for this kind in {@code flb_plugin_proxy_def.event_type}. */
    public int flag() {
        return flag;
    }
}
