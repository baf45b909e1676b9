package io.flb4j.codec;

import io.flb4j.api.RejectedEventException;
import java.util.BitSet;
import java.util.function.ToIntFunction;

/**
 * The events of one chunk that a flush runs without, by their number in the chunk (from 1, group
 * markers not counted), and the last misfit (a field missing, or of another type) that a getter of
 * one of its events threw ({@code event.string("user")}): when the flush throws that very
 * exception, the host knows which record it could not take, leaves that event out and runs the
 * flush again, where before the whole chunk was dropped. Events of {@link ChunkDecoder} with a
 * {@code SkippedEvents} skip the numbers in it, in {@code iterator()}, {@code as()} and
 * {@code count()}. The same for an event the flush rejects itself ({@link RejectedEventException}).
 */
public final class SkippedEvents {
    private final BitSet skipped = new BitSet();
    /** How many are skipped: read with no lock, so that a flush with none pays one volatile read per event. */
    private volatile int count;
    private int misfitEvent;
    private RuntimeException misfit;
    /** The events of the flush's last run, which find a record's event; null before the first. */
    private ToIntFunction<Record> records;

    /** Whether event {@code event} is left out. */
    boolean skips(int event) {
        return count > 0 && skipped(event);
    }

    private synchronized boolean skipped(int event) {
        return skipped.get(event);
    }

    /** Event {@code event}'s getter threw {@code e}, a misfit. */
    synchronized void thrown(int event, RuntimeException e) {
        misfitEvent = event;
        misfit = e;
    }

    /**
     * The event whose getter threw {@code e} (this exception, not one like it) or its cause (a
     * plugin that wraps it: {@code throw new SinkException("bad row", e)}), or that {@code e} or
     * its cause rejects ({@link RejectedEventException}, naming an event of this flush, or a
     * record read from one); 0 when none did. A record's event is found by reading the chunk's
     * records again, with no lock held: the record's constructor is the plugin's code.
     */
    public int eventOf(Throwable e) {
        ToIntFunction<Record> finder;
        RuntimeException thrown;
        int thrownBy;
        synchronized (this) {
            finder = records;
            thrown = misfit;
            thrownBy = misfitEvent;
        }
        for (int depth = 0; e != null && depth < 16; e = e.getCause(), depth++) {
            if (e == thrown) {
                return thrownBy;
            }
            if (e instanceof RejectedEventException rejected) {
                return rejected.record() == null ? ChunkDecoder.numberOf(rejected.event(), this)
                        : finder == null ? 0 : finder.applyAsInt(rejected.record());
            }
        }
        return 0;
    }

    /** The events this flush reads, which find the event a record ({@code Events.as}) was read from. */
    synchronized void readBy(ToIntFunction<Record> records) {
        this.records = records;
    }

    /** Leaves event {@code event} out from now on. */
    public synchronized void skip(int event) {
        skipped.set(event);
        count = skipped.cardinality();
        misfit = null;
        misfitEvent = 0;
    }

    /** How many events are left out. */
    public int count() {
        return count;
    }
}
