package dev.mcphealth.domain.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a server's tools changed between two listings: names added, removed, and kept with a changed definition
 * (description or schema). A server silently changing what a tool does is a known attack on MCP clients.
 */
public record ToolDrift(List<String> added, List<String> removed, List<String> changed, String fromHash,
                        String toHash) {

    public ToolDrift {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
        Text.requireText(fromHash, "fromHash");
        Text.requireText(toHash, "toHash");
        if (added.isEmpty() && removed.isEmpty() && changed.isEmpty()) {
            throw new IllegalArgumentException("a drift names at least one tool");
        }
    }

    /** The drift from {@code before} to {@code after}, or empty when the tools are the same. */
    public static Optional<ToolDrift> between(ToolInventory before, ToolInventory after) {
        if (before.hash().equals(after.hash()) && before.toolHashes().equals(after.toolHashes())) {
            return Optional.empty();
        }
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, String> e : after.toolHashes().entrySet()) {
            String old = before.toolHashes().get(e.getKey());
            if (old == null) {
                added.add(e.getKey());
            } else if (!old.equals(e.getValue())) {
                changed.add(e.getKey());
            }
        }
        for (String name : before.toolHashes().keySet()) {
            if (!after.toolHashes().containsKey(name)) {
                removed.add(name);
            }
        }
        if (added.isEmpty() && removed.isEmpty() && changed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ToolDrift(added, removed, changed, before.hash(), after.hash()));
    }
}
