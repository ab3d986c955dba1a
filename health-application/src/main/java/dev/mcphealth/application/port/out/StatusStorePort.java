package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.StatusSnapshot;
import java.util.List;

/**
 * Where the monitor publishes what it knows now, one snapshot per server (the newest replaces the older), so that another
 * process ({@code mcp-health status}) sees what a running watch sees.
 */
@FunctionalInterface
public interface StatusStorePort {
    /**
     * Stores all of {@code snapshots} or none of them.
     *
     * @throws StorageUnavailableException if the store cannot take them now
     */
    void save(List<StatusSnapshot> snapshots);
}
