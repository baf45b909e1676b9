package io.flb4j.codec;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flb4j.api.Event;
import io.flb4j.api.Events;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Reads of a borrowed chunk end before its owner lets it go; later reads throw instead of reading freed memory. */
class ChunkMemoryTest {
    private static ByteBuffer chunk(int events) {
        EventEncoder encoder = new EventEncoder();
        ByteBuffer out = ByteBuffer.allocateDirect(64 * events + 64);
        for (int i = 0; i < events; i++) {
            out.put(encoder.encode(Event.of(Instant.ofEpochSecond(1_700_000_000L + i), Map.of("seq", (long) i))));
        }
        return out.flip();
    }

    @Test
    void eventsKeptPastTheFlushThrowWhenRead() {
        ChunkMemory mem = ChunkMemory.borrowed(chunk(3));
        Events events = ChunkDecoder.events(mem, RecordMappers.NONE);
        List<Event> kept = new ArrayList<>();
        events.forEach(kept::add);
        assertThat(kept.get(0).record()).containsEntry("seq", 0L);   // decoded during the flush: a plain map
        mem.close();
        assertThat(kept.get(0).record()).containsEntry("seq", 0L);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kept.get(1).record());
        assertThat(e).hasMessageThat().contains("Events are valid only during the flush");
        assertThrows(IllegalStateException.class, () -> events.iterator().hasNext());
        assertThrows(IllegalStateException.class, events::count);
    }

    @Test
    void closeWaitsForAReadInProgress() throws Exception {
        ChunkMemory mem = ChunkMemory.borrowed(chunk(1));
        ByteBuffer reading = mem.enter();
        CountDownLatch closed = new CountDownLatch(1);
        Thread owner = new Thread(() -> {
            mem.close();
            closed.countDown();
        });
        owner.start();
        assertThat(closed.await(200, TimeUnit.MILLISECONDS)).isFalse();   // the read is still in progress
        assertThat(reading.get(0)).isNotEqualTo((byte) 0);
        mem.exit();
        assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        owner.join();
    }

    @Test
    void readersOnOtherThreadsNeverSeeTheMemoryAfterClose() throws Exception {
        readUntilClosed(false);
    }

    /** The same with the reading thread named as the owner: its flag, not the shared count, guards its reads. */
    @Test
    void theOwnersReadsAreGuardedToo() throws Exception {
        readUntilClosed(true);
    }

    /** A thread reads in a loop while the chunk is closed: no read starts after close returned. */
    private static void readUntilClosed(boolean owner) throws Exception {
        ByteBuffer bytes = chunk(200);
        for (int round = 0; round < 50; round++) {
            ChunkMemory mem = ChunkMemory.borrowed(bytes);
            AtomicBoolean released = new AtomicBoolean();
            AtomicBoolean readAfterRelease = new AtomicBoolean();
            CountDownLatch reading = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                if (owner) {
                    mem.ownedBy(Thread.currentThread());
                }
                try {
                    while (true) {
                        ByteBuffer b = mem.enter();
                        try {
                            reading.countDown();
                            if (released.get()) {
                                readAfterRelease.set(true);
                            }
                            b.get(0);
                        } finally {
                            mem.exit();
                        }
                    }
                } catch (IllegalStateException expected) {
                    // closed
                }
            });
            reader.start();
            reading.await();
            mem.close();
            released.set(true);   // what Fluent Bit may now free
            reader.join(5000);
            assertThat(reader.isAlive()).isFalse();
            assertThat(readAfterRelease.get()).isFalse();
        }
    }

    @Test
    void ownedChunksAreNotGuarded() {
        ChunkMemory mem = ChunkMemory.owned(chunk(2));
        mem.close();
        assertThat(ChunkDecoder.events(mem, RecordMappers.NONE).count()).isEqualTo(2);
    }
}
