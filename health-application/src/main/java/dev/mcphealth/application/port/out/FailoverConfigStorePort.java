package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.FailoverConfig;
import java.util.List;

/** failover_configurations: one row per primary server type, filled from the configuration. */
@FunctionalInterface
public interface FailoverConfigStorePort {
    /**
     * Makes the stored rows match {@code configs} (one per primary server type; a type's row is updated in place, so
     * an orchestrator task id stored on it survives).
     *
     * @throws StorageUnavailableException if the store cannot take them now
     */
    void save(List<FailoverConfig> configs);
}
