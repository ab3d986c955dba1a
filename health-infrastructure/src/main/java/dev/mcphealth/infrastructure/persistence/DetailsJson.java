package dev.mcphealth.infrastructure.persistence;

import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The details column: a JSON object of strings. */
final class DetailsJson {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private DetailsJson() {
    }

    static String write(Map<String, String> details) {
        return MAPPER.writeValueAsString(new java.util.TreeMap<>(details));
    }
}
