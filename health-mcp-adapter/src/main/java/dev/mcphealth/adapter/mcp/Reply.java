package dev.mcphealth.adapter.mcp;

import java.util.Map;
import java.util.Objects;

/**
 * What a tool answers: a one-paragraph summary for people and models, and the same facts as structured content that
 * matches the tool's output schema. {@code error} marks a domain failure (the call was valid but could not be done).
 */
record Reply(String summary, Map<String, Object> structured, boolean error) {
    Reply {
        Objects.requireNonNull(summary, "summary");
        structured = java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(Objects.requireNonNull(structured, "structured")));
    }

    static Reply ok(String summary, Map<String, Object> structured) {
        return new Reply(summary, structured, false);
    }
}
