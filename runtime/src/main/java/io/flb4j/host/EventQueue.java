package io.flb4j.host;

import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An input instance's encoded events waiting for Fluent Bit, bounded by bytes. {@link #put}
 * blocks while the queue is full or paused and never drops; {@link #take} hands out up to a
 * chunk's worth at once. Sequence numbers let the plugin learn what Fluent Bit has taken.
 */
final class EventQueue {
    private final long limitBytes;
    private final int chunkLimitBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> events = new ArrayDeque<>();
    private long queuedBytes;
    private long nextSequence = 1;
    /** Sequence of the last event handed out by take(), acknowledged by handedOff(). */
    private long takenUpTo;
    private boolean paused;
    private boolean cancelled;

    EventQueue(long limitBytes, int chunkLimitBytes) {
        this.limitBytes = limitBytes;
        this.chunkLimitBytes = chunkLimitBytes;
    }

    /** Queues one encoded event, waiting while full or paused; returns its sequence number. */
    long put(byte[] event) throws InterruptedException {
        if (event.length > chunkLimitBytes) {
            throw new IllegalArgumentException("event of " + event.length + " bytes is larger than the chunk limit of "
                    + chunkLimitBytes + " bytes (flb4j.chunk_limit) and could never be handed to Fluent Bit");
        }
        lock.lockInterruptibly();
        try {
            while (!cancelled && (paused || (queuedBytes + event.length > limitBytes && !events.isEmpty()))) {
                changed.await();
            }
            if (cancelled) {
                throw new CancellationException("the input instance is stopping");
            }
            events.addLast(event);
            queuedBytes += event.length;
            return nextSequence++;
        } finally {
            lock.unlock();
        }
    }

    /** Up to a chunk's worth of queued events as one buffer; null when empty or paused. */
    byte[] take() {
        lock.lock();
        try {
            if (paused || events.isEmpty()) {
                return null;
            }
            int size = 0;
            int count = 0;
            for (byte[] e : events) {
                if (size + e.length > chunkLimitBytes) {
                    break;
                }
                size += e.length;
                count++;
            }
            byte[] chunk = new byte[size];
            int at = 0;
            for (int i = 0; i < count; i++) {
                byte[] e = events.removeFirst();
                System.arraycopy(e, 0, chunk, at, e.length);
                at += e.length;
            }
            queuedBytes -= size;
            takenUpTo = nextSequence - 1 - events.size();
            changed.signalAll();
            return chunk;
        } finally {
            lock.unlock();
        }
    }

    /** The sequence number of the last event the last {@link #take} handed out. */
    long takenUpTo() {
        lock.lock();
        try {
            return takenUpTo;
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

    /** Stops accepting events; returns how many were still queued (they are not handed out). */
    int cancel() {
        lock.lock();
        try {
            cancelled = true;
            changed.signalAll();
            return events.size();
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
