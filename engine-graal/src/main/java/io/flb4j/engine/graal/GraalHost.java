package io.flb4j.engine.graal;

import org.graalvm.nativeimage.c.function.CFunctionPointer;
import org.graalvm.nativeimage.c.function.InvokeCFunctionPointer;
import org.graalvm.nativeimage.c.type.CCharPointer;
import org.graalvm.nativeimage.c.type.CCharPointerPointer;
import org.graalvm.nativeimage.c.type.WordPointer;
import org.graalvm.word.PointerBase;

/**
 * The host functions the shim hands the isolate at start: an array of C function pointers, one
 * per {@link io.flb4j.host.HostApi} method, in the order of the index constants below (the
 * shim's {@code host_table} in {@code graal.c} has the same order). An array rather than a
 * {@code @CStruct}, so that building the image needs no C header. Strings are UTF-8 C strings;
 * label arrays are arrays of them.
 */
public final class GraalHost {
    /** Indexes into the table; {@link #COUNT} entries in all. */
    public static final int PROPERTY = 0, INSTANCE_NAME = 1, LOG_ENABLED = 2, LOG = 3, COUNTER_CREATE = 4,
            GAUGE_CREATE = 5, COUNTER_ADD = 6, GAUGE_SET = 7, GAUGE_ADD = 8, SUBMIT = 9, FLUSH_DONE = 10, IN_CHUNKS = 11,
            COUNT = 12;

    /** {@code const char *hostcall_property(long ins, const char *key)} */
    public interface Property extends CFunctionPointer {
        /** Calls the C function. */
        @InvokeCFunctionPointer
        CCharPointer invoke(long instance, CCharPointer key);
    }

    /** {@code const char *hostcall_instance_name(long ins)} */
    public interface InstanceName extends CFunctionPointer {
        /** Calls the C function. */
        @InvokeCFunctionPointer
        CCharPointer invoke(long instance);
    }

    /** {@code int hostcall_log_enabled(long ins, int level)} */
    public interface LogEnabled extends CFunctionPointer {
        /** Calls the C function. */
        @InvokeCFunctionPointer
        int invoke(long instance, int level);
    }

    /** {@code void hostcall_log(long ins, int level, const char *message)} */
    public interface Log extends CFunctionPointer {
        /** Calls the C function. */
        @InvokeCFunctionPointer
        void invoke(long instance, int level, CCharPointer message);
    }

    /** {@code long hostcall_counter_create(long ins, char **names, int key_count, char **keys)}, and gauges. */
    public interface MetricCreate extends CFunctionPointer {
        /** Calls the C function. */
        @InvokeCFunctionPointer
        long invoke(long instance, CCharPointerPointer names, int labelCount, CCharPointerPointer labelKeys);
    }

    /** {@code void hostcall_counter_add(long metric, double value, int label_count, char **labels)}, and gauges. */
    public interface MetricUpdate extends CFunctionPointer {
        /** Calls the C function. */
        @InvokeCFunctionPointer
        void invoke(long metric, double value, int labelCount, CCharPointerPointer labelValues);
    }

    /** {@code int hostcall_submit(long ins, const void *data, long length)} */
    public interface Submit extends CFunctionPointer {
        /** Calls the C function. */
        @InvokeCFunctionPointer
        int invoke(long instance, PointerBase data, long length);
    }

    /** {@code void hostcall_flush_done(long token, int code)} */
    public interface FlushDone extends CFunctionPointer {
        /** Calls the C function. */
        @InvokeCFunctionPointer
        void invoke(long token, int code);
    }

    /** {@code long hostcall_in_chunks(long ins)} */
    public interface InChunks extends CFunctionPointer {
        /** Calls the C function. */
        @InvokeCFunctionPointer
        long invoke(long instance);
    }

    private final WordPointer table;

    /** Over the table the shim passed to {@code flb4j_graal_start}. */
    public GraalHost(WordPointer table) {
        this.table = table;
    }

    Property property() {
        return table.read(PROPERTY);
    }

    InstanceName instanceName() {
        return table.read(INSTANCE_NAME);
    }

    LogEnabled logEnabled() {
        return table.read(LOG_ENABLED);
    }

    Log log() {
        return table.read(LOG);
    }

    MetricCreate counterCreate() {
        return table.read(COUNTER_CREATE);
    }

    MetricCreate gaugeCreate() {
        return table.read(GAUGE_CREATE);
    }

    MetricUpdate counterAdd() {
        return table.read(COUNTER_ADD);
    }

    MetricUpdate gaugeSet() {
        return table.read(GAUGE_SET);
    }

    MetricUpdate gaugeAdd() {
        return table.read(GAUGE_ADD);
    }

    Submit submit() {
        return table.read(SUBMIT);
    }

    FlushDone flushDone() {
        return table.read(FLUSH_DONE);
    }

    InChunks inChunks() {
        return table.read(IN_CHUNKS);
    }
}
