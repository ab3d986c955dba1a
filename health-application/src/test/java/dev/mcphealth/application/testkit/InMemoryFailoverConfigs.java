package dev.mcphealth.application.testkit;

import dev.mcphealth.application.port.out.FailoverConfigStorePort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.ServerType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * failover_configurations in memory, one row per primary type, as the port says: a saved row keeps its task unless the
 * configuration carries one; {@link #unavailable} makes every write fail as a locked database would.
 */
public final class InMemoryFailoverConfigs implements FailoverConfigStorePort {
    private final Map<ServerType, FailoverConfig> rows = new LinkedHashMap<>();
    private String unavailable;

    public InMemoryFailoverConfigs unavailable(String reason) {
        this.unavailable = reason;
        return this;
    }

    @Override
    public synchronized void save(List<FailoverConfig> configs) {
        refuseIfUnavailable();
        Map<ServerType, FailoverConfig> saved = new LinkedHashMap<>();
        for (FailoverConfig c : configs) {
            if (saved.containsKey(c.primaryServerType())) {
                // as the SQLite store: one row per primary type, so two configurations of one are a bug
                throw new IllegalArgumentException("two failover configurations for server type "
                        + c.primaryServerType().value());
            }
            Optional<String> task = c.orchestratorFailoverTaskId()
                    .or(() -> Optional.ofNullable(rows.get(c.primaryServerType()))
                            .flatMap(FailoverConfig::orchestratorFailoverTaskId));
            saved.put(c.primaryServerType(), withTask(c, task));
        }
        rows.clear();
        rows.putAll(saved);
    }

    @Override
    public synchronized boolean linkFailoverTask(ServerType type, String taskId) {
        if (taskId == null || taskId.isBlank()) {
            throw new IllegalArgumentException("taskId must not be blank");
        }
        refuseIfUnavailable();
        FailoverConfig row = rows.get(type);
        if (row == null) {
            return false;
        }
        rows.put(type, withTask(row, Optional.of(taskId)));
        return true;
    }

    /** The type's stored task, if it has a row with one. */
    public synchronized Optional<String> task(String type) {
        return Optional.ofNullable(rows.get(ServerType.of(type))).flatMap(FailoverConfig::orchestratorFailoverTaskId);
    }

    private void refuseIfUnavailable() {
        if (unavailable != null) {
            throw new StorageUnavailableException(unavailable, null);
        }
    }

    private static FailoverConfig withTask(FailoverConfig c, Optional<String> task) {
        return new FailoverConfig(c.primaryServerType(), c.fallbackStrategy(), c.fallbackServerType(),
                c.autoRecovery(), c.maxRetryAttempts(), c.retryDelay(), c.healthCheckInterval(), task);
    }

    @Override
    public synchronized Map<ServerType, java.time.Duration> intervals() {
        refuseIfUnavailable();
        Map<ServerType, java.time.Duration> out = new LinkedHashMap<>();
        rows.values().forEach(c -> out.put(c.primaryServerType(), c.healthCheckInterval()));
        return out;
    }
}
