package io.flb4j.engine.graal;

import java.util.List;
import org.graalvm.nativeimage.c.CContext;
import org.graalvm.nativeimage.c.function.CFunctionPointer;
import org.graalvm.nativeimage.c.function.InvokeCFunctionPointer;
import org.graalvm.nativeimage.c.struct.CField;
import org.graalvm.nativeimage.c.struct.CStruct;
import org.graalvm.nativeimage.c.type.CCharPointer;
import org.graalvm.nativeimage.c.type.CCharPointerPointer;
import org.graalvm.word.PointerBase;

/**
 * The host API the shim hands the isolate at start: {@code struct flb4j_graal_host} of
 * {@code flb4j_graal.h}, one C function per {@link io.flb4j.host.HostApi} method. Strings are
 * UTF-8 C strings; label arrays are arrays of them.
 */
@CContext(GraalHost.Header.class)
@CStruct(value = "flb4j_graal_host", addStructKeyword = true)
public interface GraalHost extends PointerBase {
    /** The C header that declares the struct, next to the shim's sources at image build time. */
    final class Header implements CContext.Directives {
        @Override
        public List<String> getHeaderFiles() {
            return List.of("\"flb4j_graal.h\"");
        }
    }

    interface Property extends CFunctionPointer {
        @InvokeCFunctionPointer
        CCharPointer invoke(long instance, CCharPointer key);
    }

    interface InstanceName extends CFunctionPointer {
        @InvokeCFunctionPointer
        CCharPointer invoke(long instance);
    }

    interface LogEnabled extends CFunctionPointer {
        @InvokeCFunctionPointer
        int invoke(long instance, int level);
    }

    interface Log extends CFunctionPointer {
        @InvokeCFunctionPointer
        void invoke(long instance, int level, CCharPointer message);
    }

    interface MetricCreate extends CFunctionPointer {
        @InvokeCFunctionPointer
        long invoke(long instance, CCharPointerPointer names, int labelCount, CCharPointerPointer labelKeys);
    }

    interface MetricUpdate extends CFunctionPointer {
        @InvokeCFunctionPointer
        void invoke(long metric, double value, int labelCount, CCharPointerPointer labelValues);
    }

    interface Submit extends CFunctionPointer {
        @InvokeCFunctionPointer
        int invoke(long instance, PointerBase data, long length);
    }

    @CField("property") Property property();
    @CField("instance_name") InstanceName instanceName();
    @CField("log_enabled") LogEnabled logEnabled();
    @CField("log") Log log();
    @CField("counter_create") MetricCreate counterCreate();
    @CField("gauge_create") MetricCreate gaugeCreate();
    @CField("counter_add") MetricUpdate counterAdd();
    @CField("gauge_set") MetricUpdate gaugeSet();
    @CField("gauge_add") MetricUpdate gaugeAdd();
    @CField("submit") Submit submit();
}
