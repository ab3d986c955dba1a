package dev.mcphealth.infrastructure.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.port.out.OutboxPort.Call;
import dev.mcphealth.application.port.out.OutboxPort.Replied;
import dev.mcphealth.application.orchestrator.OrchestratorOutboxService;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.infrastructure.di.McpHealth;
import dev.mcphealth.infrastructure.persistence.JdbcOrchestratorIntegrationLog;
import dev.mcphealth.infrastructure.persistence.JdbcOutbox;
import dev.mcphealth.testkit.OrchestratorDoubleProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reconciliation against the orchestrator's test double run as a process, over a real SQLite file: a first MCP Health
 * (the one that "crashed") makes the calls the crashed process had made and leaves its outbox as a crash leaves it (an
 * entry claimed, {@code sending}, its answer never stored); a second MCP Health started on the same database and the
 * same double delivers what waits (the interrupted entry becomes unconfirmed, never resent), then reconciles: the task
 * still open in the double is closed as MCP Health's record says, and the double's log of every call it received shows
 * that nothing but a closing call was sent again.
 */
class OrchestratorReconciliationIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ORCH = "task-orchestrator";
    private static final String TITLE = "Health Monitoring: health_check";
    private static final String DESCRIPTION = "Execute health_check health monitoring with orchestrator integration";
    /** The crash was an hour ago: past the grace a run of another process gets. */
    private static final Instant CRASHED = Instant.now().minus(Duration.ofHours(1));

    @TempDir
    Path dir;

    private Path config(OrchestratorDoubleProcess orchestrator) throws Exception {
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("defaults", Map.of("connectTimeoutMs", 60_000));
        health.put("servers", Map.of(ORCH, Map.of("serverType", "orchestrator")));
        health.put("orchestrator", Map.of("server", ORCH, "callTimeoutMs", 20_000));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("mcpServers", Map.of(ORCH, orchestrator.configEntry()));
        root.put("health", health);
        Path file = dir.resolve("mcp.json");
        Files.write(file, JSON.writeValueAsBytes(root));
        return file;
    }

    private static OrchestratorRequest.PlanTask plan() {
        return new OrchestratorRequest.PlanTask(TITLE, DESCRIPTION, Optional.empty(), "moderate", "devops");
    }

    private static OrchestratorRequest.CompleteTask complete(String taskId) {
        return new OrchestratorRequest.CompleteTask(Optional.of(taskId), "1 server healthy", "probed it: 3 ms");
    }

    /** What the crashed process had done: planned and executed a task, its record of that in the outbox. */
    private record Crashed(String taskId, long planEntry, long closingEntry) {
    }

    /**
     * The crashed process: plans and executes the task in the double, records both (as a run does), then claims the
     * deferred complete_task and, if {@code reached}, sends it too, but never stores its reply: the crash.
     */
    private Crashed crash(Path config, OrchestratorDoubleProcess orchestrator, boolean reached) {
        try (McpHealth first = McpHealth.builder(config).database(dir.resolve("health.db")).open()) {
            OrchestratorPort port = first.component().orchestrator().orElseThrow();
            OutboxPort outbox = new JdbcOutbox(first.component().database());
            OrchestratorReply planned = port.call(plan());
            String task = (String) assertInstanceOf(OrchestratorReply.Answered.class, planned).json().get("task_id");
            long p = outbox.record(Call.of("run-1", plan()), CRASHED,
                    new Replied(planned, CRASHED));
            OrchestratorReply executed = port.call(new OrchestratorRequest.ExecuteTask(Optional.of(task)));
            outbox.record(Call.of("run-1", new OrchestratorRequest.ExecuteTask(Optional.of(task))), CRASHED,
                    new Replied(executed, CRASHED));
            long c = outbox.add(Call.of("run-1", complete(task)), CRASHED);
            assertTrue(outbox.claim(c, complete(task)));
            if (reached) {
                assertInstanceOf(OrchestratorReply.Answered.class, port.call(complete(task)));
            }
            assertEquals(reached ? "completed" : "pending", orchestrator.state().task(task).orElseThrow().status());
            return new Crashed(task, p, c);
        }
    }

    /** Reconciliation's note on {@code planEntry}, read again every 200 ms for up to 90 s. */
    private static String awaitNote(OutboxPort outbox, long planEntry) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (outbox.reconciliation(planEntry).isEmpty() && System.nanoTime() < deadline) {
            new java.util.concurrent.CountDownLatch(1).await(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return outbox.reconciliation(planEntry).orElseThrow(() -> new AssertionError("plan entry " + planEntry
                + " was not reconciled within 90 s"));
    }

    @Test
    void aCompleteTaskLeftSendingByACrashIsReconciledOnceTheMonitorStartsAndNothingElseIsSentAgain()
            throws Exception {
        OrchestratorDoubleProcess orchestrator = OrchestratorDoubleProcess.withState(dir.resolve("state.json"));
        Path config = config(orchestrator);
        Crashed crashed = crash(config, orchestrator, false);

        try (McpHealth again = McpHealth.builder(config).database(dir.resolve("health.db")).start()) {
            OrchestratorDoubleProcess.State state = orchestrator.awaitState(s -> s.task(crashed.taskId())
                    .map(t -> t.status().equals("completed")).orElse(false), Duration.ofSeconds(90));

            OrchestratorDoubleProcess.Task task = state.task(crashed.taskId()).orElseThrow();
            assertEquals("Reconciled by MCP Health: 1 server healthy", task.summary());
            assertTrue(task.detailedWork().contains("Closed by MCP Health's reconciliation"), task.detailedWork());
            assertEquals(1, state.callsTo("orchestrator_plan_task").size(), "planned once: " + state.toolNames());
            assertEquals(1, state.callsTo("orchestrator_execute_task").size(), "executed once: " + state.toolNames());
            assertEquals(1, state.callsTo("orchestrator_complete_task").size(),
                    "completed once, by reconciliation: the interrupted one never reached it: " + state.toolNames());
            assertEquals(crashed.taskId(), state.callsTo("orchestrator_complete_task").get(0).arguments()
                    .get("task_id"));

            OutboxPort outbox = new JdbcOutbox(again.component().database());
            // the double has acted; reconciliation records its call, then notes the plan, then logs the pass
            String note = awaitNote(outbox, crashed.planEntry());
            assertTrue(note.startsWith("completed (" + crashed.taskId() + "): "), note);
            List<OutboxPort.Entry> run = outbox.run("run-1");
            assertEquals(OutboxPort.State.UNCONFIRMED, outbox.entry(crashed.closingEntry()).orElseThrow().state(),
                    "the interrupted entry is unconfirmed, never sent again");
            assertEquals(OrchestratorOutboxService.INTERRUPTED, ((OrchestratorReply.Unconfirmed) ((Replied) outbox
                    .entry(crashed.closingEntry()).orElseThrow().ending().orElseThrow()).reply()).reason());
            OutboxPort.Entry closing = run.get(run.size() - 1);
            assertEquals(OrchestratorTool.COMPLETE_TASK, closing.tool());
            assertEquals(OutboxPort.State.ANSWERED, closing.state(), "reconciliation's call is on the run's record");

            // the pass's row in the integration log comes after the notes of its tasks (a clean-clone run read it
            // between the two): waited for as the note is
            OrchestratorIntegrationLogPort log = new JdbcOrchestratorIntegrationLog(again.component().database());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<OrchestratorIntegrationLogPort.Entry> rows = List.of();
            while (System.nanoTime() < deadline) {
                rows = log.recent(OrchestratorIntegrationLogPort.IntegrationType.EXTERNAL_MONITORING, 10);
                if (rows.stream().anyMatch(r -> String.valueOf(r.results().get("reconciliation"))
                        .contains(crashed.taskId()))) {
                    break;
                }
                new java.util.concurrent.CountDownLatch(1).await(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            List<OrchestratorIntegrationLogPort.Entry> seen = rows;
            assertTrue(seen.stream().anyMatch(r -> String.valueOf(r.results().get("reconciliation"))
                    .contains(crashed.taskId())), seen.toString());
        }
    }

    @Test
    void aCompleteTaskThatReachedTheOrchestratorBeforeTheCrashIsNotSentAgain() throws Exception {
        OrchestratorDoubleProcess orchestrator = OrchestratorDoubleProcess.withState(dir.resolve("state.json"));
        Path config = config(orchestrator);
        Crashed crashed = crash(config, orchestrator, true);

        try (McpHealth again = McpHealth.builder(config).database(dir.resolve("health.db")).start()) {
            OutboxPort outbox = new JdbcOutbox(again.component().database());
            String note = awaitNote(outbox, crashed.planEntry());
            assertTrue(note.startsWith("not_open (" + crashed.taskId() + "): "), note);

            OrchestratorDoubleProcess.State state = orchestrator.state();
            assertEquals(1, state.callsTo("orchestrator_complete_task").size(), state.toolNames().toString());
            assertTrue(state.toolNames().contains("orchestrator_get_status"), "it looked: " + state.toolNames());
            assertEquals("1 server healthy", state.task(crashed.taskId()).orElseThrow().summary());
        }
    }

    @Test
    void aTaskWhosePlansAnswerWasLostInACrashIsFoundByItsTitleAndMarkedFailedAsItsRecordSays() throws Exception {
        OrchestratorDoubleProcess orchestrator = OrchestratorDoubleProcess.withState(dir.resolve("state.json"));
        Path config = config(orchestrator);
        long p;
        String created;
        try (McpHealth first = McpHealth.builder(config).database(dir.resolve("health.db")).open()) {
            OutboxPort outbox = new JdbcOutbox(first.component().database());
            // the run's plan waited in the outbox; the delivery claimed it and sent it, then MCP Health crashed
            p = outbox.add(Call.of("run-1", plan()), CRASHED);
            outbox.add(Call.withTaskFrom("run-1", new OrchestratorRequest.ExecuteTask(Optional.empty()), p), CRASHED);
            outbox.add(Call.withTaskFrom("run-1", OrchestratorRequest.UpdateTask.failed(Optional.empty(),
                    TITLE + " failed: 1 server down"), p), CRASHED);
            assertTrue(outbox.claim(p, plan()));
            created = (String) assertInstanceOf(OrchestratorReply.Answered.class, first.component().orchestrator()
                    .orElseThrow().call(plan())).json().get("task_id");
        }

        try (McpHealth again = McpHealth.builder(config).database(dir.resolve("health.db")).start()) {
            OrchestratorDoubleProcess.State state = orchestrator.awaitState(s -> s.task(created)
                    .map(t -> t.status().equals("failed")).orElse(false), Duration.ofSeconds(90));

            assertEquals(1, state.callsTo("orchestrator_plan_task").size(), "never planned again: "
                    + state.toolNames());
            assertEquals(0, state.callsTo("orchestrator_execute_task").size(), "never executed: "
                    + state.toolNames());
            assertEquals(1, state.callsTo("orchestrator_update_task").size(), state.toolNames().toString());
            String description = (String) state.task(created).orElseThrow().fields().get("description");
            assertTrue(description.startsWith(TITLE + " failed: 1 server down (reconciled by MCP Health: "),
                    description);
            OutboxPort outbox = new JdbcOutbox(again.component().database());
            String note = awaitNote(outbox, p);
            assertEquals(OutboxPort.State.UNCONFIRMED, outbox.entry(p).orElseThrow().state());
            assertEquals(List.of(OutboxPort.State.UNCONFIRMED, OutboxPort.State.SKIPPED, OutboxPort.State.SKIPPED,
                    OutboxPort.State.DONE_DESPITE_ERROR), outbox.run("run-1").stream().map(OutboxPort.Entry::state)
                    .toList(), "the update reconciliation sent is on the run's record");
            assertTrue(note.startsWith("failed (" + created + "): ") && note.contains("title"), note);
        }
    }
}
