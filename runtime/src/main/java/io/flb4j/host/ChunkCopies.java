package io.flb4j.host;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers that hold flushes' chunks: a flush reads its own copy, never Fluent Bit's memory,
 * so a flush that outlives its deadline (Fluent Bit has moved on and may free the chunk) still
 * reads valid bytes. Buffers are reused; at most as many are kept as flushes run at once.
 */
final class ChunkCopies {
    private static final int MIN_CAPACITY = 64 * 1024;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final int keep;

    ChunkCopies(int keep) {
        this.keep = keep;
    }

    /** A buffer holding the remaining bytes of {@code chunk}, positioned at 0; {@code chunk} is not moved. */
    ByteBuffer copyOf(ByteBuffer chunk) {
        int size = chunk.remaining();
        ByteBuffer copy = take(size);
        copy.clear().limit(size);
        copy.put(chunk.duplicate());
        return copy.flip();
    }

    private synchronized ByteBuffer take(int size) {
        for (var it = free.iterator(); it.hasNext(); ) {
            ByteBuffer b = it.next();
            if (b.capacity() >= size) {
                it.remove();
                return b;
            }
        }
        // Rounded up to a step of 1/16 of the size (at least 64K): room for the next, slightly larger
        // chunk without doubling a 2-MB chunk's copy to 4 MB.
        long step = Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(size, 1)) / 16);
        long capacity = Math.min(Integer.MAX_VALUE - 8, (size / step + 1) * step);
        return ByteBuffer.allocateDirect((int) Math.max(capacity, size));
    }

    /** Gives a buffer back once its flush has ended; the smallest is dropped when too many are kept. */
    synchronized void release(ByteBuffer copy) {
        free.push(copy);
        if (free.size() > keep) {
            ByteBuffer smallest = null;
            for (ByteBuffer b : free) {
                if (smallest == null || b.capacity() < smallest.capacity()) {
                    smallest = b;
                }
            }
            free.remove(smallest);
        }
    }
}
