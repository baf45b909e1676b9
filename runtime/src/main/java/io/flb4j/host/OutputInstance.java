package io.flb4j.host;

import io.flb4j.api.Config;
import io.flb4j.api.FlushResult;
import io.flb4j.api.MalformedChunkException;
import io.flb4j.api.OutputPlugin;
import io.flb4j.api.RetryableException;
import io.flb4j.codec.ChunkDecoder;
import io.flb4j.codec.TelemetryDecoder;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An output instance: flushes chunks, one at a time unless the plugin declares otherwise. A
 * chunk goes to the flush method of its kind (logs, metrics or traces), told from its first
 * bytes: the proxy ABI does not say which kind a chunk is.
 */
final class OutputInstance extends Instance {
    private final OutputPlugin plugin;
    private final ReentrantLock flushLock;
    private final java.util.Map<Class<?>, io.flb4j.binding.RecordMapper<?>> mappers;

    OutputInstance(int id, long nativeInstance, String pluginName, HostApi api, Config config, ClassLoader loader,
                   OutputPlugin plugin, boolean concurrentFlush,
                   java.util.Map<Class<?>, io.flb4j.binding.RecordMapper<?>> mappers) {
        super(id, nativeInstance, pluginName, api, config, loader);
        this.plugin = plugin;
        this.mappers = mappers;
        this.flushLock = concurrentFlush ? null : new ReentrantLock();
    }

    @Override
    void init() throws Exception {
        plugin.init(this);
    }

    int flush(ByteBuffer chunk, String tag) {
        if (flushLock != null) {
            flushLock.lock();
        }
        try {
            FlushResult result = switch (TelemetryDecoder.kindOf(chunk)) {
                case LOGS -> plugin.flush(tag, ChunkDecoder.events(chunk, mappers));
                case METRICS -> plugin.flushMetrics(tag, TelemetryDecoder.metrics(chunk));
                case TRACES -> plugin.flushTraces(tag, TelemetryDecoder.traces(chunk));
            };
            if (result == null) {
                logger.error("flush of tag '%s' returned null; treating it as ERROR (return OK, RETRY or ERROR)", tag);
                return FlushResult.ERROR.code();
            }
            return result.code();
        } catch (RetryableException e) {
            logger.warn("flush of tag '" + tag + "' will be retried", e);
            return FlushResult.RETRY.code();
        } catch (MalformedChunkException e) {
            logger.error("chunk for tag '" + tag + "' is malformed, dropped", e);
            return FlushResult.ERROR.code();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            logger.error("flush of tag '" + tag + "' failed, chunk dropped", e);
            return FlushResult.ERROR.code();
        } finally {
            if (flushLock != null) {
                flushLock.unlock();
            }
        }
    }

    @Override
    void close() throws Exception {
        plugin.close();
    }
}
