package io.flb4j.host;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchQueueTest {
    private static final long FOREVER = -1;
    private static final byte[] EVENT = new byte[100];

    @Test
    void aBatchIsSealedWhenFullOrAfterItsLinger() throws Exception {
        BatchQueue q = new BatchQueue(1000, 250);
        assertThat(q.put(EVENT, 100, FOREVER)).isEqualTo(1);
        assertThat(q.put(EVENT, 100, FOREVER)).isEqualTo(2);
        assertThat(q.put(EVENT, 100, FOREVER)).isEqualTo(3);   // does not fit: seals 1..2
        BatchQueue.Batch full = q.next(TimeUnit.SECONDS.toNanos(10));
        assertThat(full.firstSequence()).isEqualTo(1);
        assertThat(full.lastSequence()).isEqualTo(2);
        assertThat(full.bytes()).isEqualTo(200);
        BatchQueue.Batch lingered = q.next(TimeUnit.MILLISECONDS.toNanos(20));   // 3 alone, after its linger
        assertThat(lingered.firstSequence()).isEqualTo(3);
        assertThat(lingered.lastSequence()).isEqualTo(3);
    }

    /** A push receiver waits for its events: the open batch goes at once, not after its linger. */
    @Test
    void aBatchSomeoneAwaitsIsSealedWithoutItsLinger() throws Exception {
        BatchQueue q = new BatchQueue(1000, 250);
        long first = q.put(EVENT, 100, FOREVER);
        long awaited = q.put(EVENT, 100, FOREVER);
        assertThat(q.next(TimeUnit.HOURS.toNanos(1), 0)).isSameInstanceAs(BatchQueue.NONE);   // lingering
        Thread waiter = new Thread(() -> {
            try {
                q.awaitTaken(awaited, TimeUnit.SECONDS.toNanos(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        BatchQueue.Batch batch = q.next(TimeUnit.HOURS.toNanos(1), TimeUnit.SECONDS.toNanos(30));
        assertThat(batch.firstSequence()).isEqualTo(first);
        assertThat(batch.lastSequence()).isEqualTo(awaited);
        assertThat(batch.lingered()).isTrue();   // few events whose latency matters
        q.taken(batch);
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(waiter.isAlive()).isFalse();
        long later = q.put(EVENT, 100, FOREVER);   // waiting for a taken event seals nothing
        assertThat(q.awaitTaken(awaited, 0)).isTrue();
        assertThat(q.next(TimeUnit.HOURS.toNanos(1), 0)).isSameInstanceAs(BatchQueue.NONE);
        assertThat(later).isEqualTo(3);
    }

    @Test
    void handedOffIsKnownOnlyOnceFluentBitTookTheBatch() throws Exception {
        BatchQueue q = new BatchQueue(1000, 250);
        long seq = q.put(EVENT, 100, FOREVER);
        assertThat(q.awaitTaken(seq, TimeUnit.MILLISECONDS.toNanos(10))).isFalse();
        q.taken(q.next(0));
        assertThat(q.awaitTaken(seq, 0)).isTrue();
        long notTaken = q.put(EVENT, 100, FOREVER);
        q.cancel();
        assertThat(q.notTaken()).isEqualTo(1);
        CancellationException e = assertThrows(CancellationException.class, () -> q.awaitTaken(notTaken, 0));
        assertThat(e).hasMessageThat().contains("the input stopped before Fluent Bit took event 2");
    }

    @Test
    void nativeMemoryIsBoundedAndAPausedQueueTakesNothing() throws Exception {
        BatchQueue q = new BatchQueue(500, 250);   // two batches of two events
        for (int i = 0; i < 4; i++) {
            assertThat(q.put(EVENT, 100, 0)).isGreaterThan(0L);
        }
        assertThat(q.put(EVENT, 100, TimeUnit.MILLISECONDS.toNanos(10))).isEqualTo(0);   // full: not queued
        q.taken(q.next(0));
        assertThat(q.put(EVENT, 100, 0)).isEqualTo(5);
        q.pause(true);
        assertThat(q.paused()).isTrue();
        q.taken(q.next(0));
        assertThat(q.put(EVENT, 100, TimeUnit.MILLISECONDS.toNanos(10))).isEqualTo(0);   // paused: not queued
        assertThat(q.nextNow()).isNull();
        q.pause(false);
        assertThat(q.put(EVENT, 100, 0)).isEqualTo(6);
    }

    @Test
    void anEventLargerThanABatchIsRefusedWithTheKey() {
        BatchQueue q = new BatchQueue(1000, 250);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.put(new byte[300], 300, 0));
        assertThat(e).hasMessageThat().contains("event of 300 bytes is larger than the batch limit of 250 bytes (flb4j.chunk_limit");
    }
}
