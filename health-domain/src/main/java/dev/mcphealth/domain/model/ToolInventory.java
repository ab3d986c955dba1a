package dev.mcphealth.domain.model;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The tools a server offers, as a fingerprint: each tool's name with a hash of its definition, and one hash over all,
 * so that a later check can name the tools that were added, removed or changed.
 */
public record ToolInventory(SortedMap<String, String> toolHashes, String hash) {
    public ToolInventory {
        toolHashes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(toolHashes)));
        Text.requireText(hash, "hash");
    }

    public static ToolInventory of(Map<String, String> toolHashes, String hash) {
        return new ToolInventory(new TreeMap<>(toolHashes), hash);
    }

    public int count() {
        return toolHashes.size();
    }
}
