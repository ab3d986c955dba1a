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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Stand-ins for task ids resolved on a real database, against real outbox entries. */
abstract class TaskLinksContract {
    private static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");

    /** The database under test: a fresh one for each test. */
    protected abstract Database db();

    private static final OrchestratorRequest.PlanTask PLAN = new OrchestratorRequest.PlanTask("t", "d", Optional.empty(), "simple", "devops");

    private long plan(JdbcOutbox outbox, String run) {
        return outbox.add(OutboxPort.Call.of(run, PLAN), T0);
    }

    private void settle(JdbcOutbox outbox, long entry, OrchestratorReply reply) {
        assertTrue(outbox.claim(entry, PLAN));
        outbox.settle(entry, new OutboxPort.Replied(reply, T0.plusSeconds(5)));
    }

    private void metric(String task) throws Exception {
        Sql.execute(db(), "INSERT INTO integration_health_metrics (server_type, server_instance, metric_type,"
                + " metric_value, status, measured_at, orchestrator_task_id, orchestrator_session_id) VALUES ('demo',"
                + " 'everything', 'availability', 1, 'healthy', '2026-11-24 06:00:00.000', " + quoted(task)
                + ", 'session_1a2b3c4d_1764000000')");
    }

    private void failure(String task) throws Exception {
        Sql.execute(db(), "INSERT INTO integration_failures (server_type, server_instance, failure_type,"
                + " occurred_at, orchestrator_recovery_task_id) VALUES ('demo', 'everything', 'connection_error',"
                + " '2026-11-24 06:00:00.000', " + quoted(task) + ")");
    }

    private static String quoted(String s) {
        return s == null ? "NULL" : "'" + s + "'";
    }

    private String tasks(String table, String column) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = db().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + column + " FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                values.add(rs.getString(1) == null ? "NULL" : rs.getString(1));
            }
        }
        return String.join(",", values);
    }

    @Test
    void settledPlansReplaceTheirStandInsWaitingOnesAreLeftAndOtherLinksAreUntouched() throws Exception {
        JdbcOutbox outbox = new JdbcOutbox(db());
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
        metric("3fa85f64-5717-4562-b3fc-2c963f66afa6"); // never read as an entry's number (PostgreSQL's cast fails)
        failure(TaskLinkPort.standIn(answered));
        failure(TaskLinkPort.standIn(424242)); // its entry is gone (pruned)
        Sql.execute(db(), "INSERT INTO failover_configurations (primary_server_type,"
                + " orchestrator_failover_task_id) VALUES ('demo', '" + TaskLinkPort.standIn(answered) + "')");

        long changed = new JdbcTaskLinks(db()).resolveSettled();

        assertEquals(5, changed);
        assertEquals("task_0a1b2c3d,NULL,outbox:" + waiting + ",task_99999999,NULL,3fa85f64-5717-4562-b3fc-2c963f66afa6",
                tasks("integration_health_metrics", "orchestrator_task_id"));
        assertEquals("task_0a1b2c3d,NULL", tasks("integration_failures", "orchestrator_recovery_task_id"));
        assertEquals("task_0a1b2c3d", tasks("failover_configurations", "orchestrator_failover_task_id"));

        settle(outbox, waiting, dev.mcphealth.infrastructure.orchestrator.AnswerReader.answered(OrchestratorTool.PLAN_TASK, Map.of("task_id", "task_0e0e0e0e")));
        assertEquals(1, new JdbcTaskLinks(db()).resolveSettled(), "the plan that waited is delivered");
        assertEquals("task_0a1b2c3d,NULL,task_0e0e0e0e,task_99999999,NULL,3fa85f64-5717-4562-b3fc-2c963f66afa6",
                tasks("integration_health_metrics", "orchestrator_task_id"));
        assertEquals(0, new JdbcTaskLinks(db()).resolveSettled(), "nothing left to do");
    }

    @Test
    void aStepWhosePlanWasRefusedIsLinkedToItsRunsTask() throws Exception {
        JdbcOutbox outbox = new JdbcOutbox(db());
        OrchestratorRequest.PlanTask step = new OrchestratorRequest.PlanTask("Recover memory (restart)", "d",
                Optional.of("task_0a1b2c3d"), "simple", "devops");
        long entry = outbox.add(OutboxPort.Call.of("run-1", step), T0);
        assertTrue(outbox.claim(entry, step));
        outbox.settle(entry, new OutboxPort.Replied(new OrchestratorReply.Refused("Input validation error"), T0));
        failure(TaskLinkPort.standIn(entry));

        assertEquals(1, new JdbcTaskLinks(db()).resolveSettled());
        assertEquals("task_0a1b2c3d", tasks("integration_failures", "orchestrator_recovery_task_id"));
    }

    @Test
    void aStandInOfAnEntryThatIsNoPlanIsCleared() throws Exception {
        JdbcOutbox outbox = new JdbcOutbox(db());
        OrchestratorRequest.CompleteTask completion = new OrchestratorRequest.CompleteTask(
                Optional.of("task_0a1b2c3d"), "s", "w");
        long complete = outbox.add(OutboxPort.Call.of("run-1", completion), T0);
        assertTrue(outbox.claim(complete, completion));
        outbox.settle(complete, new OutboxPort.Replied(dev.mcphealth.infrastructure.orchestrator.AnswerReader.answered(OrchestratorTool.COMPLETE_TASK, Map.of("status", "success",
                "task_id", "task_0a1b2c3d")), T0));
        metric(TaskLinkPort.standIn(complete));
        new JdbcTaskLinks(db()).resolveSettled();
        assertEquals("NULL", tasks("integration_health_metrics", "orchestrator_task_id"));
    }

}
