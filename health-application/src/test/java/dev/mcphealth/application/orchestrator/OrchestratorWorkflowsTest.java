package dev.mcphealth.application.orchestrator;

import dev.mcphealth.application.testkit.Recoveries;
import dev.mcphealth.application.testkit.ScriptedOrchestrator;
import dev.mcphealth.application.testkit.TestServers;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.CheckOrchestratorUseCase;
import dev.mcphealth.application.port.in.CleanUpOrchestratorUseCase;
import dev.mcphealth.application.port.in.OrchestratorStep;
import dev.mcphealth.application.port.in.OrchestratorStep.Outcome;
import dev.mcphealth.application.port.in.ReadOrchestratorStatusUseCase;
import dev.mcphealth.application.port.in.TestOrchestratorRecoveryUseCase.RecoveryTest;
import dev.mcphealth.application.port.out.InMemoryOrchestratorIntegrationLog;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.Entry;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationStatus;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationType;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer;
import dev.mcphealth.domain.orchestrator.OrchestratorHealth;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.domain.model.TransportKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The workflows on the orchestrator's own health tools against a scripted orchestrator, with recovery over a fake fleet
 * in which the orchestrator is a stdio server: what each sends, what it makes of the answers, the steps of a recovery
 * test and its healing by a process restart, and the integration rows.
 */
class OrchestratorWorkflowsTest {
    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    private static final String ORCH = "orchestrator";

    private final TestClock clock = new TestClock(START);
    private final Recoveries recoveries = new Recoveries(clock, aServer().named(ORCH).build());
    private final ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    private final InMemoryOrchestratorIntegrationLog log = new InMemoryOrchestratorIntegrationLog();
    private final OrchestratorHealthService health = new OrchestratorHealthService(orchestrator, log, clock);
    private final OrchestratorMaintenanceService maintenance = new OrchestratorMaintenanceService(orchestrator,
            recoveries.recovery, log, clock);

    /**
     * The contract's orchestrator over the fake fleet's process: restart_server fails and leaves it in maintenance
     * mode, which lasts until its process is restarted (the fleet reopens it).
     */
    private final class Contract {
        boolean maintenance;
        int reopensSeen;

        Contract() {
            orchestrator.answering(this::answer);
        }

        Contract inMaintenance() {
            maintenance = true;
            return this;
        }

        OrchestratorReply answer(ScriptedOrchestrator.Call c) {
            if (recoveries.fleet.reopens(ORCH) > reopensSeen) {
                reopensSeen = recoveries.fleet.reopens(ORCH);
                maintenance = false; // a new process: maintenance mode lived in the old one's memory
            }
            List<String> issues = maintenance ? List.of("Server already in maintenance mode") : List.of();
            switch (c.tool()) {
                case SHUTDOWN_PREPARE:
                    return answered(new OrchestratorAnswer.ShutdownReadiness(!maintenance, issues),
                            "ready_for_shutdown", !maintenance, "blocking_issues", issues, "checks",
                            Map.of("active_tasks", Map.of("count", 0, "status", "ready")));
                case RESTART_SERVER:
                    maintenance = true;
                    return new OrchestratorReply.Refused("Shutdown failed: State manager not initialized");
                case RESTART_STATUS:
                    return answered(new OrchestratorAnswer.RestartProgress(Optional.of(
                            new OrchestratorAnswer.RestartProgress.Current(Optional.of("failed"), Optional.of("0.0"),
                                    maintenance, List.of("State manager not initialized")))),
                            "current_status", map("phase", "failed", "progress", 0.0, "started_at", null,
                            "errors", List.of("State manager not initialized"), "maintenance_mode", maintenance));
                case RECONNECT_TEST:
                    return answered(new OrchestratorAnswer.ReconnectReport(Optional.of("pass")),
                            "test_completed", true, "overall_status", "pass", "results",
                            Map.of("buffer_status", Map.of("status", "operational")));
                case HEALTH_CHECK:
                    Map<String, Object> checks = map("reboot_readiness", map("ready", !maintenance, "issues", issues),
                            "database", map("connected", true, "status", "operational"));
                    return answered(new OrchestratorAnswer.HealthReport(Optional.of(!maintenance), checks, issues,
                            Optional.of("1.4.1")), "healthy", !maintenance, "server_version", "1.4.1", "checks", checks);
                default:
                    throw new AssertionError("not a call of the recovery test: " + c.tool());
            }
        }
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** {@code answer}, as the adapter reads the JSON object {@code kv} (given for the record). */
    private static OrchestratorReply answered(OrchestratorAnswer answer, Object... kv) {
        return new OrchestratorReply.Answered(answer, "answered", map(kv));
    }

    private static OrchestratorReply healthy(boolean healthy) {
        return answered(new OrchestratorAnswer.HealthReport(Optional.of(healthy), Map.of(), List.of(),
                Optional.empty()), "healthy", healthy, "checks", Map.of());
    }

    private static OrchestratorReply readyForShutdown() {
        return answered(new OrchestratorAnswer.ShutdownReadiness(true, List.of()), "ready_for_shutdown", true);
    }

    /** get_status' answer with these task lists (their names as keys) and nothing else. */
    private static OrchestratorReply status(Optional<Boolean> serverHealthy, Optional<Boolean> maintenance,
                                            Optional<Double> responseMs, Map<String, Object> json) {
        Map<String, OrchestratorAnswer.TaskList> lists = new LinkedHashMap<>();
        json.forEach((k, v) -> {
            if (k.endsWith("_tasks") && v instanceof Map<?, ?> l) {
                List<OrchestratorAnswer.ListedTask> tasks = ((List<?>) l.get("tasks")).stream()
                        .map(t -> new OrchestratorAnswer.ListedTask(Optional.of((String) ((Map<?, ?>) t).get("task_id")),
                                Optional.of((String) ((Map<?, ?>) t).get("title")), Optional.empty(),
                                Optional.empty(), Optional.empty(), true)).toList();
                lists.put(k.substring(0, k.length() - "_tasks".length()), new OrchestratorAnswer.TaskList(
                        ((Number) l.get("total_count")).longValue(), (Boolean) l.get("has_more"), tasks));
            }
        });
        return new OrchestratorReply.Answered(new OrchestratorAnswer.StatusReport(serverHealthy, maintenance, lists,
                responseMs), "status=status_retrieved", json);
    }

    private List<OrchestratorTool> tools() {
        return orchestrator.calls().stream().map(ScriptedOrchestrator.Call::tool).toList();
    }

    private static List<String> stepTools(RecoveryTest t) {
        return t.steps().stream().map(OrchestratorStep::tool).toList();
    }

    private static List<Outcome> outcomes(RecoveryTest t) {
        return t.steps().stream().map(OrchestratorStep::outcome).toList();
    }

    private Entry onlyRow(IntegrationType type) {
        List<Entry> rows = log.all();
        assertEquals(1, rows.size(), "one row per workflow: " + rows);
        assertEquals(type, rows.get(0).type());
        return rows.get(0);
    }

    // ---- checkOrchestrator ----------------------------------------------------------------------------------

    @Test
    void theHealthCheckAsksForEveryCheckAndReportsWhatItSaid() {
        new Contract();

        CheckOrchestratorUseCase.Checked checked = health.checkOrchestrator();

        OrchestratorHealth.Reported r = assertInstanceOf(OrchestratorHealth.Reported.class, checked.health());
        assertTrue(r.healthy());
        assertEquals(Optional.of("1.4.1"), r.serverVersion());
        assertEquals(List.of("reboot_readiness", "database"), List.copyOf(r.checks().keySet()));
        assertEquals(START, r.checkedAt());
        assertEquals(Optional.empty(), checked.storageProblem());
        assertEquals(new OrchestratorRequest.HealthCheck(), orchestrator.calls().get(0).request());

        Entry row = onlyRow(IntegrationType.SELF_MONITORING);
        assertEquals(OrchestratorTool.HEALTH_CHECK, row.tool());
        assertEquals(IntegrationStatus.ACTIVE, row.status());
        assertEquals(START, row.validatedAt());
        assertEquals(true, row.results().get("healthy"));
    }

    @Test
    void anUnhealthyOrchestratorSaysWhyAndItsRowIsFailed() {
        new Contract().inMaintenance();

        OrchestratorHealth h = health.checkOrchestrator().health();

        OrchestratorHealth.Reported r = assertInstanceOf(OrchestratorHealth.Reported.class, h);
        assertFalse(r.healthy());
        assertEquals(List.of("Server already in maintenance mode"), r.issues());
        assertEquals(IntegrationStatus.FAILED, onlyRow(IntegrationType.SELF_MONITORING).status());
    }

    @Test
    void anOrchestratorThatCannotBeAskedIsUnknownWithTheReason() {
        orchestrator.away("breaker open");
        OrchestratorHealth.Unknown away = assertInstanceOf(OrchestratorHealth.Unknown.class,
                health.checkOrchestrator().health());
        assertEquals("not delivered: breaker open", away.why());
        assertFalse(away.healthy());

        orchestrator.back().then(new OrchestratorReply.Refused("{'status': 'error'}"),
                answered(new OrchestratorAnswer.HealthReport(Optional.empty(), Map.of(), List.of(), Optional.empty()),
                        "timestamp", "2026-11-23T10:00:00"));
        assertEquals("refused: {'status': 'error'}", assertInstanceOf(OrchestratorHealth.Unknown.class,
                health.checkOrchestrator().health()).why());
        assertTrue(assertInstanceOf(OrchestratorHealth.Unknown.class, health.checkOrchestrator().health()).why()
                .contains("no boolean \"healthy\""));

        assertEquals(List.of(IntegrationStatus.FAILED, IntegrationStatus.FAILED, IntegrationStatus.FAILED),
                log.all().stream().map(Entry::status).toList());
    }

    @Test
    void aStoreThatCannotTakeTheRowIsReportedNotThrown() {
        new Contract();
        log.failing();

        CheckOrchestratorUseCase.Checked checked = health.checkOrchestrator();

        assertTrue(checked.health().healthy());
        assertTrue(checked.storageProblem().orElseThrow().contains("disk is full"), checked.toString());
    }

    // ---- status ---------------------------------------------------------------------------------------------

    /** One of get_status's task lists as the contract has it: {success, tasks[], total_count, ...}. */
    private static Map<String, Object> taskList(int totalCount, boolean hasMore, String... taskIds) {
        List<Object> tasks = new ArrayList<>();
        for (String id : taskIds) {
            tasks.add(map("task_id", id, "title", "t " + id, "status", "pending"));
        }
        return map("success", true, "tasks", tasks, "total_count", totalCount, "page_count", 1, "current_page", 1,
                "page_size", 100, "has_more", hasMore);
    }

    @Test
    void theStatusForDashboardsCountsItsTaskListsAndNeverItsWrongTaskSummary() {
        Map<String, Object> answer = map("status", "status_retrieved",
                "active_tasks", taskList(1, false, "task_00000001"),
                "pending_tasks", taskList(2, false, "task_00000002", "task_00000003"),
                "failed_tasks", taskList(1, false, "task_00000004"),
                // the contract: it is wrong, each count the number of keys of a list's object
                "task_summary", map("total_active", 12, "total_pending", 12, "total_failed", 12),
                "system_status", map("server_healthy", true, "maintenance_mode", false),
                "metrics", map("response_time_ms", 1.25));
        // its completed_tasks is null (not asked for): a top-level null is left out of an answer
        orchestrator.then(status(Optional.of(true), Optional.of(false), Optional.of(1.25), answer));

        ReadOrchestratorStatusUseCase.Retrieved s = assertInstanceOf(ReadOrchestratorStatusUseCase.Retrieved.class,
                health.status());

        assertEquals(new OrchestratorRequest.GetStatus(false), orchestrator.calls().get(0).request());
        assertEquals(List.of(OrchestratorTool.GET_STATUS), tools());
        assertEquals(Optional.of(true), s.serverHealthy());
        assertEquals(Optional.of(false), s.maintenanceMode());
        assertEquals(4, s.totalTasks());
        assertEquals(3, s.openTasks());
        assertEquals(Map.of("active", 1L, "pending", 2L, "failed", 1L), s.tasksByStatus());
        assertEquals(Optional.of(1.25), s.responseTimeMs());
        Entry row = onlyRow(IntegrationType.EXTERNAL_MONITORING);
        assertEquals(OrchestratorTool.GET_STATUS, row.tool());
        assertEquals(IntegrationStatus.ACTIVE, row.status());
        String detail = (String) ((Map<?, ?>) ((List<?>) row.results().get("steps")).get(0)).get("detail");
        assertEquals("server healthy, 3 open of 4 task(s) listed", detail);
    }

    @Test
    void aListWithMorePagesIsCountedByItsTotalCountAndSaysSo() {
        orchestrator.then(status(Optional.empty(), Optional.empty(), Optional.empty(), map("status",
                "status_retrieved", "active_tasks", taskList(0, false),
                "pending_tasks", taskList(140, true, "task_00000001"),
                "failed_tasks", taskList(0, false))));

        ReadOrchestratorStatusUseCase.Retrieved s = assertInstanceOf(ReadOrchestratorStatusUseCase.Retrieved.class,
                health.status());

        assertEquals(140, s.openTasks());
        String detail = (String) ((Map<?, ?>) ((List<?>) onlyRow(IntegrationType.EXTERNAL_MONITORING).results()
                .get("steps")).get(0)).get("detail");
        assertTrue(detail.contains("more than one page"), detail);
    }

    @Test
    void aStatusInMaintenanceModeIsAFailedIntegrationAndNoStatusIsUnavailable() {
        orchestrator.then(status(Optional.of(false), Optional.of(true), Optional.empty(), map("status",
                "status_retrieved", "system_status", map("server_healthy", false, "maintenance_mode", true))));
        ReadOrchestratorStatusUseCase.Retrieved s = assertInstanceOf(ReadOrchestratorStatusUseCase.Retrieved.class,
                health.status());
        assertEquals(Optional.of(true), s.maintenanceMode());
        assertEquals(0, s.totalTasks());
        assertEquals(Optional.empty(), s.responseTimeMs());

        orchestrator.away("no session");
        ReadOrchestratorStatusUseCase.Unavailable u = assertInstanceOf(
                ReadOrchestratorStatusUseCase.Unavailable.class, health.status());
        assertEquals("not delivered: no session", u.why());

        assertEquals(List.of(IntegrationStatus.FAILED, IntegrationStatus.FAILED),
                log.all().stream().map(Entry::status).toList());
    }

    // ---- cleanup --------------------------------------------------------------------------------------------

    @Test
    void theCleanupAfterAnOptimizationScansTheCurrentSessionComprehensively() {
        orchestrator.then(answered(new OrchestratorAnswer.CleanupReport(java.util.OptionalLong.of(4),
                java.util.OptionalLong.of(0)), "status", "maintenance_completed", "maintenance_results", map("action",
                "scan_cleanup"), "summary", map("total_tasks_scanned", 4, "issues_found", 0)));

        CleanUpOrchestratorUseCase.Cleanup c = maintenance.cleanupAfterOptimization();

        assertEquals(new OrchestratorRequest.ScanCleanup(), orchestrator.calls().get(0).request());
        assertTrue(c.done());
        assertEquals("orchestrator_maintenance_coordinator", c.step().tool());
        assertEquals("scan_cleanup done: 4 task(s) scanned, 0 issue(s) found", c.step().detail());
        assertEquals("maintenance_completed", c.step().answer().get("status"));
        Entry row = onlyRow(IntegrationType.EXTERNAL_MONITORING);
        assertEquals(OrchestratorTool.MAINTENANCE_COORDINATOR, row.tool());
        assertEquals(IntegrationStatus.ACTIVE, row.status());
    }

    @Test
    void aRefusedCleanupIsNotDone() {
        orchestrator.then(new OrchestratorReply.Refused("Input validation error"));

        CleanUpOrchestratorUseCase.Cleanup c = maintenance.cleanupAfterOptimization();

        assertFalse(c.done());
        assertEquals(Outcome.REFUSED, c.step().outcome());
        assertEquals("refused: Input validation error", c.step().detail());
        assertEquals(IntegrationStatus.FAILED, onlyRow(IntegrationType.EXTERNAL_MONITORING).status());
    }

    // ---- testRecovery ---------------------------------------------------------------------------------------

    @Test
    void aRestartThatLeavesItInMaintenanceModeIsHealedByRestartingItsProcess() {
        recoveries.fleet.connected(ORCH);
        new Contract();

        RecoveryTest t = maintenance.testRecovery();

        assertEquals(List.of("orchestrator_shutdown_prepare", "orchestrator_restart_server",
                "orchestrator_restart_status", "orchestrator_reconnect_test", "orchestrator_health_check",
                OrchestratorStep.PROCESS_RESTART, "orchestrator_health_check"), stepTools(t));
        assertEquals(List.of(Outcome.ANSWERED, Outcome.REFUSED, Outcome.ANSWERED, Outcome.ANSWERED, Outcome.ANSWERED,
                Outcome.RESTARTED, Outcome.ANSWERED), outcomes(t));
        assertEquals("unhealthy: Server already in maintenance mode", t.steps().get(4).detail());
        assertTrue(t.steps().get(5).detail().startsWith("MCP Health restarted the process of orchestrator"),
                t.steps().get(5).detail());
        assertEquals("healthy", t.steps().get(6).detail());
        assertTrue(t.healedByProcessRestart());
        assertTrue(t.recovered());
        assertEquals(1, recoveries.fleet.reopens(ORCH), "one process restart");

        assertEquals(List.of(new OrchestratorRequest.ShutdownPrepare(),
                new OrchestratorRequest.RestartServer("manual_request"), new OrchestratorRequest.RestartStatus(),
                new OrchestratorRequest.ReconnectTest()), orchestrator.calls().subList(0, 4).stream()
                .map(ScriptedOrchestrator.Call::request).toList());

        Entry row = onlyRow(IntegrationType.RECOVERY_TESTING);
        assertEquals(OrchestratorTool.RESTART_SERVER, row.tool());
        assertEquals(IntegrationStatus.ACTIVE, row.status());
        assertEquals(true, row.results().get("healed_by_process_restart"));
        assertEquals("manual_request", row.results().get("restart_reason"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) row.results().get("steps");
        assertEquals(7, steps.size());
        assertEquals(Map.of("tool", "orchestrator_restart_server", "outcome", "refused", "detail",
                "refused: Shutdown failed: State manager not initialized"), steps.get(1));
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) ((Map<String, Object>) steps.get(2).get("answer"))
                .get("current_status");
        assertFalse(status.containsKey("started_at"), "a null is left out of the stored answer: " + status);
    }

    @Test
    void aRestartThatWorksNeedsNoHealing() {
        orchestrator.answering(c -> c.tool() == OrchestratorTool.RESTART_SERVER
                ? answered(new OrchestratorAnswer.RestartRequested(Optional.of("completed")), "success", true,
                "phase", "completed", "progress", 100.0)
                : c.tool() == OrchestratorTool.HEALTH_CHECK ? healthy(true)
                : c.tool() == OrchestratorTool.SHUTDOWN_PREPARE ? readyForShutdown()
                : c.tool() == OrchestratorTool.RECONNECT_TEST
                ? answered(new OrchestratorAnswer.ReconnectReport(Optional.empty()), "status", "ok")
                : answered(new OrchestratorAnswer.RestartProgress(Optional.empty()), "status", "ok"));

        RecoveryTest t = maintenance.testRecovery();

        assertEquals(5, t.steps().size(), stepTools(t).toString());
        assertEquals("restart requested (manual_request) phase completed", t.steps().get(1).detail());
        assertTrue(t.recovered());
        assertFalse(t.healedByProcessRestart());
        assertEquals(0, recoveries.fleet.reopens(ORCH));
        assertEquals(IntegrationStatus.ACTIVE, onlyRow(IntegrationType.RECOVERY_TESTING).status());
    }

    @Test
    void aMaintenanceModeLeftByAnEarlierRestartIsHealedWithoutAskingForAnotherRestart() {
        recoveries.fleet.connected(ORCH);
        new Contract().inMaintenance();

        RecoveryTest t = maintenance.testRecovery();

        assertEquals(Outcome.SKIPPED, t.steps().get(1).outcome());
        assertEquals("orchestrator_restart_server", t.steps().get(1).tool());
        assertTrue(t.steps().get(0).detail().endsWith("not ready for shutdown: Server already in maintenance mode"),
                t.steps().get(0).detail());
        assertFalse(tools().contains(OrchestratorTool.RESTART_SERVER), "not asked to restart: " + tools());
        assertTrue(t.healedByProcessRestart());
        assertEquals(1, recoveries.fleet.reopens(ORCH));
    }

    @Test
    void aProcessRestartThatFailsLeavesItUnhealthyAndTheTestFailed() {
        recoveries.fleet.kill(ORCH); // not connected: nothing reports a loss, the next start fails
        new Contract();

        RecoveryTest t = maintenance.testRecovery();

        OrchestratorStep heal = t.steps().get(5);
        assertEquals(Outcome.RESTART_FAILED, heal.outcome());
        assertTrue(heal.detail().contains("connection_error"), heal.detail());
        assertEquals(6, t.steps().size(), "no second health check after a failed restart: " + stepTools(t));
        assertFalse(t.recovered());
        assertFalse(t.healedByProcessRestart());
        assertEquals(IntegrationStatus.FAILED, onlyRow(IntegrationType.RECOVERY_TESTING).status());
    }

    @Test
    void anOrchestratorRecoveryIsAlreadyBringingBackIsLeftToIt() {
        recoveries.fleet.connected(ORCH).kill(ORCH); // its session is lost: recovery opens an episode
        new Contract();

        RecoveryTest t = maintenance.testRecovery();

        OrchestratorStep heal = t.steps().get(5);
        assertEquals(Outcome.SKIPPED, heal.outcome());
        assertTrue(heal.detail().contains("recovery is already bringing orchestrator back"), heal.detail());
        assertEquals(0, recoveries.fleet.reopens(ORCH), "no restart beside recovery's own");
        assertFalse(t.healedByProcessRestart());
    }

    @Test
    void anOrchestratorThatCannotBeReachedIsNotTested() {
        orchestrator.away("breaker open");

        RecoveryTest t = maintenance.testRecovery();

        assertEquals(List.of(OrchestratorTool.SHUTDOWN_PREPARE), tools(), "one call, not five");
        assertEquals(List.of(Outcome.NOT_DELIVERED, Outcome.SKIPPED, Outcome.SKIPPED, Outcome.SKIPPED,
                Outcome.SKIPPED), outcomes(t));
        assertEquals("not delivered: breaker open",
                assertInstanceOf(OrchestratorHealth.Unknown.class, t.health()).why());
        assertEquals(0, recoveries.fleet.reopens(ORCH));
        assertEquals(IntegrationStatus.FAILED, onlyRow(IntegrationType.RECOVERY_TESTING).status());
    }

    @Test
    void aRemoteOrchestratorIsReconnectedNotRestartedSoItIsNotHealedByAProcessRestart() {
        Recoveries remote = new Recoveries(clock, aServer().named(ORCH).over(TransportKind.STREAMABLE_HTTP).build());
        OrchestratorMaintenanceService w = new OrchestratorMaintenanceService(orchestrator, remote.recovery, log,
                clock);
        orchestrator.answering(c -> c.tool() == OrchestratorTool.HEALTH_CHECK
                ? healthy(remote.fleet.reopens(ORCH) > 0)
                : c.tool() == OrchestratorTool.SHUTDOWN_PREPARE ? readyForShutdown()
                : answered(OrchestratorAnswer.Taken.NONE, "ready_for_shutdown", true));

        RecoveryTest t = w.testRecovery();

        assertTrue(t.steps().get(5).detail().contains("reconnected"), t.steps().get(5).detail());
        assertTrue(t.recovered());
        assertFalse(t.healedByProcessRestart(), "a reconnect restarts no process");
    }

    @Test
    void aTestClaimingAHealWithoutARestartedProcessIsRefused() {
        OrchestratorHealth healthy = new OrchestratorHealth.Reported(true, Map.of(), List.of(), Optional.empty(),
                START);
        assertThrows(IllegalArgumentException.class, () -> new RecoveryTest(List.of(OrchestratorStep.of(
                "orchestrator_health_check", Outcome.ANSWERED, "healthy")), healthy, true, START, START,
                Optional.empty()));
    }
}
