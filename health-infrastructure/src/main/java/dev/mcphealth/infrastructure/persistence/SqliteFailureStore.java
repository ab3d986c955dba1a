package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.domain.model.Failure;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * integration_failures on SQLite, one transaction per batch. A failure is identified by server instance, type and
 * start (to the millisecond, as stored): one that is already stored has its outcome (resolution time in whole seconds
 * as the design has it and in milliseconds beside them, resolved,
 * recovery action, details) updated, and its recovery task when the failure carries one (a stored one is kept
 * otherwise, so that a writer that does not know the task never unlinks it; and a stand-in whose plan was delivered
 * is stored as what it resolves to, so it never replaces the task id it was resolved to); any other is inserted.
 */
public final class SqliteFailureStore implements FailureStorePort {
    /**
     * ?5 is the failure's recovery task: it replaces the stored one when there is one (a later linked run's task
     * replaces an earlier one's), unless it is a stand-in whose plan no longer waits: then what the stand-in resolves
     * to ({@link SqliteTaskLinks#resolvedValue}), and the stored one if that is nothing.
     */
    private static final String UPDATE = "UPDATE integration_failures SET resolution_time_seconds = ?1, resolved = ?2,"
            + " recovery_action = ?3, error_details = ?4, resolution_time_ms = ?9,"
            + " orchestrator_recovery_task_id = COALESCE(" + SqliteTaskLinks.resolvedValue("?5")
            + ", orchestrator_recovery_task_id)"
            + " WHERE server_instance = ?6 AND failure_type = ?7 AND occurred_at = ?8";
    private static final String INSERT = "INSERT INTO integration_failures (server_type, server_instance, failure_type,"
            + " task_context, error_details, recovery_action, resolution_time_seconds, resolved, occurred_at,"
            + " orchestrator_recovery_task_id, resolution_time_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
            + SqliteTaskLinks.resolvedValue("?10") + ", ?11)";

    private final Transactions tx;

    public SqliteFailureStore(SqliteDatabase db) {
        this.tx = new Transactions(db);
    }

    @Override
    public void record(List<Failure> failures) {
        if (failures.isEmpty()) {
            return;
        }
        tx.transaction("write failures to", c -> {
            try (PreparedStatement update = c.prepareStatement(UPDATE);
                 PreparedStatement insert = c.prepareStatement(INSERT)) {
                for (Failure f : failures) {
                    setResolution(update, 1, f);
                    update.setBoolean(2, f.resolved());
                    update.setString(3, f.recoveryAction().code());
                    update.setString(4, f.errorDetails());
                    update.setString(5, f.orchestratorRecoveryTaskId().orElse(null));
                    update.setString(6, f.serverInstance().value());
                    update.setString(7, f.type().code());
                    update.setString(8, SqlTime.format(f.occurredAt()));
                    setMillis(update, 9, f);
                    if (update.executeUpdate() == 0) {
                        insert.setString(1, f.serverType().value());
                        insert.setString(2, f.serverInstance().value());
                        insert.setString(3, f.type().code());
                        insert.setString(4, f.taskContext());
                        insert.setString(5, f.errorDetails());
                        insert.setString(6, f.recoveryAction().code());
                        setResolution(insert, 7, f);
                        insert.setBoolean(8, f.resolved());
                        insert.setString(9, SqlTime.format(f.occurredAt()));
                        insert.setString(10, f.orchestratorRecoveryTaskId().orElse(null));
                        setMillis(insert, 11, f);
                        insert.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    /** The resolution to the millisecond (V10), beside the design's whole seconds. */
    private static void setMillis(PreparedStatement ps, int at, Failure f) throws SQLException {
        if (f.resolutionTime().isPresent()) {
            ps.setLong(at, f.resolutionTime().get().toMillis());
        } else {
            ps.setNull(at, Types.INTEGER);
        }
    }

    private static void setResolution(PreparedStatement ps, int at, Failure f) throws SQLException {
        if (f.resolutionTime().isPresent()) {
            ps.setLong(at, f.resolutionTime().get().toSeconds());
        } else {
            ps.setNull(at, Types.INTEGER);
        }
    }
}
