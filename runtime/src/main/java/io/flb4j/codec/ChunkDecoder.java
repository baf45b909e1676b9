package io.flb4j.codec;

import io.flb4j.api.Event;
import io.flb4j.api.EventGroup;
import io.flb4j.api.Events;
import io.flb4j.api.FieldTypeException;
import io.flb4j.api.MalformedChunkException;
import io.flb4j.api.MissingFieldException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads a Fluent Bit chunk (concatenated msgpack events) in place.
 *
 * <p>Accepted events: v1 {@code [time, record]} and v2 {@code [[time, metadata], record]};
 * time as EventTime ext (type 0, 8 bytes), integer seconds or float seconds. Events whose time
 * seconds are {@code 0xFFFFFFFF} (or -1) start a group, {@code 0xFFFFFFFE} (or -2) end it; they
 * are not yielded but give the events between them their {@link Event#group()}.
 *
 * <p>Values map to Java as: map → {@code Map<String, Object>} in order (a non-string key
 * becomes its {@code String.valueOf}, a binary key its UTF-8 text), str → {@code String},
 * integers → {@code Long} (an unsigned value above {@code Long.MAX_VALUE} →
 * {@code BigInteger}), float → {@code Double}, bool → {@code Boolean}, bin → {@code byte[]},
 * array → {@code List<Object>}, nil → {@code null}, EventTime ext →
 * {@link java.time.Instant}, any other ext → {@link ExtValue}.
 *
 * <p>A malformed or truncated chunk makes iteration throw {@link MalformedChunkException}
 * with the byte offset; nothing else is thrown and nothing loops.
 *
 * <pre>{@code
 * for (Event e : ChunkDecoder.events(buffer)) {
 *     System.out.println(e.time() + " " + e.record());
 * }
 * }</pre>
 */
public final class ChunkDecoder {
    private ChunkDecoder() {}

    /** The events of {@code chunk} (from its position to its limit), read lazily; the buffer is not copied. */
    public static Events events(ByteBuffer chunk) {
        return events(chunk, RecordMappers.NONE);
    }

    /** As {@link #events(ByteBuffer)}, with the record mappers {@link Events#as} may use. */
    public static Events events(ByteBuffer chunk, RecordMappers mappers) {
        return events(ChunkMemory.owned(chunk), mappers);
    }

    /**
     * The events of a chunk read in place through its guard: every read is one short
     * {@link ChunkMemory#enter()}/{@link ChunkMemory#exit()}, never held while the caller's code runs.
     */
    public static Events events(ChunkMemory chunk, RecordMappers mappers) {
        return new ChunkEvents(chunk, mappers, null, null);
    }

    /**
     * As {@link #events(ChunkMemory, RecordMappers)}, but {@link Events#as} skips an event whose
     * record does not fit the type (a field it needs is missing, or of another type) and tells
     * {@code misfits}, instead of throwing: one bad record costs itself, not the chunk.
     */
    public static Events events(ChunkMemory chunk, RecordMappers mappers, Misfits misfits) {
        return new ChunkEvents(chunk, mappers, misfits, null);
    }

    /**
     * As {@link #events(ChunkMemory, RecordMappers, Misfits)}, without the events in
     * {@code skipped}; a misfit an event's getter throws is noted there with the event's number.
     */
    public static Events events(ChunkMemory chunk, RecordMappers mappers, Misfits misfits, SkippedEvents skipped) {
        return new ChunkEvents(chunk, mappers, misfits, skipped);
    }

    /**
     * Whether {@code e} says a record does not fit what the code reads (a field missing or of
     * another type): the record's fault, which no retry of its chunk mends.
     */
    public static boolean misfit(Throwable e) {
        return e instanceof MissingFieldException || e instanceof FieldTypeException;
    }

    /** Event {@code e}'s number in the chunk whose flush {@code skipped} serves (from 1), or 0 when it is not one of that flush's. */
    static int numberOf(io.flb4j.api.Event e, SkippedEvents skipped) {
        return e instanceof ChunkEvent c && c.skipped == skipped && skipped != null ? c.number : 0;
    }

    /** Told of each event {@link Events#as} skipped, with its number in the chunk (from 1). */
    @FunctionalInterface
    public interface Misfits {
        void skipped(String typeName, int event, RuntimeException why);
    }

    /** What one event header says; reused while scanning. */
    private static final class Scan {
        static final int EVENT = 0;
        static final int GROUP_START = 1;
        static final int GROUP_END = 2;

        final MsgpackCursor cursor;
        final int[] nanos = new int[1];
        int kind;
        long seconds;
        int metadataAt;
        int recordAt;

        Scan(ByteBuffer buf) {
            cursor = new MsgpackCursor(buf, 0);
        }


        /** Reads the event at the cursor and moves past it. */
        void next() {
            header();
            cursor.skipValue();
        }

        /**
         * Reads the event's header at the cursor and checks that a map follows; leaves the
         * cursor on the record (at {@link #recordAt}), so that decoding it and skipping it need
         * only one pass over its bytes. Group markers are skipped whole.
         */
        void header() {
            int at = cursor.pos;
            if (cursor.arrayHeader() != 2) {
                throw new MalformedChunkException("event must be an array of 2 elements", at);
            }
            int header = cursor.arrayHeader();
            metadataAt = -1;
            if (header >= 0) {
                if (header < 1) {
                    throw new MalformedChunkException("event header [time, metadata] is empty", at);
                }
                seconds = cursor.time(nanos);
                if (header >= 2) {
                    metadataAt = cursor.pos;
                    if (cursor.mapHeader() < 0) {
                        throw new MalformedChunkException("event metadata must be a map", metadataAt);
                    }
                    cursor.pos = metadataAt;
                    for (int i = 1; i < header; i++) {
                        cursor.skipValue();
                    }
                }
            } else {
                seconds = cursor.time(nanos);
            }
            recordAt = cursor.pos;
            if (cursor.mapHeader() < 0) {
                throw new MalformedChunkException("event record must be a map", recordAt);
            }
            cursor.pos = recordAt;
            kind = seconds == EventEncoder.GROUP_START_SECONDS || seconds == -1 ? GROUP_START
                    : seconds == EventEncoder.GROUP_END_SECONDS || seconds == -2 ? GROUP_END : EVENT;
        }
    }

    private static final class ChunkEvents implements Events {
        private final ChunkMemory mem;
        private final RecordMappers mappers;
        private final Misfits misfits;
        private final SkippedEvents skipped;

        ChunkEvents(ChunkMemory mem, RecordMappers mappers, Misfits misfits, SkippedEvents skipped) {
            this.mem = mem;
            this.mappers = mappers;
            this.misfits = misfits;
            this.skipped = skipped;
            if (skipped != null) {
                skipped.readBy(this::numberOfRecord);
            }
        }

        /**
         * The number of the first event not left out whose record, read as {@code record}'s type,
         * has the same fields (the same bytes when written back: arrays inside compare by their
         * contents); 0 when none has, or the type has no mapper.
         */
        @SuppressWarnings("unchecked")
        private int numberOfRecord(Record record) {
            try {
                RecordMapper<Record> mapper = (RecordMapper<Record>) mappers.of(record.getClass());
                EventEncoder encoder = new EventEncoder();
                int length = encoder.encodeInPlace(0, 0, mapper, record);
                byte[] wanted = Arrays.copyOf(encoder.buffer(), length);
                RecordIterator<Record> records = new RecordIterator<>(mem, mapper, (type, event, why) -> { }, skipped);
                while (records.hasNext()) {
                    Record candidate = records.next();
                    if (candidate.equals(record)) {
                        return records.event;
                    }
                    length = encoder.encodeInPlace(0, 0, mapper, candidate);
                    if (Arrays.equals(wanted, 0, wanted.length, encoder.buffer(), 0, length)) {
                        return records.event;
                    }
                }
                return 0;
            } catch (RuntimeException e) {
                return 0;   // not a type of the module, or a record that cannot be read or written again
            }
        }

        @Override
        public <R> Iterable<R> as(Class<R> type) {
            RecordMapper<R> mapper = mappers.of(type);
            return () -> new RecordIterator<>(mem, mapper, misfits, skipped);
        }

        @Override
        public int count() {
            int all = mem.read(buf -> {
                Scan scan = new Scan(buf);
                int count = 0;
                while (!scan.cursor.atEnd()) {
                    scan.next();
                    if (scan.kind == Scan.EVENT) {
                        count++;
                    }
                }
                return count;
            });
            return skipped == null ? all : all - skipped.count();
        }

        @Override
        public int sizeInBytes() {
            return mem.size();
        }

        @Override
        public Iterator<Event> iterator() {
            return new EventIterator(mem, new DecodeContext(), skipped);
        }
    }

    private static final class EventIterator implements Iterator<Event> {
        private final ChunkMemory mem;
        private final Scan scan;
        private final DecodeContext context;
        private final SkippedEvents skipped;
        private ChunkGroup group;
        private Event next;
        /** The last event yielded, whose record the cursor has not passed yet. */
        private ChunkEvent unpassed;
        /** The number in the chunk of the last event read (group markers not counted). */
        private int event;

        EventIterator(ChunkMemory mem, DecodeContext context, SkippedEvents skipped) {
            this.mem = mem;
            this.scan = new Scan(mem.buffer());
            this.context = context;
            this.skipped = skipped;
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            mem.enter();
            try {
                return advance();
            } finally {
                mem.exit();
            }
        }

        private boolean advance() {
            if (next == null && unpassed != null) {
                // Past the record just yielded: where its decoding ended, or skipped unread.
                int end = unpassed.recordEnd;
                if (end >= 0) {
                    scan.cursor.pos = end;
                } else {
                    scan.cursor.pos = unpassed.recordAt;
                    scan.cursor.skipValue();
                }
                unpassed = null;
            }
            while (next == null && !scan.cursor.atEnd()) {
                scan.header();
                if (scan.kind != Scan.EVENT) {
                    scan.cursor.skipValue();
                }
                switch (scan.kind) {
                    case Scan.GROUP_START -> group = new ChunkGroup(mem, scan.metadataAt, scan.recordAt, context);
                    case Scan.GROUP_END -> group = null;
                    default -> {
                        if (skipped != null && skipped.skips(++event)) {
                            scan.cursor.skipValue();
                        } else {
                            next = new ChunkEvent(mem, scan.seconds, scan.nanos[0], scan.metadataAt, scan.recordAt,
                                    group, context, event, skipped);
                        }
                    }
                }
            }
            return next != null;
        }

        @Override
        public Event next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Event e = next;
            next = null;
            unpassed = (ChunkEvent) e;
            return e;
        }
    }

    /** The records of a chunk's events, each read by its mapper in one pass. */
    private static final class RecordIterator<R> implements Iterator<R> {
        private final ChunkMemory mem;
        private final RecordMapper<R> mapper;
        private final Scan scan;
        private final DecodeContext context = new DecodeContext();
        private final String typeName;
        private final Misfits misfits;
        private final SkippedEvents skipped;
        /** The cursor is at an event's record, not read yet. */
        private boolean ready;
        /** The number in the chunk of the event at the cursor (group markers not counted). */
        private int event;
        /** {@code pending} holds the next record {@code next} returns. */
        private boolean mapped;
        private R pending;

        RecordIterator(ChunkMemory mem, RecordMapper<R> mapper, Misfits misfits, SkippedEvents skipped) {
            this.mem = mem;
            this.mapper = mapper;
            this.scan = new Scan(mem.buffer());
            this.typeName = mapper.type().getSimpleName();
            this.misfits = misfits;
            this.skipped = skipped;
        }

        /** Moves to the next event's record, past group markers; whether there is one. */
        private boolean atEvent() {
            if (ready) {
                return true;
            }
            mem.enter();
            try {
                while (!ready && !scan.cursor.atEnd()) {
                    scan.header();
                    if (scan.kind == Scan.EVENT && (skipped == null || !skipped.skips(event + 1))) {
                        ready = true;
                        event++;
                    } else {
                        event += scan.kind == Scan.EVENT ? 1 : 0;
                        scan.cursor.skipValue();
                    }
                }
                return ready;
            } finally {
                mem.exit();
            }
        }

        /**
         * Maps records until one fits (a misfit is told to {@code misfits} and skipped, when there
         * is a {@code misfits}), so that {@code hasNext} is true only when {@code next} has a record.
         */
        @Override
        public boolean hasNext() {
            while (!mapped) {
                if (!atEvent()) {
                    return false;
                }
                ready = false;
                ByteBuffer buf = mem.enter();
                // the mapper reads every field, calls done() (the guard ends) and then builds the record
                RecordReader reader = new RecordReader(mem, buf, scan.recordAt, context, typeName);
                RuntimeException misfit = null;
                try {
                    pending = mapper.read(reader);
                    mapped = true;
                    scan.cursor.pos = reader.end();
                } catch (RuntimeException e) {
                    if (reader.isDone()) {
                        scan.cursor.pos = reader.end();   // read whole; a missing primitive, or the record's constructor threw
                    } else {
                        scan.cursor.pos = scan.recordAt;  // the next event is still reachable after a bad field
                        scan.cursor.skipValue();
                    }
                    if (misfits == null || !misfit(e)) {
                        throw e;
                    }
                    misfit = e;
                } finally {
                    reader.done();   // a mapper generated before done() existed ends here
                }
                if (misfit != null) {
                    misfits.skipped(typeName, event, misfit);   // outside the guard: it logs
                }
            }
            return true;
        }

        @Override
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            R record = pending;
            pending = null;
            mapped = false;
            return record;
        }
    }

    private static Map<String, Object> mapAt(ChunkMemory mem, int at, DecodeContext context) {
        return at < 0 ? Collections.emptyMap()
                : mem.read(buf -> new MsgpackCursor(buf, at, context.forThisThread()).readMap(0));
    }

    /** One event, its maps decoded on first use. */
    private static final class ChunkEvent implements Event {
        private final ChunkMemory mem;
        private final long seconds;
        private final int nanos;
        private final int metadataAt;
        final int recordAt;
        private final EventGroup group;
        private final DecodeContext context;
        /** The event's number in the chunk (from 1; 0 for a group's marker), and where its getters' misfits are noted. */
        private final int number;
        private final SkippedEvents skipped;
        private Map<String, Object> metadata;
        private Map<String, Object> record;
        /** Where the record's bytes end, once it has been decoded; -1 before. */
        volatile int recordEnd = -1;

        ChunkEvent(ChunkMemory mem, long seconds, int nanos, int metadataAt, int recordAt, EventGroup group,
                   DecodeContext context, int number, SkippedEvents skipped) {
            this.mem = mem;
            this.context = context;
            this.number = number;
            this.skipped = skipped;
            this.seconds = seconds;
            this.nanos = nanos;
            this.metadataAt = metadataAt;
            this.recordAt = recordAt;
            this.group = group;
        }

        @Override
        public long epochSecond() {
            return seconds;
        }

        @Override
        public int nano() {
            return nanos;
        }

        @Override
        public Map<String, Object> metadata() {
            if (metadata == null) {
                metadata = mapAt(mem, metadataAt, context);
            }
            return metadata;
        }

        @Override
        public Map<String, Object> record() {
            if (record == null) {
                ByteBuffer buf = mem.enter();
                try {
                    MsgpackCursor c = new MsgpackCursor(buf, recordAt, context.forThisThread());
                    record = c.readMap(0);
                    recordEnd = c.pos;
                } finally {
                    mem.exit();
                }
            }
            return record;
        }

        @Override
        public EventGroup group() {
            return group;
        }

        @Override
        public String string(String path) {
            try {
                return Event.super.string(path);
            } catch (RuntimeException e) {
                throw noted(e);
            }
        }

        @Override
        public long longValue(String path) {
            try {
                return Event.super.longValue(path);
            } catch (RuntimeException e) {
                throw noted(e);
            }
        }

        @Override
        public double doubleValue(String path) {
            try {
                return Event.super.doubleValue(path);
            } catch (RuntimeException e) {
                throw noted(e);
            }
        }

        @Override
        public boolean booleanValue(String path) {
            try {
                return Event.super.booleanValue(path);
            } catch (RuntimeException e) {
                throw noted(e);
            }
        }

        /** {@code e}, which a getter threw; a misfit is noted with this event's number. */
        private RuntimeException noted(RuntimeException e) {
            if (skipped != null && misfit(e)) {
                skipped.thrown(number, e);
            }
            return e;
        }

        @Override
        public String toString() {
            return "Event[" + time() + "]";
        }
    }

    /** A group, read from its start marker: the marker's metadata and record are the group's. */
    private static final class ChunkGroup implements EventGroup {
        private final ChunkEvent marker;

        ChunkGroup(ChunkMemory mem, int metadataAt, int attributesAt, DecodeContext context) {
            this.marker = new ChunkEvent(mem, 0, 0, metadataAt, attributesAt, null, context, 0, null);
        }

        @Override
        public Map<String, Object> metadata() {
            return marker.metadata();
        }

        @Override
        public Map<String, Object> attributes() {
            return marker.record();
        }
    }
}
