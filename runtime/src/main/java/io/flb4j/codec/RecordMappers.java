package io.flb4j.codec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code @EventRecord} mappers of a plugin's module, by record type: what
 * {@code Events.as(type)} and {@code EventSink.emit(record)} look up, and the one error when a
 * type has none.
 *
 * <pre>{@code
 * RecordMappers mappers = RecordMappers.of(binding.recordMappers());
 * RecordMapper<Line> line = mappers.of(Line.class);
 * }</pre>
 */
public final class RecordMappers {
    /** No mappers: every lookup fails with the error naming the type. */
    public static final RecordMappers NONE = new RecordMappers(Map.of());

    private final Map<Class<?>, RecordMapper<?>> byType;

    private RecordMappers(Map<Class<?>, RecordMapper<?>> byType) {
        this.byType = byType;
    }

    /** The mappers a binding lists ({@code PluginBinding.recordMappers()}). */
    public static RecordMappers of(List<RecordMapper<?>> mappers) {
        Map<Class<?>, RecordMapper<?>> byType = new HashMap<>();
        for (RecordMapper<?> m : mappers) {
            byType.put(m.type(), m);
        }
        return byType.isEmpty() ? NONE : new RecordMappers(Map.copyOf(byType));
    }

    /**
     * The mapper of {@code type}.
     *
     * @throws IllegalArgumentException naming the type and the fix, when the module has none
     */
    @SuppressWarnings("unchecked")
    public <R> RecordMapper<R> of(Class<R> type) {
        RecordMapper<R> mapper = (RecordMapper<R>) byType.get(type);
        if (mapper == null) {
            throw new IllegalArgumentException(type.getName() + " has no generated mapper: annotate it @EventRecord "
                    + "in the plugin's module, which the flb4j annotation processor compiles");
        }
        return mapper;
    }
}
