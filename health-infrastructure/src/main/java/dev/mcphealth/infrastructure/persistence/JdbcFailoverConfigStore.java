package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.FailoverConfigStorePort;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.ServerType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * failover_configurations on SQLite, made to match the configuration in one transaction: each configured primary
 * server type is inserted or updated in place (upsert on V4's unique index), and the rows of types no longer
 * configured are deleted. An update keeps the row's id and created_at, and its orchestrator_failover_task_id unless the
 * configuration carries one. A linked failover run's task is set on the type's row alone ({@link #linkFailoverTask}).
 */
public final class JdbcFailoverConfigStore implements FailoverConfigStorePort {
    private static final String UPSERT = "INSERT INTO failover_configurations (primary_server_type, fallback_strategy,"
            + " fallback_server_type, auto_recovery_enabled, max_retry_attempts, retry_delay_seconds,"
            + " health_check_interval_seconds, orchestrator_failover_task_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (primary_server_type) DO UPDATE SET fallback_strategy = excluded.fallback_strategy,"
            + " fallback_server_type = excluded.fallback_server_type,"
            + " auto_recovery_enabled = excluded.auto_recovery_enabled,"
            + " max_retry_attempts = excluded.max_retry_attempts, retry_delay_seconds = excluded.retry_delay_seconds,"
            + " health_check_interval_seconds = excluded.health_check_interval_seconds,"
            + " orchestrator_failover_task_id = COALESCE(excluded.orchestrator_failover_task_id,"
            + " failover_configurations.orchestrator_failover_task_id)";
    private static final String TYPES = "SELECT primary_server_type FROM failover_configurations";
    private static final String INTERVALS = "SELECT primary_server_type, health_check_interval_seconds"
            + " FROM failover_configurations";
    private static final String DELETE = "DELETE FROM failover_configurations WHERE primary_server_type = ?";
    private static final String LINK = "UPDATE failover_configurations SET orchestrator_failover_task_id = ?"
            + " WHERE primary_server_type = ?";

    private final Transactions tx;

    public JdbcFailoverConfigStore(Database db) {
        this.tx = new Transactions(db);
    }

    @Override
    public void save(List<FailoverConfig> configs) {
        Set<String> configured = new HashSet<>();
        for (FailoverConfig config : configs) {
            if (!configured.add(config.primaryServerType().value())) {
                throw new IllegalArgumentException("two failover configurations for server type "
                        + config.primaryServerType().value());
            }
        }
        tx.transaction("write failover configurations to", c -> {
            try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
                // in one order, whoever writes: two monitors saving at once wait for each other, never deadlock
                for (FailoverConfig f : configs.stream().sorted(java.util.Comparator.comparing(
                        (FailoverConfig x) -> x.primaryServerType().value())).toList()) {
                    upsert.setString(1, f.primaryServerType().value());
                    upsert.setString(2, f.fallbackStrategy().code());
                    upsert.setString(3, f.fallbackServerType().map(ServerType::value).orElse(null));
                    upsert.setBoolean(4, f.autoRecovery());
                    upsert.setInt(5, f.maxRetryAttempts());
                    upsert.setLong(6, f.retryDelay().toSeconds());
                    upsert.setLong(7, f.healthCheckInterval().toSeconds());
                    upsert.setString(8, f.orchestratorFailoverTaskId().orElse(null));
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
            List<String> gone = new ArrayList<>();
            try (PreparedStatement types = c.prepareStatement(TYPES); ResultSet rs = types.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(1);
                    if (!configured.contains(type)) {
                        gone.add(type);
                    }
                }
            }
            try (PreparedStatement delete = c.prepareStatement(DELETE)) {
                for (String type : gone) {
                    delete.setString(1, type);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            return null;
        });
    }

    @Override
    public boolean linkFailoverTask(ServerType type, String taskId) {
        Objects.requireNonNull(type, "type");
        if (taskId == null || taskId.isBlank()) {
            throw new IllegalArgumentException("taskId must not be blank");
        }
        return tx.connected("link a failover task in", c -> {
            try (PreparedStatement link = c.prepareStatement(LINK)) {
                link.setString(1, taskId);
                link.setString(2, type.value());
                return link.executeUpdate() > 0;
            }
        });
    }

    @Override
    public java.util.Map<ServerType, java.time.Duration> intervals() {
        return tx.connected("read failover configurations from", c -> {
            java.util.Map<ServerType, java.time.Duration> out = new java.util.TreeMap<>();
            try (PreparedStatement q = c.prepareStatement(INTERVALS); java.sql.ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.put(ServerType.of(rs.getString(1)), java.time.Duration.ofSeconds(rs.getLong(2)));
                }
            }
            return out;
        });
    }
}
