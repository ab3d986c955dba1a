package dev.mcphealth.infrastructure.persistence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * orchestrator_outbox's JSON columns (arguments, an answered reply): a JSON object of plain values, keys in the order
 * given. Read back as maps (key order kept), lists, strings, booleans, {@code null}, whole numbers as {@code Long}
 * ({@code BigInteger} beyond it) and others as {@code Double}.
 */
final class OutboxJson {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private OutboxJson() {
    }

    static String write(Map<String, ?> object) {
        return MAPPER.writeValueAsString(object);
    }

    /**
     * The object in {@code json}.
     *
     * @throws IllegalArgumentException if it is not JSON or not an object
     */
    static Map<String, Object> read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) value(root);
        return object;
    }

    private static Object value(JsonNode n) {
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                m.put(e.getKey(), value(e.getValue()));
            }
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonNode e : n) {
                l.add(value(e));
            }
            return l;
        }
        if (n.isString()) {
            return n.stringValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isNull()) {
            return null;
        }
        throw new IllegalArgumentException("not a plain JSON value: " + n.getNodeType());
    }
}
