package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.domain.model.Failure;
import java.sql.Types;
import java.util.List;

/** integration_failures on SQLite: one transaction per batch. */
public final class SqliteFailureStore implements FailureStorePort {
    private static final String INSERT = "INSERT INTO integration_failures (server_type, server_instance, failure_type,"
            + " task_context, error_details, recovery_action, resolution_time_seconds, resolved, occurred_at,"
            + " orchestrator_recovery_task_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Transactions tx;

    public SqliteFailureStore(SqliteDatabase db) {
        this.tx = new Transactions(db);
    }

    @Override
    public void record(List<Failure> failures) {
        tx.batch("write failures", INSERT, failures, (ps, f) -> {
            ps.setString(1, f.serverType().value());
            ps.setString(2, f.serverInstance().value());
            ps.setString(3, f.type().code());
            ps.setString(4, f.taskContext());
            ps.setString(5, f.errorDetails());
            ps.setString(6, f.recoveryAction().code());
            if (f.resolutionTime().isPresent()) {
                ps.setLong(7, f.resolutionTime().get().toSeconds());
            } else {
                ps.setNull(7, Types.INTEGER);
            }
            ps.setBoolean(8, f.resolved());
            ps.setString(9, SqlTime.format(f.occurredAt()));
            ps.setString(10, f.orchestratorRecoveryTaskId().orElse(null));
        });
    }
}
