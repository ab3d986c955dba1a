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
public final class JdbcFailureStore implements FailureStorePort {
    private final Transactions tx;
    /**
     * Parameter 6 is the failure's recovery task: it replaces the stored one when there is one (a later linked run's
     * task replaces an earlier one's), unless it is a stand-in whose plan no longer waits: then what the stand-in
     * resolves to ({@link JdbcTaskLinks#resolvedValue}), and the stored one if that is nothing.
     */
    private final String update;
    /** Parameter 10 is the recovery task, stored as {@link JdbcTaskLinks#resolvedValue} makes it. */
    private final String insert;

    public JdbcFailureStore(Database db) {
        this.tx = new Transactions(db);
        this.update = "UPDATE integration_failures SET resolution_time_seconds = ?, resolved = ?,"
                + " recovery_action = ?, error_details = ?, resolution_time_ms = ?,"
                + " orchestrator_recovery_task_id = COALESCE(" + JdbcTaskLinks.resolvedValue(tx.dialect)
                + ", orchestrator_recovery_task_id)"
                + " WHERE server_instance = ? AND failure_type = ? AND occurred_at = ?";
        this.insert = "INSERT INTO integration_failures (server_type, server_instance, failure_type,"
                + " task_context, error_details, recovery_action, resolution_time_seconds, resolved, occurred_at,"
                + " orchestrator_recovery_task_id, resolution_time_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + JdbcTaskLinks.resolvedValue(tx.dialect) + ", ?)";
    }

    @Override
    public void record(List<Failure> failures) {
        if (failures.isEmpty()) {
            return;
        }
        tx.transaction("write failures to", c -> {
            try (PreparedStatement update = c.prepareStatement(this.update);
                 PreparedStatement insert = c.prepareStatement(this.insert)) {
                for (Failure f : tx.fenced(c, failures, x -> x.serverInstance().value())) {
                    setResolution(update, 1, f);
                    update.setBoolean(2, f.resolved());
                    update.setString(3, f.recoveryAction().code());
                    tx.dialect.text(update, 4, f.errorDetails());
                    setMillis(update, 5, f);
                    update.setString(6, f.orchestratorRecoveryTaskId().orElse(null));
                    update.setString(7, f.serverInstance().value());
                    update.setString(8, f.type().code());
                    tx.dialect.time(update, 9, f.occurredAt());
                    if (update.executeUpdate() == 0) {
                        insert.setString(1, f.serverType().value());
                        insert.setString(2, f.serverInstance().value());
                        insert.setString(3, f.type().code());
                        tx.dialect.text(insert, 4, f.taskContext());
                        tx.dialect.text(insert, 5, f.errorDetails());
                        insert.setString(6, f.recoveryAction().code());
                        setResolution(insert, 7, f);
                        insert.setBoolean(8, f.resolved());
                        tx.dialect.time(insert, 9, f.occurredAt());
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
