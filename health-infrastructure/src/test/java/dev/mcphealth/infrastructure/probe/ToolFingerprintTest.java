package dev.mcphealth.infrastructure.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.mcphealth.domain.model.ToolInventory;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Property test (jqwik only: no JUnit Jupiter annotations in this class). */
class ToolFingerprintTest {
    private static final McpJsonMapper MAPPER = McpJsonDefaults.getMapper();

    private static Map<String, Object> readSchema() {
        return Map.of("type", "object",
                "properties", Map.of("path", Map.of("type", "string", "description", "File to read"),
                        "encoding", Map.of("type", "string", "enum", List.of("utf-8", "latin1"))),
                "required", List.of("path"));
    }

    private static Map<String, Object> writeSchema() {
        return Map.of("type", "object",
                "properties", Map.of("path", Map.of("type", "string"), "content", Map.of("type", "string")),
                "required", List.of("path", "content"),
                "additionalProperties", false);
    }

    private static McpSchema.Tool tool(String name, String description, Map<String, Object> schema) {
        return McpSchema.Tool.builder(name, schema).description(description).build();
    }

    private static List<McpSchema.Tool> tools() {
        return List.of(
                tool("read_file", "Read a file", readSchema()),
                tool("write_file", "Write a file", writeSchema()),
                tool("list", null, Map.of("type", "object")));
    }

    private static ToolInventory fingerprint(List<McpSchema.Tool> tools) {
        return ToolFingerprint.of(tools, MAPPER);
    }

    /** The same map with its keys inserted in a random order, at every level; list order is kept. */
    private static Object shuffleKeys(Object value, Random random) {
        if (value instanceof Map<?, ?> map) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
            Collections.shuffle(entries, random);
            Map<String, Object> out = new LinkedHashMap<>();
            entries.forEach(e -> out.put((String) e.getKey(), shuffleKeys(e.getValue(), random)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> shuffleKeys(v, random)).toList();
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static List<McpSchema.Tool> shuffled(List<McpSchema.Tool> tools, Random random) {
        List<McpSchema.Tool> out = new ArrayList<>();
        for (McpSchema.Tool t : tools) {
            out.add(tool(t.name(), t.description(), (Map<String, Object>) shuffleKeys(t.inputSchema(), random)));
        }
        Collections.shuffle(out, random);
        return out;
    }

    @Property(tries = 200)
    void theSameToolsInAnyOrderWithKeysInAnyOrderGiveTheSameFingerprint(@ForAll Random random) {
        assertEquals(fingerprint(tools()), fingerprint(shuffled(tools(), random)));
    }

    @Example
    void countsTheToolsAndHashesEachByName() {
        ToolInventory inventory = fingerprint(tools());
        assertEquals(3, inventory.count());
        assertEquals(List.of("list", "read_file", "write_file"), List.copyOf(inventory.toolHashes().keySet()));
        inventory.toolHashes().values().forEach(h -> assertEquals(64, h.length()));
        assertEquals(64, inventory.hash().length());
    }

    @Example
    void aChangedDescriptionChangesThatToolsHashAndTheTotal() {
        ToolInventory before = fingerprint(tools());
        List<McpSchema.Tool> changed = new ArrayList<>(tools());
        changed.set(1, tool("write_file", "Write a file, replacing it", writeSchema()));
        ToolInventory after = fingerprint(changed);

        assertNotEquals(before.toolHashes().get("write_file"), after.toolHashes().get("write_file"));
        assertEquals(before.toolHashes().get("read_file"), after.toolHashes().get("read_file"));
        assertEquals(before.toolHashes().get("list"), after.toolHashes().get("list"));
        assertNotEquals(before.hash(), after.hash());
    }

    @Example
    void aChangedSchemaChangesThatToolsHashAndTheTotal() {
        ToolInventory before = fingerprint(tools());
        Map<String, Object> schema = new LinkedHashMap<>(readSchema());
        schema.put("required", List.of("path", "encoding"));
        List<McpSchema.Tool> changed = new ArrayList<>(tools());
        changed.set(0, tool("read_file", "Read a file", schema));
        ToolInventory after = fingerprint(changed);

        assertNotEquals(before.toolHashes().get("read_file"), after.toolHashes().get("read_file"));
        assertEquals(before.toolHashes().get("write_file"), after.toolHashes().get("write_file"));
        assertNotEquals(before.hash(), after.hash());
    }

    @Example
    void anAddedOrRemovedToolChangesTheTotal() {
        ToolInventory before = fingerprint(tools());
        ToolInventory fewer = fingerprint(tools().subList(0, 2));
        assertEquals(2, fewer.count());
        assertNotEquals(before.hash(), fewer.hash());
        assertEquals(before.toolHashes().get("read_file"), fewer.toolHashes().get("read_file"));
    }

    @Example
    void metaIsNotPartOfTheFingerprint() {
        McpSchema.Tool plain = tool("read_file", "Read a file", readSchema());
        McpSchema.Tool withMeta = McpSchema.Tool.builder("read_file", readSchema()).description("Read a file")
                .meta(Map.of("requestId", "123")).build();
        assertEquals(fingerprint(List.of(plain)), fingerprint(List.of(withMeta)));
    }

    @Example
    void noToolsIsAnEmptyInventoryWithTheHashOfNothing() {
        ToolInventory none = fingerprint(List.of());
        assertEquals(0, none.count());
        assertEquals(ToolFingerprint.sha256(""), none.hash());
    }
}
