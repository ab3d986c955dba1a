package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.ServerType;
import java.util.List;

/**
 * failover_configurations: one row per primary server type, filled from the configuration, and linked to the
 * orchestrator task of the last run that acted on the type's failover.
 */
public interface FailoverConfigStorePort {
    /**
     * Makes the stored rows match {@code configs} (one per primary server type; a type's row is updated in place, so
     * an orchestrator task id stored on it survives).
     *
     * @throws StorageUnavailableException if the store cannot take them now
     */
    void save(List<FailoverConfig> configs);

    /**
     * Stores {@code taskId} as the type's orchestrator_failover_task_id, replacing the one stored before; the rest of
     * the row is left as it is. Nothing is stored when the type has no row (rows are made by {@link #save}).
     *
     * @return whether the type had a row
     * @throws StorageUnavailableException if the store cannot take it now
     */
    boolean linkFailoverTask(ServerType type, String taskId);

    /**
     * Each stored server type's health_check_interval_seconds: the interval the last run was configured with.
     *
     * @throws StorageUnavailableException if the store cannot be read now
     */
    java.util.Map<ServerType, java.time.Duration> intervals();
}
