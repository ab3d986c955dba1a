package dev.mcphealth.infrastructure.probe;

import dev.mcphealth.domain.model.ToolInventory;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stable fingerprint of a tool list: each tool's definition (name, title, description, input and output schema,
 * annotations, icons; not _meta) as canonical JSON with sorted keys, hashed with SHA-256; the list's hash is over the
 * sorted "name=hash" lines. The same tools in any order, with keys in any order, give the same hash.
 */
final class ToolFingerprint {
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private ToolFingerprint() {
    }

    static ToolInventory of(List<McpSchema.Tool> tools, McpJsonMapper sdkMapper) {
        Map<String, String> perTool = new TreeMap<>();
        for (McpSchema.Tool tool : tools) {
            Map<String, Object> def = new LinkedHashMap<>();
            def.put("name", tool.name());
            def.put("title", tool.title());
            def.put("description", tool.description());
            def.put("inputSchema", tool.inputSchema());
            def.put("outputSchema", tool.outputSchema());
            def.put("annotations", tool.annotations());
            def.put("icons", tool.icons());
            perTool.put(tool.name(), sha256(canonical(def, sdkMapper)));
        }
        StringBuilder all = new StringBuilder();
        perTool.forEach((name, hash) -> all.append(name).append('=').append(hash).append('\n'));
        return ToolInventory.of(perTool, sha256(all.toString()));
    }

    private static String canonical(Map<String, Object> def, McpJsonMapper sdkMapper) {
        try {
            // The SDK mapper knows how to write its records; re-reading as plain maps lets us sort every level.
            Object plain = CANONICAL.readValue(sdkMapper.writeValueAsString(def), Object.class);
            return CANONICAL.writeValueAsString(sortDeep(plain));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object sortDeep(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> sorted.put(k, sortDeep(v)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ToolFingerprint::sortDeep).toList();
        }
        return value;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
