package io.flb4j.host;

/**
 * The only way the runtime talks to Fluent Bit: the part of Fluent Bit's {@code struct flb_api}
 * and cmetrics a plugin uses, with plain values. Each engine implements it (the JVM engine
 * with JNI natives, the GraalVM engine with C function calls); the testkit records it.
 *
 * <p>{@code instance} is Fluent Bit's instance pointer ({@code i_ins}, {@code o_ins} or
 * {@code c_ins}) as the engine received it at init; the engine knows the plugin's kind and
 * calls the matching {@code *_get_property} / {@code *_log_check}. Metric handles are the
 * engine's ({@code struct cmt_counter *} for the JVM engine); 0 means "could not create".
 * Methods may be called from any thread, never concurrently for one metric handle unless the
 * engine says so; the runtime serialises per handle.
 */
public interface HostApi {
    /** {@link #submit}: Fluent Bit appended the batch. */
    int SUBMIT_TAKEN = 1;
    /** {@link #submit}: this host has no event-driven path for the instance; its 1-second collect drains the queue. */
    int SUBMIT_NO_PATH = 0;
    /** {@link #submit}: the input is stopping; the batch was not appended. */
    int SUBMIT_STOPPING = -1;
    /** {@link #submit}: Fluent Bit did not append the batch; it may be tried again. */
    int SUBMIT_REFUSED = -2;

    /**
     * Hands encoded events ({@code length} bytes at {@code offset} of a direct buffer) to the
     * input {@code instance} and waits until Fluent Bit has appended them, or the input is
     * stopping. Called from a thread of the runtime's own, never concurrently for one instance.
     */
    int submit(long instance, java.nio.ByteBuffer batch, int offset, int length);

    /**
     * How many of the batches {@link #submit} answered {@link #SUBMIT_TAKEN} for, counted from 1,
     * Fluent Bit's engine has put into chunks. A threaded input's append only copies a batch into
     * the instance's ring buffer; the engine moves it into a chunk later (up to 250 ms), and a
     * Fluent Bit killed before that loses it. -1 when the host cannot tell: then a batch is in a
     * chunk once taken.
     */
    default long inChunks(long instance) {
        return -1;
    }

    /** The instance's value for {@code key} (case-insensitive), or {@code null} when not set. */
    String property(long instance, String key);

    /**
     * The instance's name as Fluent Bit shows it ({@code flb_*_name}: the alias, or
     * {@code <plugin>.<n>}), or {@code null} when the host cannot tell.
     */
    String instanceName(long instance);

    /** Whether Fluent Bit logs messages of {@code level} (1 error … 5 trace) for this instance. */
    boolean logEnabled(long instance, int level);

    /** Writes one line to Fluent Bit's log; {@code message} is data, never a format. */
    void log(long instance, int level, String message);

    /** {@code cmt_counter_create} on the instance's cmetrics context; returns a handle or 0. */
    long counterCreate(long instance, String namespace, String subsystem, String name, String help,
                       String[] labelKeys);

    /** {@code cmt_gauge_create} on the instance's cmetrics context; returns a handle or 0. */
    long gaugeCreate(long instance, String namespace, String subsystem, String name, String help,
                     String[] labelKeys);

    /** {@code cmt_counter_add} at the current time. */
    void counterAdd(long counter, double value, String[] labelValues);

    /** {@code cmt_gauge_set} at the current time. */
    void gaugeSet(long gauge, double value, String[] labelValues);

    /** {@code cmt_gauge_add} at the current time (negative values subtract). */
    void gaugeAdd(long gauge, double value, String[] labelValues);
}
