package io.flb4j.samples.tail;

import io.flb4j.annotations.ConfigKey;
import io.flb4j.annotations.FluentBitInput;
import io.flb4j.annotations.MetricCounter;
import io.flb4j.api.ByteSize;
import io.flb4j.api.Counter;
import io.flb4j.api.EventSink;
import io.flb4j.api.FluentBit;
import io.flb4j.api.InputPlugin;
import io.flb4j.api.Logger;
import jakarta.validation.constraints.NotBlank;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Tails one file, line by line, and keeps in {@code db} the position after the last line Fluent
 * Bit has taken ({@link #handedOff}), never one it has not: started again, even after a kill, it
 * goes on from there. A line is read again only when Fluent Bit had it but its offset was not
 * written yet. A file there at start-up that {@code db} knows nothing of is read from its end
 * ({@code read_from_head} for its start); one made later, from its start. A rotated file
 * (renamed, a new one at the path) is read to its end first; a truncated one from its start.
 * One file only; lines of a file rotated away while Fluent Bit was down are not read.
 */
@FluentBitInput(name = "tail_java", description = "Tails a file; its offset is committed once Fluent Bit has the lines")
public final class TailInput implements InputPlugin {
    @ConfigKey(required = true, description = "File to tail") Path path;
    @ConfigKey(description = "File that keeps the offset of the last line Fluent Bit took (none: nothing is kept)") Path db;
    @ConfigKey(defaultValue = "off", description = "Read a file that db knows nothing of from its start, not its end")
    boolean readFromHead;
    @ConfigKey(defaultValue = "250ms", description = "How often to look for new lines when there are none") Duration refreshInterval;
    @ConfigKey(defaultValue = "32K", description = "The longest line; a longer one is cut into pieces of this size")
    ByteSize bufferMaxSize;
    @ConfigKey(defaultValue = "log", description = "The record key of each line") @NotBlank String key;

    @MetricCounter(name = "lines_total", help = "Lines read") Counter lines;
    @MetricCounter(name = "rotations_total", help = "Rotations and truncations seen") Counter rotations;

    /** The sequence number of a line's event, to where the file is read once Fluent Bit has it. */
    private final ConcurrentSkipListMap<Long, Position> pending = new ConcurrentSkipListMap<>();
    private Logger log;
    private Position start;

    /** A file (by its identity, which a rename keeps) and an offset in it. */
    record Position(String file, long offset) {
        static Position parse(String text) {
            int space = text.lastIndexOf(' ');
            return new Position(text.substring(0, space), Long.parseLong(text.substring(space + 1).trim()));
        }

        String text() {
            return file + " " + offset + "\n";
        }
    }

    @Override
    public void init(FluentBit fbit) throws IOException {
        log = fbit.logger();
        if (bufferMaxSize.bytes() < 16 || bufferMaxSize.bytes() > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("buffer_max_size must be 16 bytes to 1G, not " + bufferMaxSize);
        }
        if (db != null && Files.exists(db)) {
            try {
                start = Position.parse(Files.readString(db));
            } catch (RuntimeException e) {
                throw new IOException("db " + db + " does not hold an offset (" + e.getMessage() + "); remove it to start anew", e);
            }
        }
        if (start == null && !readFromHead && Files.exists(path)) {
            start = new Position(identity(path), Files.size(path));   // lines written from now on
        }
        log.info("tailing %s%s", path, start == null ? " from its start" : " from offset " + start.offset());
    }

    private static String identity(Path p) throws IOException {
        Object key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();   // (dev, inode) on Linux
        return key == null ? p.toRealPath().toString() : key.toString();
    }

    @Override
    public void collect(EventSink sink) throws Exception {
        byte[] line = new byte[(int) bufferMaxSize.bytes()];
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        while (!sink.cancelled()) {
            FileChannel file;
            String id;
            try {
                file = FileChannel.open(path, StandardOpenOption.READ);
                id = identity(path);
            } catch (NoSuchFileException e) {
                Thread.sleep(refreshInterval.toMillis());
                continue;
            }
            try (file) {
                // from the kept offset if it is this file's and still inside it; else from the start
                // (a file made after start-up, a rotated one, one truncated while Fluent Bit was down)
                long offset = start != null && start.file().equals(id) && start.offset() <= file.size() ? start.offset() : 0;
                start = null;
                read(sink, file, id, offset, line, buf);
            }
        }
    }

    /** Reads {@code file} from {@code offset} until it is rotated away (then returns) or the input stops. */
    private void read(EventSink sink, FileChannel file, String id, long offset, byte[] line, ByteBuffer buf)
            throws IOException, InterruptedException {
        long lineStart = offset;   // where the line being gathered starts in the file
        int length = 0;            // its bytes gathered so far
        file.position(offset);
        while (!sink.cancelled()) {
            buf.clear();
            int n = file.read(buf);
            if (n > 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n' || length == line.length) {
                        long end = file.position() - buf.remaining() - (b == '\n' ? 0 : 1);
                        emit(sink, id, line, length, end);
                        lineStart = end;
                        length = 0;
                        if (b == '\n') {
                            continue;
                        }
                    }
                    line[length++] = b;
                }
                continue;
            }
            if (file.size() < file.position()) {   // truncated: from its start, as written anew
                log.info("%s was truncated; reading it from its start", path);
                rotations.add(1);
                file.position(0);
                lineStart = 0;
                length = 0;
                continue;
            }
            if (!Objects.equals(currentIdentity(), id)) {   // rotated, and this one is read to its end
                if (length > 0) {
                    emit(sink, id, line, length, lineStart + length);   // its last line had no newline
                }
                log.info("%s was rotated; reading the new file from its start", path);
                rotations.add(1);
                return;
            }
            Thread.sleep(refreshInterval.toMillis());
        }
    }

    private String currentIdentity() {
        try {
            return identity(path);
        } catch (IOException e) {
            return null;   // removed, not yet made again
        }
    }

    private void emit(EventSink sink, String id, byte[] line, int length, long end) throws InterruptedException {
        long seq = sink.emit(Map.of(key, new String(line, 0, length, StandardCharsets.UTF_8)));   // waits while Fluent Bit is behind
        if (db != null) {
            pending.put(seq, new Position(id, end));
        }
        lines.add(1);
    }

    @Override
    public void handedOff(long sequence) {
        Map.Entry<Long, Position> taken = pending.floorEntry(sequence);
        if (taken == null) {
            return;
        }
        pending.headMap(sequence, true).clear();
        try {
            Path tmp = db.resolveSibling(db.getFileName() + ".tmp");
            Files.writeString(tmp, taken.getValue().text());
            try {
                Files.move(tmp, db, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, db, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the offset to " + db, e);
        }
    }
}
