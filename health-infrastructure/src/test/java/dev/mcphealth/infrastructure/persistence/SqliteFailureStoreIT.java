package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The failure contract on a real SQLite file, read back through {@link JdbcHistory}; and what only SQL shows. */
class SqliteFailureStoreIT extends FailureStoreContract {
    @RegisterExtension
    final TempDatabase database = new TempDatabase();


    @Override
    protected FailureStorePort store() {
        return new JdbcFailureStore(database.db());
    }

    @Override
    protected List<Failure> stored(ServerId server) {
        return new JdbcHistory(database.db()).history(server, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"))
                .failures();
    }

    @Test
    void resolvingAFailureUpdatesItsRow() throws Exception {
        Failure open = Failure.open(A, FailureType.TIMEOUT, "monitoring", "no answer within 10 s", T0);
        store().record(List.of(open));
        String id = Sql.single(database.db(), "SELECT id FROM integration_failures");
        store().record(List.of(resolved(open, Duration.ofSeconds(42), RecoveryAction.RESTART, "task_0123abcd")));

        assertEquals("1", Sql.single(database.db(), "SELECT COUNT(*) FROM integration_failures"));
        assertEquals(id + "|everything|server-a|timeout|monitoring|no answer within 10 s (resolved)|restart|42|1"
                        + "|2026-11-23 10:00:00.125|task_0123abcd",
                Sql.single(database.db(), "SELECT id || '|' || server_type || '|' || server_instance || '|' || failure_type"
                        + " || '|' || task_context || '|' || error_details || '|' || recovery_action || '|'"
                        + " || resolution_time_seconds || '|' || resolved || '|' || occurred_at || '|'"
                        + " || orchestrator_recovery_task_id FROM integration_failures"));
    }

    @Test
    void theRecoveryTaskColumnKeepsALinkWhenTheFailureIsWrittenAgainWithoutOne() throws Exception {
        Failure open = Failure.open(A, FailureType.TIMEOUT, "monitoring", "no answer within 10 s", T0);
        store().record(List.of(withTask(open, java.util.Optional.of("task_7"))));
        assertEquals("task_7", Sql.single(database.db(), "SELECT orchestrator_recovery_task_id FROM integration_failures"));

        store().record(List.of(withTask(resolved(open, Duration.ofSeconds(42), RecoveryAction.RESTART, "x"),
                java.util.Optional.empty())));

        assertEquals("1|42|task_7", Sql.single(database.db(), "SELECT resolved || '|' || resolution_time_seconds"
                + " || '|' || orchestrator_recovery_task_id FROM integration_failures"));
    }

    private static final OrchestratorRequest PLAN = new OrchestratorRequest.PlanTask("t", "", Optional.empty(),
            "simple", "devops");

    private long plan(JdbcOutbox outbox) {
        return outbox.add(dev.mcphealth.application.port.out.OutboxPort.Call.of("run-1",
                PLAN), T0);
    }

    private void settle(JdbcOutbox outbox, long entry, dev.mcphealth.domain.orchestrator.OrchestratorReply reply) {
        assertTrue(outbox.claim(entry, PLAN));
        outbox.settle(entry, new dev.mcphealth.application.port.out.OutboxPort.Replied(reply, T0));
    }

    private String recoveryTask() throws Exception {
        return Sql.single(database.db(), "SELECT coalesce(orchestrator_recovery_task_id, 'NULL') FROM"
                + " integration_failures");
    }

    @Test
    void aStandInIsStoredWhileItsPlanWaitsAndAsWhatItResolvesToOnceItDoesNot() throws Exception {
        JdbcOutbox outbox = new JdbcOutbox(database.db());
        long first = plan(outbox);
        Failure open = Failure.open(A, FailureType.TIMEOUT, "monitoring", "no answer within 10 s", T0);
        store().record(List.of(withTask(open, Optional.of("task_0e0e0e0e"))));

        store().record(List.of(withTask(open, Optional.of("outbox:" + first))));
        assertEquals("outbox:" + first, recoveryTask(), "a later run's stand-in replaces an earlier run's task");

        settle(outbox, first, dev.mcphealth.infrastructure.orchestrator.AnswerReader.answered(OrchestratorTool.PLAN_TASK, Map.of("task_id",
                "task_0a1b2c3d")));
        Sql.execute(database.db(), "UPDATE integration_failures SET orchestrator_recovery_task_id = 'task_0a1b2c3d'");
        // the monitor still carries the stand-in when the episode ends
        store().record(List.of(withTask(resolved(open, Duration.ofSeconds(42), RecoveryAction.RESTART, "x"),
                Optional.of("outbox:" + first))));
        assertEquals("1|task_0a1b2c3d", Sql.single(database.db(), "SELECT resolved || '|' ||"
                + " orchestrator_recovery_task_id FROM integration_failures"), "never put back once resolved");

        long refused = plan(outbox);
        settle(outbox, refused, new dev.mcphealth.domain.orchestrator.OrchestratorReply.Refused("Input validation error"));
        store().record(List.of(withTask(open, Optional.of("outbox:" + refused))));
        assertEquals("task_0a1b2c3d", recoveryTask(), "a stand-in that resolves to nothing unlinks nothing");
    }

    @Test
    void aNewFailureWithAResolvedStandInIsInsertedWithWhatItResolvesTo() throws Exception {
        JdbcOutbox outbox = new JdbcOutbox(database.db());
        long entry = plan(outbox);
        settle(outbox, entry, dev.mcphealth.infrastructure.orchestrator.AnswerReader.answered(OrchestratorTool.PLAN_TASK, Map.of("task_id",
                "task_0a1b2c3d")));
        store().record(List.of(withTask(Failure.open(A, FailureType.TIMEOUT, "monitoring", "slow", T0),
                Optional.of("outbox:" + entry))));
        assertEquals("task_0a1b2c3d", recoveryTask());
    }

    @Test
    void aBatchThatFailsPartWayChangesNothing() throws Exception {
        Failure open = Failure.open(A, FailureType.TIMEOUT, "monitoring", "slow", T0);
        store().record(List.of(open));
        Sql.refuseInserts(database.db(), "integration_failures", "NEW.error_details = 'refused'");

        StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> store().record(List.of(
                resolved(open, Duration.ofSeconds(5), RecoveryAction.RECONNECT, "task_1"),
                Failure.open(A, FailureType.SERVER_ERROR, "monitoring", "HTTP 500", T0.plusSeconds(1)),
                Failure.open(B, FailureType.SERVER_ERROR, "monitoring", "refused", T0.plusSeconds(2)))));

        assertEquals("cannot write failures to " + database.db().file() + ": disk is full", e.getMessage());
        assertEquals(List.of(open), stored(A.id()));
        assertEquals(List.of(), stored(B.id()));
    }

    @Test
    void aDatabaseLockedByAnotherProcessIsUnavailableAndGetsNothing() throws Exception {
        Failure open = Failure.open(A, FailureType.TIMEOUT, "monitoring", "slow", T0);
        store().record(List.of(open));

        List<Failure> batch = List.of(resolved(open, Duration.ofSeconds(5), RecoveryAction.RECONNECT, "task_1"),
                Failure.open(B, FailureType.SERVER_ERROR, "monitoring", "HTTP 500", T0));
        long start = System.nanoTime();
        AutoCloseable lock = Sql.lockExclusively(database.db().file());
        try {
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                    () -> store().record(batch));
            assertEquals("cannot write failures to " + database.db().file() + ": database is locked", e.getMessage());
        } finally {
            lock.close();
        }
        // the driver waited its busy timeout (5 s) for the lock before giving up
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(4)) > 0);
        assertEquals(List.of(open), stored(A.id()));
        assertEquals(List.of(), stored(B.id()));
    }
}
