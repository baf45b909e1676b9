package io.flb4j.codec;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.flb4j.api.Event;
import io.flb4j.api.Events;
import io.flb4j.api.MalformedChunkException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class CodecTest {
    private static final Instant T = Instant.ofEpochSecond(1_700_000_000L, 123_456_789);

    private static List<Event> decode(byte[] chunk) {
        List<Event> out = new ArrayList<>();
        ChunkDecoder.events(ByteBuffer.wrap(chunk)).forEach(out::add);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private interface Writer {
        void write(MessageBufferPacker p) throws IOException;
    }

    private static byte[] pack(Writer w) throws IOException {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        w.write(p);
        return p.toByteArray();
    }

    @Test
    void v2RoundTripOfEveryValueType() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("s", "héllo");
        record.put("i", 42L);
        record.put("neg", -7L);
        record.put("big", Long.MAX_VALUE);
        record.put("d", 1.5);
        record.put("b", true);
        record.put("n", null);
        record.put("bin", new byte[] {1, 2, 3});
        record.put("list", List.of(1L, "two", List.of(3.0)));
        record.put("map", Map.of("k", Map.of("deep", false)));
        record.put("time", T.toString());
        Map<String, Object> metadata = Map.of("origin", "test");
        byte[] chunk = new EventEncoder().encode(Event.of(T, metadata, record));
        List<Event> events = decode(chunk);
        assertThat(events).hasSize(1);
        Event e = events.get(0);
        assertThat(e.time()).isEqualTo(T);
        assertThat(e.metadata()).isEqualTo(metadata);
        Map<String, Object> decoded = new LinkedHashMap<>(e.record());
        assertThat((byte[]) decoded.remove("bin")).isEqualTo(new byte[] {1, 2, 3});
        record.remove("bin");
        assertThat(decoded).containsExactlyEntriesIn(record).inOrder();
        assertThat(e.group()).isNull();
    }

    @Test
    void encoderAcceptsJavaConveniences() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("int", 5);
        record.put("short", (short) 6);
        record.put("float", 1.25f);
        record.put("chars", new StringBuilder("sb"));
        record.put("array", new Object[] {"a", 1});
        record.put("uint64", new BigInteger("18446744073709551615"));
        record.put("enum", java.time.DayOfWeek.MONDAY);
        record.put("buffer", ByteBuffer.wrap(new byte[] {9}));
        Map<String, Object> got = decode(new EventEncoder().encode(Event.of(T, record))).get(0).record();
        assertThat(got.get("int")).isEqualTo(5L);
        assertThat(got.get("short")).isEqualTo(6L);
        assertThat(got.get("float")).isEqualTo(1.25);
        assertThat(got.get("chars")).isEqualTo("sb");
        assertThat(got.get("array")).isEqualTo(List.of("a", 1L));
        assertThat(got.get("uint64")).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(got.get("enum")).isEqualTo("MONDAY");
        assertThat((byte[]) got.get("buffer")).isEqualTo(new byte[] {9});
    }

    /** What a JDBC row or a library's object holds: times, dates, UUIDs, decimals, atomics. */
    @Test
    void commonJavaValuesBecomeWhatFluentBitHasForThem() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("timestamp", java.sql.Timestamp.from(T));
        record.put("date", new java.util.Date(1_700_000_000_123L));
        record.put("offset", java.time.OffsetDateTime.ofInstant(T, java.time.ZoneOffset.ofHours(2)));
        record.put("zoned", java.time.ZonedDateTime.ofInstant(T, java.time.ZoneId.of("Europe/Paris")));
        record.put("day", java.sql.Date.valueOf("2024-05-01"));
        record.put("time_of_day", java.sql.Time.valueOf("13:45:00"));
        record.put("local", java.time.LocalDateTime.of(2024, 5, 1, 13, 45, 0, 500_000_000));
        record.put("local_day", java.time.LocalDate.of(2024, 5, 1));
        record.put("uuid", java.util.UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        record.put("decimal", new java.math.BigDecimal("12.50"));
        record.put("counter", new java.util.concurrent.atomic.AtomicLong(42));
        record.put("letter", 'x');
        record.put("took", Duration.ofMillis(1500));
        record.put("instant", T);
        List<Event> out = new ArrayList<>();
        ChunkDecoder.events(ByteBuffer.wrap(new EventEncoder().encode(Event.of(T, record)))).forEach(out::add);
        Map<String, Object> got = out.get(0).record();
        // points in time as ISO-8601 text, never an EventTime ext (Fluent Bit's JSON of one is "\x6b…")
        assertThat(got.get("timestamp")).isEqualTo("2023-11-14T22:13:20.123456789Z");
        assertThat(got.get("date")).isEqualTo("2023-11-14T22:13:20.123Z");
        assertThat(got.get("offset")).isEqualTo("2023-11-15T00:13:20.123456789+02:00");
        assertThat(got.get("zoned")).isEqualTo("2023-11-14T23:13:20.123456789+01:00");
        assertThat(got.get("instant")).isEqualTo("2023-11-14T22:13:20.123456789Z");
        assertThat(got.get("day")).isEqualTo("2024-05-01");
        assertThat(got.get("time_of_day")).isEqualTo("13:45:00");
        assertThat(got.get("local")).isEqualTo("2024-05-01T13:45:00.500");
        assertThat(got.get("local_day")).isEqualTo("2024-05-01");
        assertThat(got.get("uuid")).isEqualTo("123e4567-e89b-12d3-a456-426614174000");
        assertThat(got.get("decimal")).isEqualTo(12.5);
        assertThat(got.get("counter")).isEqualTo(42L);
        assertThat(got.get("letter")).isEqualTo("x");
        assertThat(got.get("took")).isEqualTo("PT1.5S");
    }

    @Test
    void unsupportedValueNamesTheFieldPath() {
        Map<String, Object> record = Map.of("user", Map.of("addresses", List.of("a", "b", Map.of("geo", new Object()))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EventEncoder().encode(Event.of(record)));
        assertThat(e).hasMessageThat().startsWith("cannot encode field 'user.addresses[2].geo': java.lang.Object is not supported");
        Map<Object, Object> badKey = new LinkedHashMap<>();
        badKey.put(7, "x");
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class,
                () -> new EventEncoder().encode(Event.of(Map.of("m", badKey))));
        assertThat(k).hasMessageThat().contains("'m.7'");
    }

    @Test
    void v1EventsAndEveryTimeForm() throws IOException {
        byte[] intTime = pack(p -> p.packArrayHeader(2).packLong(1_700_000_000L).packMapHeader(1).packString("a").packLong(1));
        byte[] uintTime = pack(p -> p.packArrayHeader(2).packBigInteger(BigInteger.valueOf(4_000_000_000L))
                .packMapHeader(0));
        byte[] floatTime = pack(p -> p.packArrayHeader(2).packDouble(1_700_000_000.25).packMapHeader(0));
        byte[] extTime = pack(p -> {
            p.packArrayHeader(2).packExtensionTypeHeader((byte) 0, 8);
            p.writePayload(ByteBuffer.allocate(8).putInt(1_700_000_000).putInt(5).array());
            p.packMapHeader(0);
        });
        byte[] v2IntTime = pack(p -> p.packArrayHeader(2).packArrayHeader(2).packLong(12).packMapHeader(0)
                .packMapHeader(1).packString("v").packString("2"));
        List<Event> events = decode(concat(intTime, uintTime, floatTime, extTime, v2IntTime));
        assertThat(events).hasSize(5);
        assertThat(events.get(0).time()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(events.get(0).record()).containsExactly("a", 1L);
        assertThat(events.get(0).metadata()).isEmpty();
        assertThat(events.get(1).epochSecond()).isEqualTo(4_000_000_000L);
        assertThat(events.get(2).time()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 250_000_000));
        assertThat(events.get(3).time()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 5));
        assertThat(events.get(4).epochSecond()).isEqualTo(12);
        assertThat(events.get(4).record()).containsExactly("v", "2");
    }

    @Test
    void skippedEventsAreLeftOutAndAGettersMisfitNamesItsEvent() {
        EventEncoder enc = new EventEncoder();
        byte[] chunk = concat(
                enc.encode(Event.of(T, Map.of("user", "ann"))),
                EventEncoder.groupStart(Map.of(), Map.of()),
                enc.encode(Event.of(T, Map.of("level", "info"))),
                EventEncoder.groupEnd(),
                enc.encode(Event.of(T, Map.of("user", "bob"))));
        SkippedEvents skipped = new SkippedEvents();
        Events events = ChunkDecoder.events(ChunkMemory.owned(ByteBuffer.wrap(chunk)), RecordMappers.NONE, null, skipped);
        List<Event> all = new ArrayList<>();
        events.forEach(all::add);
        RuntimeException missing = assertThrows(io.flb4j.api.MissingFieldException.class, () -> all.get(1).string("user"));
        assertThat(skipped.eventOf(missing)).isEqualTo(2);   // group markers are not counted
        assertThat(skipped.eventOf(new java.io.IOException("bad row", missing))).isEqualTo(2);   // wrapped by the plugin
        assertThat(skipped.eventOf(new io.flb4j.api.MissingFieldException("like it"))).isEqualTo(0);
        assertThat(all.get(0).string("user")).isEqualTo("ann");
        skipped.skip(2);
        assertThat(events.count()).isEqualTo(2);
        List<String> users = new ArrayList<>();
        for (Event e : events) {
            users.add(e.string("user"));
        }
        assertThat(users).containsExactly("ann", "bob").inOrder();
        // events.as(...) leaves it out too, so its misfit is not told again.
        RecordMapper<String> byUser = new RecordMapper<>() {
            @Override
            public Class<String> type() {
                return String.class;
            }

            @Override
            public String read(RecordReader in) {
                String user = null;
                for (int n = in.fields(); n > 0; n--) {
                    if (in.key().equals("user")) {
                        user = in.string("user");
                    } else {
                        in.skip();
                    }
                }
                in.done();
                if (user == null) {
                    throw in.missing("user");
                }
                return user;
            }

            @Override
            public void write(String value, RecordWriter out) {
                throw new UnsupportedOperationException();
            }
        };
        List<Integer> told = new ArrayList<>();
        Events mapped = ChunkDecoder.events(ChunkMemory.owned(ByteBuffer.wrap(chunk)), RecordMappers.of(List.of(byUser)),
                (type, event, why) -> told.add(event), skipped);
        List<String> records = new ArrayList<>();
        mapped.as(String.class).forEach(records::add);
        assertThat(records).containsExactly("ann", "bob").inOrder();
        assertThat(told).isEmpty();
        Events unskipped = ChunkDecoder.events(ChunkMemory.owned(ByteBuffer.wrap(chunk)), RecordMappers.of(List.of(byUser)),
                (type, event, why) -> told.add(event), new SkippedEvents());
        unskipped.as(String.class).forEach(records::add);
        assertThat(told).containsExactly(2);
        // Without a SkippedEvents, nothing is noted and nothing left out.
        Events plain = ChunkDecoder.events(ByteBuffer.wrap(chunk));
        assertThat(plain.count()).isEqualTo(3);
    }

    @Test
    void groupMarkersAreNotEventsButGroupTheirEvents() {
        EventEncoder enc = new EventEncoder();
        byte[] chunk = concat(
                enc.encode(Event.of(T, Map.of("n", 0L))),
                EventEncoder.groupStart(Map.of("schema", "otlp"), Map.of("resource", Map.of("service.name", "api"))),
                enc.encode(Event.of(T, Map.of("n", 1L))),
                enc.encode(Event.of(T, Map.of("n", 2L))),
                EventEncoder.groupEnd(),
                enc.encode(Event.of(T, Map.of("n", 3L))));
        List<Event> events = decode(chunk);
        assertThat(events.stream().map(e -> e.record().get("n")).toList()).containsExactly(0L, 1L, 2L, 3L).inOrder();
        assertThat(events.get(0).group()).isNull();
        assertThat(events.get(1).group().attributes()).containsExactly("resource", Map.of("service.name", "api"));
        assertThat(events.get(1).group().metadata()).containsExactly("schema", "otlp");
        assertThat(events.get(2).group()).isSameInstanceAs(events.get(1).group());
        assertThat(events.get(3).group()).isNull();
        Events all = ChunkDecoder.events(ByteBuffer.wrap(chunk));
        assertThat(all.count()).isEqualTo(4);
        assertThat(all.sizeInBytes()).isEqualTo(chunk.length);
        int twice = 0;
        for (Event ignored : all) {
            twice++;
        }
        assertThat(twice).isEqualTo(4);
    }

    @Test
    void readsInPlaceFromADirectBufferAtItsPosition() {
        byte[] event = new EventEncoder().encode(Event.of(T, Map.of("message", "direct")));
        ByteBuffer direct = ByteBuffer.allocateDirect(event.length + 3);
        direct.put(new byte[] {0, 0, 0}).put(event).flip().position(3);
        List<Event> events = new ArrayList<>();
        ChunkDecoder.events(direct).forEach(events::add);
        assertThat(events.get(0).record()).containsExactly("message", "direct");
        assertThat(direct.position()).isEqualTo(3);
    }

    @Test
    void nonStringKeysAndOtherExtsHaveDefinedMappings() throws IOException {
        byte[] chunk = pack(p -> {
            p.packArrayHeader(2).packLong(1).packMapHeader(3);
            p.packLong(7).packString("int key");
            p.packBinaryHeader(2).writePayload("bk".getBytes());
            p.packString("bin key");
            p.packString("ext").packExtensionTypeHeader((byte) 42, 2).writePayload(new byte[] {1, 2});
        });
        Map<String, Object> r = decode(chunk).get(0).record();
        assertThat(r).containsEntry("7", "int key");
        assertThat(r).containsEntry("bk", "bin key");
        assertThat(r).containsEntry("ext", new ExtValue((byte) 42, new byte[] {1, 2}));
    }

    @Test
    void malformedShapesAreReportedWithTheirOffset() throws IOException {
        byte[] good = new EventEncoder().encode(Event.of(T, Map.of("a", 1L)));
        byte[] notArray = pack(p -> p.packMapHeader(0));
        MalformedChunkException e = assertThrows(MalformedChunkException.class, () -> decode(concat(good, notArray)));
        assertThat(e.offset()).isEqualTo(good.length);
        assertThat(e).hasMessageThat().contains("at byte " + good.length);
        byte[] recordNotMap = pack(p -> p.packArrayHeader(2).packLong(1).packString("x"));
        assertThat(assertThrows(MalformedChunkException.class, () -> decode(recordNotMap))).hasMessageThat()
                .contains("record must be a map");
        byte[] hugeMap = {(byte) 0x92, 0x01, (byte) 0xdf, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x00};
        assertThrows(MalformedChunkException.class, () -> decode(hugeMap).get(0).record());
        assertThrows(MalformedChunkException.class, () -> ChunkDecoder.events(ByteBuffer.wrap(hugeMap)).count());
        byte[] c1 = {(byte) 0x92, 0x01, (byte) 0x81, (byte) 0xa1, 'k', (byte) 0xc1};
        assertThrows(MalformedChunkException.class, () -> decode(c1));
    }

    @Test
    void deepNestingFailsCleanly() {
        byte[] chunk = new byte[100_005];
        chunk[0] = (byte) 0x92;
        chunk[1] = 0x01;
        chunk[2] = (byte) 0x81;
        chunk[3] = (byte) 0xa1;
        chunk[4] = 'k';
        Arrays.fill(chunk, 5, chunk.length, (byte) 0x91);
        assertThrows(MalformedChunkException.class, () -> decode(chunk));
    }

    /** Every cut point and thousands of byte flips: decode fully or throw MalformedChunkException, never hang. */
    @Test
    void truncatedAndCorruptedChunksNeverEscapeTheCodecException() {
        EventEncoder enc = new EventEncoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(EventEncoder.groupStart(Map.of("g", 1L), Map.of("attr", List.of("x", 2.5))));
        for (int i = 0; i < 20; i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("message", "event number " + i + " with some text to make it realistic");
            r.put("level", i % 2 == 0 ? "info" : "warn");
            r.put("n", (long) i);
            r.put("ratio", i / 3.0);
            r.put("tags", List.of("a", Map.of("b", new byte[] {1, 2})));
            out.writeBytes(enc.encode(Event.of(T.plusSeconds(i), Map.of("m", i), r)));
        }
        out.writeBytes(EventEncoder.groupEnd());
        byte[] chunk = out.toByteArray();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int cut = 0; cut < chunk.length; cut++) {
                decodeEverything(Arrays.copyOf(chunk, cut));
            }
            Random random = new Random(20261124L);
            for (int i = 0; i < 20_000; i++) {
                byte[] corrupted = chunk.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    corrupted[random.nextInt(corrupted.length)] = (byte) random.nextInt(256);
                }
                decodeEverything(corrupted);
            }
        });
    }

    private static void decodeEverything(byte[] chunk) {
        try {
            Events events = ChunkDecoder.events(ByteBuffer.wrap(chunk));
            events.count();
            for (Event e : events) {
                e.record();
                e.metadata();
                if (e.group() != null) {
                    e.group().attributes();
                    e.group().metadata();
                }
            }
        } catch (MalformedChunkException expected) {
            assertThat(expected.offset()).isAtLeast(0L);
            assertThat(expected.offset()).isAtMost((long) chunk.length);
        }
    }

    @Test
    void integersWithinMsgpacksRangeEncodeAndOthersFailNamingTheField() {
        BigInteger max = new BigInteger("18446744073709551615");
        BigInteger min = BigInteger.valueOf(Long.MIN_VALUE);
        Map<String, Object> record = Map.of("big", max, "small", min, "mid", BigInteger.TEN);
        Map<String, Object> back = decode(new EventEncoder().encode(Event.of(T, record))).get(0).record();
        assertThat(back.get("big")).isEqualTo(max);
        assertThat(back.get("small")).isEqualTo(Long.MIN_VALUE);
        assertThat(back.get("mid")).isEqualTo(10L);
        // What the decoder produced, emitted again unchanged.
        assertThat(decode(new EventEncoder().encode(Event.of(T, back))).get(0).record()).isEqualTo(back);
        for (BigInteger out : List.of(max.add(BigInteger.ONE), min.subtract(BigInteger.ONE))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new EventEncoder().encode(Event.of(Map.of("n", Map.of("big", out)))));
            assertThat(e).hasMessageThat().contains("cannot encode field 'n.big': " + out
                    + " is outside msgpack's integer range (-2^63 to 2^64-1)");
        }
    }

    /** Records whose keys share a position and differ late, in length or in a multi-byte character keep them apart. */
    @Test
    void keysRememberedByPositionNeverMixUp() {
        EventEncoder encoder = new EventEncoder();
        List<Map<String, Object>> records = List.of(
                Map.of("abcdefgh_1", 1L), Map.of("abcdefgh_2", 2L), Map.of("abcdefghijklmnop", 3L),
                Map.of("abcdefghijklmnopq", 4L), Map.of("abcdefghijklmnoq", 5L), Map.of("a", 6L), Map.of("b", 7L),
                Map.of("é", 8L), Map.of("", 9L), Map.of("abcdefgh_1", 10L));
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        for (Map<String, Object> r : records) {
            chunk.writeBytes(encoder.encode(Event.of(r)));
        }
        chunk.writeBytes(new byte[16]);   // room after the last key, so every key is compared in place ...
        byte[] bytes = Arrays.copyOf(chunk.toByteArray(), chunk.size() - 16);
        ByteBuffer direct = ByteBuffer.allocateDirect(chunk.size());
        direct.put(chunk.toByteArray()).flip().limit(bytes.length);   // ... while the chunk ends before it
        List<Map<String, Object>> decoded = new ArrayList<>();
        ChunkDecoder.events(direct).forEach(e -> decoded.add(e.record()));
        assertThat(decoded).isEqualTo(records);
        List<Map<String, Object>> fromHeap = new ArrayList<>();
        ChunkDecoder.events(ByteBuffer.wrap(bytes)).forEach(e -> fromHeap.add(e.record()));
        assertThat(fromHeap).isEqualTo(records);
    }
}
