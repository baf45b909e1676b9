package io.flb4j.api;

import java.util.Map;

/** The typed getters of {@link Event}: path lookup and the errors that name the field. */
final class EventFields {
    private EventFields() {}

    static Object get(Map<String, Object> record, String path) {
        if (record.containsKey(path) || path.indexOf('.') < 0) {
            return record.get(path);
        }
        Object at = record;
        int from = 0;
        while (at instanceof Map<?, ?> map) {
            int dot = path.indexOf('.', from);
            String rest = path.substring(from);
            if (map.containsKey(rest)) {
                return map.get(rest);   // the rest is one key that holds dots
            }
            if (dot < 0) {
                return null;
            }
            at = map.get(path.substring(from, dot));
            from = dot + 1;
        }
        return null;
    }

    /** The value at {@code path}, which must be there. */
    static Object present(Map<String, Object> record, String path) {
        Object v = get(record, path);
        if (v == null) {
            throw new MissingFieldException("the record has no field '" + path + "'");
        }
        return v;
    }

    static String subject(String path) {
        return "field '" + path + "'";
    }
}
