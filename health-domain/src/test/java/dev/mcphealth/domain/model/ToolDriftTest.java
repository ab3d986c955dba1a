package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToolDriftTest {
    @Test
    void namesAddedRemovedAndChangedTools() {
        ToolInventory before = ToolInventory.of(Map.of("a", "1", "b", "2", "c", "3"), "h1");
        ToolInventory after = ToolInventory.of(Map.of("a", "1", "b", "9", "d", "4"), "h2");
        ToolDrift d = ToolDrift.between(before, after).orElseThrow();
        assertEquals(List.of("d"), d.added());
        assertEquals(List.of("c"), d.removed());
        assertEquals(List.of("b"), d.changed());
        assertEquals("h1", d.fromHash());
        assertEquals("h2", d.toHash());
    }

    @Test
    void theSameToolsAreNoDrift() {
        ToolInventory t = ToolInventory.of(Map.of("a", "1"), "h");
        assertEquals(Optional.empty(), ToolDrift.between(t, ToolInventory.of(Map.of("a", "1"), "h")));
    }

    @Test
    void aDriftNamesATool() {
        assertThrows(IllegalArgumentException.class, () -> new ToolDrift(List.of(), List.of(), List.of(), "a", "b"));
    }
}
