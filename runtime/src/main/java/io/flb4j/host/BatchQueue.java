package io.flb4j.host;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An input instance's encoded events on their way to Fluent Bit, in batches off the Java heap.
 * Events are copied into the open batch, a direct buffer of at most {@code batchBytes}; a batch
 * is sealed when the next event does not fit, when the consumer has waited its linger, or when a
 * caller of {@link #awaitTaken} waits for one of its events. At most
 * {@code maxBatches} buffers exist, so native memory is bounded by the buffer limit: {@link #put}
 * blocks while they are all in use, or while the input is paused, and never drops an event.
 * Sequence numbers (from 1) let the plugin learn what Fluent Bit has taken. Safe for many
 * producers and one consumer at a time.
 */
final class BatchQueue {
    /** A direct buffer and where each event in it ends. */
    static final class Slot {
        final ByteBuffer buffer;
        int[] ends = new int[256];
        int events;

        Slot(int bytes) {
            buffer = ByteBuffer.allocateDirect(bytes);
        }

        void add() {
            if (events == ends.length) {
                ends = java.util.Arrays.copyOf(ends, ends.length * 2);
            }
            ends[events++] = buffer.position();
        }

        /** Where event {@code i} (from 0) starts. */
        int start(int i) {
            return i == 0 ? 0 : ends[i - 1];
        }

        void clear() {
            buffer.clear();
            events = 0;
        }
    }

    /**
     * A sealed batch: its slot (buffer position = bytes used), the sequence numbers it holds, and
     * whether it was sealed by its linger (not full: few events, and their latency matters).
     */
    record Batch(Slot slot, long firstSequence, long lastSequence, boolean lingered) {
        ByteBuffer buffer() {
            return slot.buffer;
        }

        int bytes() {
            return slot.buffer.position();
        }

        int events() {
            return slot.events;
        }
    }

    /** What {@link #next(long, long)} returns when its wait ran out with no batch. */
    static final Batch NONE = new Batch(null, 0, 0, false);

    private final int batchBytes;
    private final int maxBatches;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Batch> sealed = new ArrayDeque<>();
    private final ArrayDeque<Slot> free = new ArrayDeque<>();
    private int allocated;
    private Slot open;
    private long openFirst;
    /** When the open batch got its first event: its linger counts from there. */
    private long openSince;
    private long nextSequence = 1;
    /** Every event up to this sequence number is in Fluent Bit. */
    private long takenUpTo;
    private boolean paused;
    private boolean cancelled;

    /** At least two batches fit in {@code limitBytes}: one filling while one is handed over. */
    BatchQueue(long limitBytes, int chunkLimitBytes) {
        this.batchBytes = (int) Math.max(1, Math.min(chunkLimitBytes, limitBytes / 2));
        this.maxBatches = (int) Math.max(2, Math.min(Integer.MAX_VALUE, limitBytes / batchBytes));
    }

    /**
     * Copies one encoded event into the open batch, waiting up to {@code timeoutNanos} (negative:
     * forever) while the buffers are full or the input is paused. Returns its sequence number, or
     * 0 when the time ran out.
     */
    long put(byte[] event, int length, long timeoutNanos) throws InterruptedException {
        return put(event, length, timeoutNanos, false);
    }

    /** What an emit refused because the instance is stopping says. */
    static final String STOPPING = "the input instance is stopping: Fluent Bit takes no more events; stop reading "
            + "the source, so that what is not read stays with it";

    /**
     * As {@link #put(byte[], int, long)}; {@code alone} puts the bytes in a batch of their own (the
     * open batch is sealed first, the new one at once): a metrics context never shares a batch
     * with log events, so the shim tells a batch's kind by its first byte.
     */
    long put(byte[] event, int length, long timeoutNanos, boolean alone) throws InterruptedException {
        if (length > batchBytes) {
            throw new IllegalArgumentException("event of " + length + " bytes is larger than the batch limit of "
                    + batchBytes + " bytes (flb4j.chunk_limit, at most half of flb4j.buffer_limit) and could never be "
                    + "handed to Fluent Bit");
        }
        lock.lockInterruptibly();
        try {
            long left = timeoutNanos;
            while (!cancelled && (paused || !(alone ? freeSlot() : room(length)))) {
                if (timeoutNanos < 0) {
                    changed.await();
                } else if (left <= 0) {
                    return 0;
                } else {
                    left = changed.awaitNanos(left);
                }
            }
            if (cancelled) {
                throw new CancellationException(STOPPING);
            }
            if (open != null && (alone || open.buffer.remaining() < length)) {
                seal(false);
            }
            if (open == null) {
                open = free.isEmpty() ? newSlot() : free.pop();
                openFirst = nextSequence;
                openSince = System.nanoTime();
            }
            open.buffer.put(event, 0, length);
            open.add();
            long sequence = nextSequence++;
            if (alone) {
                seal(false);
            }
            changed.signalAll();
            return sequence;
        } finally {
            lock.unlock();
        }
    }

    private boolean freeSlot() {
        return !free.isEmpty() || allocated < maxBatches;
    }

    private boolean room(int length) {
        if (open != null && open.buffer.remaining() >= length) {
            return true;
        }
        return !free.isEmpty() || allocated < maxBatches;
    }

    private Slot newSlot() {
        allocated++;
        return new Slot(batchBytes);
    }

    private void seal(boolean lingered) {
        sealed.addLast(new Batch(open, openFirst, nextSequence - 1, lingered));
        open = null;
    }

    /**
     * The next batch for Fluent Bit: a sealed one, or the open one once it has waited
     * {@code lingerNanos} for more events. Waits for one; null when cancelled. While a batch is
     * out, no other is handed out: batches reach Fluent Bit in order.
     */
    Batch next(long lingerNanos) throws InterruptedException {
        return next(lingerNanos, -1);
    }

    /** The same, but {@link #NONE} once {@code waitNanos} (when not negative) ran out with no batch. */
    Batch next(long lingerNanos, long waitNanos) throws InterruptedException {
        long until = System.nanoTime() + waitNanos;
        lock.lockInterruptibly();
        try {
            while (!cancelled) {
                if (!sealed.isEmpty()) {
                    return sealed.pollFirst();
                }
                long now = System.nanoTime();
                long waitLeft = waitNanos < 0 ? Long.MAX_VALUE : until - now;
                long lingerLeft = open == null ? Long.MAX_VALUE : openSince + lingerNanos - now;
                if (lingerLeft <= 0) {
                    seal(true);
                } else if (waitLeft <= 0) {
                    return NONE;
                } else {
                    changed.awaitNanos(Math.min(waitLeft, lingerLeft));
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Everything waiting, sealed now, or null: for the proxy's 1-second collect. */
    Batch nextNow() {
        lock.lock();
        try {
            if (paused) {
                return null;
            }
            if (sealed.isEmpty() && open != null) {
                seal(false);
            }
            return sealed.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    /** A batch Fluent Bit took: its events are handed off, its buffer is free again. */
    void taken(Batch batch) {
        takenUpTo(batch.lastSequence());
        recycle(batch);
    }

    /** Fluent Bit copied the batch: its buffer is free again, its events are not handed off yet. */
    void recycle(Batch batch) {
        lock.lock();
        try {
            batch.slot().clear();
            free.push(batch.slot());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Fluent Bit took every event up to {@code sequence}. */
    void takenUpTo(long sequence) {
        lock.lock();
        try {
            takenUpTo = Math.max(takenUpTo, sequence);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A batch that was not taken goes back to the head of the line. */
    void putBack(Batch batch) {
        lock.lock();
        try {
            sealed.addFirst(batch);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long takenUpTo() {
        lock.lock();
        try {
            return takenUpTo;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the event {@code sequence} is in Fluent Bit (true) or {@code timeoutNanos}
     * ran out (false).
     *
     * @throws CancellationException when the input stopped before Fluent Bit took it
     */
    boolean awaitTaken(long sequence, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        lock.lockInterruptibly();
        try {
            if (open != null && sequence >= openFirst && sequence < nextSequence) {
                // Someone waits for an event of the open batch: it goes now, not after its linger
                // (a push receiver's answer waited the whole linger). Under load the batches still
                // grow: with every buffer out, events gather in the next open one.
                seal(true);
                changed.signalAll();
            }
            while (takenUpTo < sequence) {
                if (cancelled) {
                    throw new CancellationException("the input stopped before Fluent Bit took event " + sequence);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    void pause(boolean pause) {
        lock.lock();
        try {
            paused = pause;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean paused() {
        lock.lock();
        try {
            return paused;
        } finally {
            lock.unlock();
        }
    }

    /** Stops accepting events; {@link #notTaken} then says how many Fluent Bit never took. */
    void cancel() {
        lock.lock();
        try {
            cancelled = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Events accepted that Fluent Bit has not taken. */
    long notTaken() {
        lock.lock();
        try {
            return nextSequence - 1 - takenUpTo;
        } finally {
            lock.unlock();
        }
    }

    boolean cancelled() {
        lock.lock();
        try {
            return cancelled;
        } finally {
            lock.unlock();
        }
    }
}
