package io.flb4j.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A chunk read in place, in memory the reader does not own (Fluent Bit's, during a flush), with a
 * guard that lets its owner take the memory back while a reader may still be running.
 *
 * <p>Every read of the chunk happens between {@link #enter()} and {@link #exit()}, which the
 * decoders keep short (one event's header, one record, one telemetry context) and never hold
 * while plugin code runs. The owner calls {@link #close()} before it lets the memory go (a flush
 * answered, because it returned or because its deadline passed): the reads in progress end
 * first, and a later read (a flush still running past its deadline, or a plugin that kept its
 * events) throws {@link IllegalStateException} instead of reading memory Fluent Bit has freed.
 * A flush past its deadline was answered RETRY, so the chunk comes again; it cannot finish on
 * bytes Fluent Bit no longer holds.
 *
 * <p>Reads cost one atomic increment and decrement each (the flush's own thread, named by
 * {@link #ownedBy}: one fenced store and one plain store), in place of a copy of every chunk (the
 * copies, one per flush in flight, were most of what a busy output's JVM held beyond its idle
 * footprint).
 */
public final class ChunkMemory {
    private final ByteBuffer buf;
    private final int size;
    private final boolean guarded;
    private final AtomicInteger readers = new AtomicInteger();
    private volatile boolean closed;
    /** The thread that runs the flush; its reads cost one fence instead of two atomic updates. */
    private volatile Thread owner;
    /** Whether {@link #owner} is reading: written by the owner only (volatile on entry, release on exit). */
    private final AtomicBoolean ownerReading = new AtomicBoolean();

    private ChunkMemory(ByteBuffer chunk, boolean guarded) {
        this.buf = chunk.slice().order(ByteOrder.BIG_ENDIAN);
        this.size = buf.limit();
        this.guarded = guarded;
    }

    /** A chunk in memory someone else owns, from its position to its limit: reads are guarded. */
    public static ChunkMemory borrowed(ByteBuffer chunk) {
        return new ChunkMemory(chunk, true);
    }

    /** A chunk the caller owns for as long as it is read (a test's, a benchmark's): no guard. */
    public static ChunkMemory owned(ByteBuffer chunk) {
        return new ChunkMemory(chunk, false);
    }

    /**
     * Names the thread that will do most of the reading (the flush's): its reads set a flag of
     * their own, a store and a fence, where other threads' reads update a shared count.
     */
    public void ownedBy(Thread reader) {
        owner = reader;
    }

    /**
     * The buffer {@link #enter()} returns (big-endian, from 0 to {@link #size()}), to build a
     * cursor ahead of the reads; read it only between {@link #enter()} and {@link #exit()}.
     */
    public ByteBuffer buffer() {
        return buf;
    }

    /** The chunk's size in bytes. */
    public int size() {
        return size;
    }

    /** Starts a read: the buffer to read (big-endian, from 0 to {@link #size()}) until {@link #exit()}. */
    public ByteBuffer enter() {
        if (!guarded) {
            return buf;
        }
        if (Thread.currentThread() == owner) {
            ownerReading.set(true);   // a volatile store, then closed is read: close() sees this flag or we see closed
            if (!closed) {
                return buf;
            }
            ownerReading.setRelease(false);
            throw closedError();
        }
        readers.incrementAndGet();
        if (closed) {
            readers.decrementAndGet();
            throw closedError();
        }
        return buf;
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("this flush's events cannot be read any more: the flush was answered "
                    + "(its method returned, or it passed its deadline and Fluent Bit was told RETRY). Events are "
                    + "valid only during the flush; keep what you need as plain values (event.record() is a map)");
    }

    /** One whole read: {@code decode} of the buffer between {@link #enter()} and {@link #exit()}. */
    public <T> T read(Function<ByteBuffer, T> decode) {
        ByteBuffer b = enter();
        try {
            return decode.apply(b);
        } finally {
            exit();
        }
    }

    /** Ends a read started by {@link #enter()}. */
    public void exit() {
        if (!guarded) {
            return;
        }
        if (Thread.currentThread() == owner) {
            ownerReading.setRelease(false);
        } else {
            readers.decrementAndGet();
        }
    }

    /** Whether {@link #close()} ended the reads: for a flush, that it was answered (at its deadline, when its code still runs). */
    public boolean isClosed() {
        return closed;
    }

    /** Ends every read: returns once none is in progress (each is one record at most); later ones throw. */
    public void close() {
        if (!guarded) {
            return;
        }
        closed = true;
        awaitNoReaders();
    }

    private void awaitNoReaders() {
        for (int spins = 0; readers.get() != 0 || ownerReading.get(); spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
            }
        }
    }
}
