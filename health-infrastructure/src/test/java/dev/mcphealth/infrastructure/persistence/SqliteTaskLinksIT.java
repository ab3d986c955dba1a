package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.port.out.TaskLinkPort;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stand-ins for task ids resolved on a real SQLite file, against real outbox entries. */
class SqliteTaskLinksIT {
    private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

    @RegisterExtension
    final TempDatabase database = new TempDatabase();

    private static final OrchestratorRequest.PlanTask PLAN = new OrchestratorRequest.PlanTask("t", "d", Optional.empty(), "simple", "devops");

    private long plan(SqliteOutbox outbox, String run) {
        return outbox.add(OutboxPort.Call.of(run, PLAN), T0);
    }

    private void settle(SqliteOutbox outbox, long entry, OrchestratorReply reply) {
        assertTrue(outbox.claim(entry, PLAN));
        outbox.settle(entry, new OutboxPort.Replied(reply, T0.plusSeconds(5)));
    }

    private void metric(String task) throws Exception {
        Sql.execute(database.db(), "INSERT INTO integration_health_metrics (server_type, server_instance, metric_type,"
                + " metric_value, status, measured_at, orchestrator_task_id, orchestrator_session_id) VALUES ('demo',"
                + " 'everything', 'availability', 1, 'healthy', '2026-11-24 06:00:00.000', " + quoted(task)
                + ", 'session_1a2b3c4d_1764000000')");
    }

    private void failure(String task) throws Exception {
        Sql.execute(database.db(), "INSERT INTO integration_failures (server_type, server_instance, failure_type,"
                + " occurred_at, orchestrator_recovery_task_id) VALUES ('demo', 'everything', 'connection_error',"
                + " '2026-11-24 06:00:00.000', " + quoted(task) + ")");
    }

    private static String quoted(String s) {
        return s == null ? "NULL" : "'" + s + "'";
    }

    private String tasks(String table, String column) throws Exception {
        return Sql.single(database.db(), "SELECT group_concat(coalesce(" + column + ", 'NULL'), ',') FROM (SELECT "
                + column + " FROM " + table + " ORDER BY id)");
    }

    @Test
    void settledPlansReplaceTheirStandInsWaitingOnesAreLeftAndOtherLinksAreUntouched() throws Exception {
        SqliteOutbox outbox = new SqliteOutbox(database.db());
        long answered = plan(outbox, "run-1");
        long refused = plan(outbox, "run-2");
        long waiting = plan(outbox, "run-3");
        settle(outbox, answered, dev.mcphealth.infrastructure.orchestrator.AnswerReader.answered(OrchestratorTool.PLAN_TASK, Map.of("task_id", "task_0a1b2c3d")));
        settle(outbox, refused, new OrchestratorReply.Refused("Input validation error"));
        metric(TaskLinkPort.standIn(answered));
        metric(TaskLinkPort.standIn(refused));
        metric(TaskLinkPort.standIn(waiting));
        metric("task_99999999");
        metric(null);
        failure(TaskLinkPort.standIn(answered));
        failure(TaskLinkPort.standIn(424242)); // its entry is gone (pruned)
        Sql.execute(database.db(), "INSERT INTO failover_configurations (primary_server_type,"
                + " orchestrator_failover_task_id) VALUES ('demo', '" + TaskLinkPort.standIn(answered) + "')");

        long changed = new SqliteTaskLinks(database.db()).resolveSettled();

        assertEquals(5, changed);
        assertEquals("task_0a1b2c3d,NULL,outbox:" + waiting + ",task_99999999,NULL",
                tasks("integration_health_metrics", "orchestrator_task_id"));
        assertEquals("task_0a1b2c3d,NULL", tasks("integration_failures", "orchestrator_recovery_task_id"));
        assertEquals("task_0a1b2c3d", tasks("failover_configurations", "orchestrator_failover_task_id"));

        settle(outbox, waiting, dev.mcphealth.infrastructure.orchestrator.AnswerReader.answered(OrchestratorTool.PLAN_TASK, Map.of("task_id", "task_0e0e0e0e")));
        assertEquals(1, new SqliteTaskLinks(database.db()).resolveSettled(), "the plan that waited is delivered");
        assertEquals("task_0a1b2c3d,NULL,task_0e0e0e0e,task_99999999,NULL",
                tasks("integration_health_metrics", "orchestrator_task_id"));
        assertEquals(0, new SqliteTaskLinks(database.db()).resolveSettled(), "nothing left to do");
    }

    @Test
    void aStepWhosePlanWasRefusedIsLinkedToItsRunsTask() throws Exception {
        SqliteOutbox outbox = new SqliteOutbox(database.db());
        OrchestratorRequest.PlanTask step = new OrchestratorRequest.PlanTask("Recover memory (restart)", "d",
                Optional.of("task_0a1b2c3d"), "simple", "devops");
        long entry = outbox.add(OutboxPort.Call.of("run-1", step), T0);
        assertTrue(outbox.claim(entry, step));
        outbox.settle(entry, new OutboxPort.Replied(new OrchestratorReply.Refused("Input validation error"), T0));
        failure(TaskLinkPort.standIn(entry));

        assertEquals(1, new SqliteTaskLinks(database.db()).resolveSettled());
        assertEquals("task_0a1b2c3d", tasks("integration_failures", "orchestrator_recovery_task_id"));
    }

    @Test
    void withNoStandInAPassOnlyReadsSoAnotherWriterDoesNotStopIt() throws Exception {
        metric("task_99999999");
        try (AutoCloseable lock = Sql.lockExclusively(database.file())) {
            assertEquals(0, new SqliteTaskLinks(database.db()).resolveSettled(), "read while another holds the lock");
        }
        metric(TaskLinkPort.standIn(new SqliteOutbox(database.db()).add(OutboxPort.Call.of("run-1", PLAN), T0)));
        try (AutoCloseable lock = Sql.lockExclusively(database.file())) {
            assertThrows(StorageUnavailableException.class, () -> new SqliteTaskLinks(database.impatient())
                    .resolveSettled(), "with a stand-in it must write, and cannot");
        }
    }

    @Test
    void aStandInOfAnEntryThatIsNoPlanIsCleared() throws Exception {
        SqliteOutbox outbox = new SqliteOutbox(database.db());
        OrchestratorRequest.CompleteTask completion = new OrchestratorRequest.CompleteTask(
                Optional.of("task_0a1b2c3d"), "s", "w");
        long complete = outbox.add(OutboxPort.Call.of("run-1", completion), T0);
        assertTrue(outbox.claim(complete, completion));
        outbox.settle(complete, new OutboxPort.Replied(dev.mcphealth.infrastructure.orchestrator.AnswerReader.answered(OrchestratorTool.COMPLETE_TASK, Map.of("status", "success",
                "task_id", "task_0a1b2c3d")), T0));
        metric(TaskLinkPort.standIn(complete));
        new SqliteTaskLinks(database.db()).resolveSettled();
        assertEquals("NULL", tasks("integration_health_metrics", "orchestrator_task_id"));
    }

    @Test
    void rowsWithAStandInAreFoundThroughThePartialIndexesThatHoldOnlyThem() throws Exception {
        for (String[] link : new String[][] {{"integration_health_metrics", "orchestrator_task_id",
                "idx_metrics_task_standin"}, {"integration_failures", "orchestrator_recovery_task_id",
                "idx_failures_task_standin"}}) {
            StringBuilder plan = new StringBuilder();
            try (Connection c = database.db().dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + SqliteTaskLinks.resolve(link[0], link[1]))) {
                while (rs.next()) {
                    plan.append(rs.getString("detail")).append(" / ");
                }
            }
            assertTrue(plan.toString().contains(link[2]), plan.toString());
            assertFalse(plan.toString().startsWith("SCAN " + link[0] + " / "), "a scan of the whole table: " + plan);
        }
    }
}
