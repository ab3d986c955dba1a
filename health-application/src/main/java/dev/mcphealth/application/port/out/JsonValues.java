package dev.mcphealth.application.port.out;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, immutable copies of JSON-compatible values (maps with string keys, lists, strings, booleans, numbers), with
 * numbers in one form each (whole numbers as {@link Long}, others as {@link Double}), so that a value stored as JSON
 * and read back equals the one stored. {@code null} is refused: leave a key out instead.
 */
final class JsonValues {
    private JsonValues() {
    }

    /** A copy of {@code object} that keeps its key order; {@code what} names it in a refusal ("arguments"). */
    static Map<String, Object> object(Map<String, ?> object, String what) {
        if (object == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : object.entrySet()) {
            if (e.getKey() == null) {
                throw new IllegalArgumentException(what + " has a null key");
            }
            copy.put(e.getKey(), value(e.getValue(), what + "." + e.getKey()));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Object value(Object v, String where) {
        if (v == null) {
            throw new IllegalArgumentException(where + " is null: leave it out instead");
        }
        if (v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException(where + " is " + d + ", which JSON cannot hold");
            }
            return d;
        }
        if (v instanceof Map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException(where + " has a key that is not a string: " + e.getKey());
                }
                copy.put((String) e.getKey(), value(e.getValue(), where + "." + e.getKey()));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (v instanceof List) {
            List<Object> copy = new ArrayList<>();
            List<?> list = (List<?>) v;
            for (int i = 0; i < list.size(); i++) {
                copy.add(value(list.get(i), where + "[" + i + "]"));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(where + " is a " + v.getClass().getSimpleName()
                + ", not a JSON value (map, list, string, number, boolean)");
    }
}
