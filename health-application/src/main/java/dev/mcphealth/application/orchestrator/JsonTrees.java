package dev.mcphealth.application.orchestrator;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An orchestrator's answer as plain JSON values for storage: nulls left out (a key whose value is null is as good as
 * absent), whole numbers as {@code Long}, others as {@code Double}, and what JSON cannot hold (NaN, infinities, a
 * number beyond a long) as its text. Key order is kept.
 */
final class JsonTrees {
    private JsonTrees() {
    }

    static Map<String, Object> withoutNulls(Map<?, ?> object) {
        Map<String, Object> out = new LinkedHashMap<>();
        object.forEach((k, v) -> {
            if (k != null && v != null) {
                out.put(String.valueOf(k), plain(v));
            }
        });
        return out;
    }

    private static Object plain(Object v) {
        if (v instanceof Map<?, ?> m) {
            return withoutNulls(m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.stream().filter(x -> x != null).forEach(x -> out.add(plain(x)));
            return out;
        }
        if (v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer
                || v instanceof Short || v instanceof Byte) {
            return v;
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
        }
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            double d = ((Number) v).doubleValue();
            return Double.isNaN(d) || Double.isInfinite(d) ? String.valueOf(d) : (Object) d;
        }
        return String.valueOf(v);
    }
}
