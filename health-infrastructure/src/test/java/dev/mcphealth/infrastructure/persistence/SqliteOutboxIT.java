package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase.Delivery;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.OutboxContract;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.port.out.OutboxPort.Call;
import dev.mcphealth.application.port.out.OutboxPort.State;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.orchestrator.OrchestratorOutboxService;
import dev.mcphealth.domain.model.ServerId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The outbox contract on a real SQLite file; the columns for SQL readers, the schema's checks, and restarts. */
class SqliteOutboxIT extends OutboxContract {
    private static final String TASK = "task_1a2b3c4d";
    private static final String SESSION = "session_0a1b2c3d_1795428000";

    @RegisterExtension
    final TempDatabase database = new TempDatabase();

    @TempDir
    Path dir;

    @Override
    protected OutboxPort outbox() {
        return new JdbcOutbox(database.db());
    }

    @Test
    void theColumnsBesideTheRepliesSayWhatHappened() throws Exception {
        OutboxPort outbox = outbox();
        long s = outbox.add(Call.of("recovery:files-1", new OrchestratorRequest.InitializeSession("/srv")), T0);
        long p = outbox.add(plan("recovery:files-1"), T0);
        long u = outbox.add(update("recovery:files-1", p), T0);
        outbox.claim(s, new OrchestratorRequest.InitializeSession("/srv"));
        outbox.settle(s, new OutboxPort.Replied(dev.mcphealth.infrastructure.orchestrator.AnswerReader.answered(OrchestratorTool.INITIALIZE_SESSION, Map.of("status", "session_initialized",
                "session_id", SESSION)), T1));
        outbox.claim(p, plan("recovery:files-1").request());
        outbox.release(p, "breaker open");
        outbox.claim(p, plan("recovery:files-1").request());
        outbox.settle(p, new OutboxPort.Replied(dev.mcphealth.infrastructure.orchestrator.AnswerReader.answered(OrchestratorTool.PLAN_TASK, Map.of("success", true,
                "task_id", TASK)), T1));
        outbox.claim(u, new OrchestratorRequest.UpdateTask(Optional.of(TASK), "completed", Optional.empty()));

        assertEquals("1|recovery:files-1|orchestrator_initialize_session|answered|1|-|2026-11-23 10:00:05.125|-|"
                        + SESSION + ";"
                        + "2|recovery:files-1|orchestrator_plan_task|answered|2|breaker open|2026-11-23 10:00:05.125|"
                        + TASK + "|-;"
                        + "3|recovery:files-1|orchestrator_update_task|sending|1|-|-|-|-",
                Sql.single(database.db(), "SELECT group_concat(id || '|' || run_key || '|' || tool || '|' || state"
                        + " || '|' || attempts || '|' || coalesce(last_error, '-') || '|' || coalesce(settled_at, '-')"
                        + " || '|' || coalesce(task_id, '-') || '|' || coalesce(session_id, '-'), ';')"
                        + " FROM (SELECT * FROM orchestrator_outbox ORDER BY id)"));
        assertEquals(TASK, Sql.single(database.db(), "SELECT json_extract(reply, '$.task_id') FROM orchestrator_outbox"
                + " WHERE id = " + p));
        assertEquals(TASK, Sql.single(database.db(), "SELECT json_extract(arguments, '$.task_id')"
                + " FROM orchestrator_outbox WHERE id = " + u), "the arguments sent");
        assertEquals(p + "|2026-11-23 10:00:00.125", Sql.single(database.db(),
                "SELECT task_from || '|' || created_at FROM orchestrator_outbox WHERE id = " + u));
    }

    @Test
    void theSchemaRefusesWhatTheOutboxNeverWrites() throws Exception {
        String cols = "INSERT INTO orchestrator_outbox (run_key, tool, arguments, created_at, state, attempts,"
                + " settled_at, reply) VALUES ";
        for (String values : List.of(
                "('r', 'orchestrator_plan_task', '{}', '2026-11-23 10:00:00.000', 'lost', 0, NULL, NULL)",
                "('r', 'orchestrator_fly', '{}', '2026-11-23 10:00:00.000', 'pending', 0, NULL, NULL)",
                "('', 'orchestrator_plan_task', '{}', '2026-11-23 10:00:00.000', 'pending', 0, NULL, NULL)",
                "('r', 'orchestrator_plan_task', '[1]', '2026-11-23 10:00:00.000', 'pending', 0, NULL, NULL)",
                "('r', 'orchestrator_plan_task', '{', '2026-11-23 10:00:00.000', 'pending', 0, NULL, NULL)",
                "('r', 'orchestrator_plan_task', '{}', '2026-11-23 10:00:00.000', 'refused', 1, NULL, 'no')",
                "('r', 'orchestrator_plan_task', '{}', '2026-11-23 10:00:00.000', 'refused', 1,"
                        + " '2026-11-23 10:00:00.000', NULL)",
                "('r', 'orchestrator_plan_task', '{}', '2026-11-23 10:00:00.000', 'pending', 0,"
                        + " '2026-11-23 10:00:00.000', NULL)",
                "('r', 'orchestrator_plan_task', '{}', '2026-11-23 10:00:00.000', 'answered', 1,"
                        + " '2026-11-23 10:00:00.000', 'not json')",
                "('r', 'orchestrator_plan_task', '{}', '2026-11-23 10:00:00.000', 'sending', 0, NULL, NULL)")) {
            assertThrows(SQLException.class, () -> Sql.execute(database.db(), cols + values), values);
        }
        assertThrows(SQLException.class, () -> Sql.execute(database.db(), "INSERT INTO orchestrator_outbox (run_key,"
                + " tool, arguments, created_at, task_from) VALUES ('r', 'orchestrator_update_task', '{}',"
                + " '2026-11-23 10:00:00.000', 42)"), "task_from names an entry");
        assertEquals("0", Sql.single(database.db(), "SELECT COUNT(*) FROM orchestrator_outbox"));
    }

    @Test
    void anIdIsNeverUsedTwiceEvenAfterTheNewestRowIsDeleted() throws Exception {
        OutboxPort outbox = outbox();
        outbox.add(plan("r1"), T0);
        long b = outbox.add(plan("r1"), T0);
        Sql.execute(database.db(), "DELETE FROM orchestrator_outbox WHERE id = " + b);

        assertEquals(b + 1, outbox.add(plan("r1"), T1));
    }

    @Test
    void whatWaitsIsFoundThroughItsOwnIndex() throws Exception {
        StringBuilder plan = new StringBuilder();
        try (Connection c = database.db().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN SELECT id FROM orchestrator_outbox"
                     + " WHERE state IN ('pending', 'sending') AND id > 0 ORDER BY id LIMIT 50")) {
            while (rs.next()) {
                plan.append(rs.getString("detail")).append(" / ");
            }
        }
        assertTrue(plan.toString().contains("idx_outbox_unsettled"), plan.toString());
    }

    @Test
    void anEntryThatCannotBeReadIsUnavailableWithItsId() throws Exception {
        long a = outbox().add(plan("r1"), T0);
        Sql.execute(database.db(), "UPDATE orchestrator_outbox SET arguments = '{\"task_id\": null}'");

        StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> outbox().entry(a));

        assertEquals("cannot read the orchestrator outbox from " + database.file() + ": outbox entry " + a
                + " cannot be read (orchestrator_plan_task arguments: title is missing)", e.getMessage());
    }

    @Test
    void theArgumentsAreTheOrchestratorsAndRowsWrittenBeforeRequestsWereTypedReadBack() throws Exception {
        OutboxPort outbox = outbox();
        long p = outbox.add(Call.of("r1", subtask()), T0);
        assertEquals("{\"title\":\"Recover files-1 \\\"now\\\"\",\"description\":\"files-1 stopped answering:\\n"
                + "timeout \\\\ 30 s, \u00e9t\u00e9 \u2014 \ud83d\ude80\",\"parent_task_id\":\"task_00000001\","
                + "\"complexity\":\"simple\",\"specialist_type\":\"devops\"}",
                Sql.single(database.db(), "SELECT arguments FROM orchestrator_outbox WHERE id = " + p));
        // as the maps of earlier versions were kept: a delivered task_id last, next_action kept
        Sql.execute(database.db(), "INSERT INTO orchestrator_outbox (run_key, tool, arguments, task_from,"
                + " created_at) VALUES ('r1', 'orchestrator_complete_task', '{\"summary\":\"s\",\"detailed_work\":"
                + "\"w\",\"next_action\":\"complete\",\"task_id\":\"task_1a2b3c4d\"}', " + p + ","
                + " '2026-11-23 10:00:00.125'), ('r1', 'orchestrator_update_task', '{\"status\":\"failed\","
                + "\"description\":\"t failed: x\"}', " + p + ", '2026-11-23 10:00:00.125')");

        assertEquals(List.of(subtask(), new OrchestratorRequest.CompleteTask(Optional.of("task_1a2b3c4d"), "s", "w"),
                OrchestratorRequest.UpdateTask.failed(Optional.empty(), "t failed: x")),
                outbox.run("r1").stream().map(e -> e.call().request()).toList());
    }

    @Test
    void aDatabaseLockedByAnotherProcessIsUnavailable() throws Exception {
        try (AutoCloseable lock = Sql.lockExclusively(database.file())) {
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                    () -> new JdbcOutbox(database.impatient()).add(plan("r1"), T0));
            assertEquals("cannot write the orchestrator outbox to " + database.file() + ": database is locked",
                    e.getMessage());
        }
    }

    /** The orchestrator: answers the first {@code answering} calls, then is away; every call it got. */
    private static final class Orchestrator implements OrchestratorPort {
        final List<String> received = new ArrayList<>();
        int answering;

        Orchestrator(int answering) {
            this.answering = answering;
        }

        @Override
        public ServerId server() {
            return ServerId.of("orchestrator");
        }

        @Override
        public dev.mcphealth.domain.model.BreakerState breaker() {
            return dev.mcphealth.domain.model.BreakerState.CLOSED;
        }

        @Override
        public OrchestratorReply call(OrchestratorRequest request) {
            if (received.size() >= answering) {
                return new OrchestratorReply.NotDelivered("breaker open");
            }
            OrchestratorTool tool = request.tool();
            String what = request instanceof OrchestratorRequest.PlanTask plan ? plan.title()
                    : request instanceof OrchestratorRequest.CompleteTask complete ? complete.summary()
                    : request instanceof OrchestratorRequest.UpdateTask update ? update.status() : "-";
            String task = request instanceof OrchestratorRequest.OfTask t ? t.taskId().orElse("-") : "-";
            received.add(tool.code() + ":" + what + ":" + task);
            Map<String, Object> json = tool == OrchestratorTool.PLAN_TASK ? Map.of("success", true, "task_id", TASK)
                    : Map.of("status", "success");
            return dev.mcphealth.infrastructure.orchestrator.AnswerReader.answered(tool, json);
        }
    }

    @Test
    void aDeliveryGoesOnAfterTheProcessRestartsAndNeverSendsAnythingTwice() {
        Path file = dir.resolve("health.db");
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Orchestrator orchestrator = new Orchestrator(1);
        long plan;
        long update;
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            OrchestratorOutboxService service = new OrchestratorOutboxService(orchestrator, new JdbcOutbox(db), clock);
            plan = service.enqueue(plan("r1"));
            update = service.enqueue(update("r1", plan));
            service.enqueue(Call.of("r2", new OrchestratorRequest.GetStatus(false)));
            service.enqueue(Call.withTaskFrom("r1", new OrchestratorRequest.CompleteTask(Optional.empty(), "done", "w"),
                    plan));

            Delivery first = service.deliverPending();

            assertEquals(List.of(plan), first.settled().stream().map(x -> x.entry()).collect(Collectors.toList()));
            assertEquals(3, first.left());
            // the next delivery claims the update and the process dies while it is sent: its reply is never stored
            assertTrue(new JdbcOutbox(db).claim(update, new OrchestratorRequest.UpdateTask(Optional.of(TASK),
                    "completed", Optional.empty())));
        }

        orchestrator.answering = Integer.MAX_VALUE;
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            OutboxPort outbox = new JdbcOutbox(db);
            Delivery afterRestart = new OrchestratorOutboxService(orchestrator, outbox, clock).deliverPending();

            assertEquals(List.of("orchestrator_plan_task:Recover:-", "orchestrator_get_status:-:-",
                    "orchestrator_complete_task:done:" + TASK), orchestrator.received,
                    "the update that may have gone out is not sent again; the rest follow in order");
            assertEquals(0, afterRestart.left());
            assertEquals(new OutboxPort.Replied(new OrchestratorReply.Unconfirmed(
                    OrchestratorOutboxService.INTERRUPTED), T0), outbox.entry(update).orElseThrow().ending()
                    .orElseThrow());
        }

        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            assertEquals(Delivery.NOTHING,
                    new OrchestratorOutboxService(orchestrator, new JdbcOutbox(db), clock).deliverPending());
            assertEquals(3, orchestrator.received.size());
        }
    }
}
