package dev.mcphealth.adapter.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Building blocks of the output schemas: only what every reply holds is required; nested objects stay open. */
final class Schemas {
    private Schemas() {
    }

    static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "object");
        s.put("properties", properties);
        s.put("required", required);
        return s;
    }

    static Map<String, Object> type(String type, String description) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", type);
        s.put("description", description);
        return s;
    }

    static Map<String, Object> arrayOfObjects(String description) {
        Map<String, Object> s = type("array", description);
        s.put("items", Map.of("type", "object"));
        return s;
    }

    static Map<String, Object> oneOf(List<String> values, String description) {
        Map<String, Object> s = type("string", description);
        s.put("enum", values);
        return s;
    }

    /** The orchestrator block every orchestrator_* reply carries when a session id was given. */
    static Map<String, Object> orchestrator() {
        return type("object", "present when orchestrator_session_id was given: whether a task was linked");
    }
}
