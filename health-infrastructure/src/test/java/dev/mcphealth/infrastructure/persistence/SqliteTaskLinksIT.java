package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.port.out.TaskLinkPort;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TaskLinksContract} on a real SQLite file; and what only SQLite shows: its lock, its query plans. */
class SqliteTaskLinksIT extends TaskLinksContract {
    private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
    private static final OrchestratorRequest.PlanTask PLAN = new OrchestratorRequest.PlanTask("t", "d",
            Optional.empty(), "simple", "devops");

    @RegisterExtension
    final TempDatabase database = new TempDatabase();

    @Override
    protected Database db() {
        return database.db();
    }

    private void metric(String task) throws Exception {
        Sql.execute(database.db(), "INSERT INTO integration_health_metrics (server_type, server_instance, metric_type,"
                + " metric_value, status, measured_at, orchestrator_task_id) VALUES ('demo', 'everything',"
                + " 'availability', 1, 'healthy', '2026-11-24 06:00:00.000', '" + task + "')");
    }

    @Test
    void withNoStandInAPassOnlyReadsSoAnotherWriterDoesNotStopIt() throws Exception {
        metric("task_99999999");
        try (AutoCloseable lock = Sql.lockExclusively(database.file())) {
            assertEquals(0, new JdbcTaskLinks(database.db()).resolveSettled(), "read while another holds the lock");
        }
        metric(TaskLinkPort.standIn(new JdbcOutbox(database.db()).add(OutboxPort.Call.of("run-1", PLAN), T0)));
        try (AutoCloseable lock = Sql.lockExclusively(database.file())) {
            assertThrows(StorageUnavailableException.class, () -> new JdbcTaskLinks(database.impatient())
                    .resolveSettled(), "with a stand-in it must write, and cannot");
        }
    }

    @Test
    void rowsWithAStandInAreFoundThroughThePartialIndexesThatHoldOnlyThem() throws Exception {
        for (String[] link : new String[][] {{"integration_health_metrics", "orchestrator_task_id",
                "idx_metrics_task_standin"}, {"integration_failures", "orchestrator_recovery_task_id",
                "idx_failures_task_standin"}}) {
            StringBuilder plan = new StringBuilder();
            try (Connection c = database.db().dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + JdbcTaskLinks.resolve(Dialect.SQLITE, link[0], link[1]))) {
                while (rs.next()) {
                    plan.append(rs.getString("detail")).append(" / ");
                }
            }
            assertTrue(plan.toString().contains(link[2]), plan.toString());
            assertFalse(plan.toString().startsWith("SCAN " + link[0] + " / "), "a scan of the whole table: " + plan);
        }
    }
}
