package dev.mcphealth.infrastructure.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.CleanUpOrchestratorUseCase;
import dev.mcphealth.application.port.in.OrchestratorStep;
import dev.mcphealth.application.port.in.OrchestratorStep.Outcome;
import dev.mcphealth.application.port.in.ReadOrchestratorStatusUseCase;
import dev.mcphealth.application.port.in.TestOrchestratorRecoveryUseCase.RecoveryTest;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.Entry;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationStatus;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationType;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.domain.orchestrator.OrchestratorHealth;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.infrastructure.di.McpHealth;
import dev.mcphealth.infrastructure.di.MonitorComponent;
import dev.mcphealth.infrastructure.persistence.JdbcOrchestratorIntegrationLog;
import dev.mcphealth.testkit.OrchestratorDoubleProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The workflows on the orchestrator's own health tools through the real wiring ({@link McpHealth}'s
 * {@link MonitorComponent}), against the orchestrator's test double run as a process that MCP Health starts over
 * stdio: its restart_server fails and leaves it in maintenance mode, as the real one's does, and the recovery test
 * heals it by restarting its process; every workflow leaves its row in orchestrator_health_integration.
 */
class OrchestratorWorkflowsIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ORCH = "task-orchestrator";

    @TempDir
    Path dir;

    private Path config(OrchestratorDoubleProcess orchestrator, boolean asOrchestrator) throws Exception {
        Map<String, Object> health = new LinkedHashMap<>();
        // the double is a JVM: its first answer includes its start-up
        health.put("defaults", Map.of("connectTimeoutMs", 60_000));
        health.put("servers", Map.of(ORCH, Map.of("serverType", "orchestrator")));
        if (asOrchestrator) {
            health.put("orchestrator", Map.of("server", ORCH, "callTimeoutMs", 20_000));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("mcpServers", Map.of(ORCH, orchestrator.configEntry()));
        root.put("health", health);
        Path file = dir.resolve(asOrchestrator ? "mcp.json" : "plain.json");
        Files.write(file, JSON.writeValueAsBytes(root));
        return file;
    }

    @Test
    void aRestartThatLeavesTheOrchestratorUnhealthyIsHealedByRestartingItsProcess() throws Exception {
        OrchestratorDoubleProcess orchestrator = OrchestratorDoubleProcess.withState(dir.resolve("state.json"));
        try (McpHealth health = McpHealth.builder(config(orchestrator, true)).database(dir.resolve("health.db"))
                .open()) {
            MonitorComponent c = health.component();

            RecoveryTest test = c.testOrchestratorRecovery().orElseThrow().testRecovery();

            List<String> tools = test.steps().stream().map(OrchestratorStep::tool).toList();
            assertEquals(List.of("orchestrator_shutdown_prepare", "orchestrator_restart_server",
                    "orchestrator_restart_status", "orchestrator_reconnect_test", "orchestrator_health_check",
                    OrchestratorStep.PROCESS_RESTART, "orchestrator_health_check"), tools, test.toString());
            assertEquals(List.of(Outcome.ANSWERED, Outcome.REFUSED, Outcome.ANSWERED, Outcome.ANSWERED,
                    Outcome.ANSWERED, Outcome.RESTARTED, Outcome.ANSWERED),
                    test.steps().stream().map(OrchestratorStep::outcome).toList(), test.toString());
            assertEquals("unhealthy: Server already in maintenance mode", test.steps().get(4).detail());
            assertTrue(test.steps().get(2).detail().contains("in maintenance mode"), test.steps().get(2).detail());
            assertTrue(test.healedByProcessRestart(), test.toString());
            OrchestratorHealth.Reported after = assertInstanceOf(OrchestratorHealth.Reported.class, test.health());
            assertTrue(after.healthy());

            OrchestratorDoubleProcess.State state = orchestrator.state();
            assertEquals(2, state.starts().size(), "its process was restarted once: " + state.starts());
            assertEquals(List.of("orchestrator_shutdown_prepare", "orchestrator_restart_server",
                    "orchestrator_restart_status", "orchestrator_reconnect_test", "orchestrator_health_check",
                    "orchestrator_health_check"), state.toolNames());
            assertEquals("manual_request", state.callsTo("orchestrator_restart_server").get(0).arguments()
                    .get("reason"));
            List<OrchestratorDoubleProcess.Call> checks = state.callsTo("orchestrator_health_check");
            assertEquals(state.starts().get(0).pid(), checks.get(0).pid(), "unhealthy: the first process");
            assertEquals(state.starts().get(1).pid(), checks.get(1).pid(), "healthy: the new process");
            assertTrue(checks.get(1).answered());

            // the other workflows, on the healed orchestrator
            assertTrue(c.checkOrchestrator().orElseThrow().checkOrchestrator().health().healthy());
            ReadOrchestratorStatusUseCase.Retrieved status = assertInstanceOf(
                    ReadOrchestratorStatusUseCase.Retrieved.class, c.orchestratorStatus().orElseThrow().status());
            assertEquals(Optional.of(false), status.maintenanceMode());
            assertEquals(Optional.of(true), status.serverHealthy());
            CleanUpOrchestratorUseCase.Cleanup cleanup = c.cleanUpOrchestrator().orElseThrow()
                    .cleanupAfterOptimization();
            assertTrue(cleanup.done(), cleanup.toString());
            assertEquals(Map.of("action", "scan_cleanup", "scope", "current_session", "validation_level",
                    "comprehensive"), orchestrator.state().callsTo("orchestrator_maintenance_coordinator").get(0)
                    .arguments());

            OrchestratorIntegrationLogPort log = new JdbcOrchestratorIntegrationLog(c.database());
            List<Entry> tests = log.recent(IntegrationType.RECOVERY_TESTING, 10);
            assertEquals(1, tests.size(), tests.toString());
            assertEquals(OrchestratorTool.RESTART_SERVER, tests.get(0).tool());
            assertEquals(IntegrationStatus.ACTIVE, tests.get(0).status());
            assertEquals(true, tests.get(0).results().get("healed_by_process_restart"));
            assertEquals(7, ((List<?>) tests.get(0).results().get("steps")).size());
            List<Entry> self = log.recent(IntegrationType.SELF_MONITORING, 10);
            assertEquals(List.of(OrchestratorTool.HEALTH_CHECK), self.stream().map(Entry::tool).toList());
            assertEquals(IntegrationStatus.ACTIVE, self.get(0).status());
            assertEquals(List.of(OrchestratorTool.MAINTENANCE_COORDINATOR, OrchestratorTool.GET_STATUS),
                    log.recent(IntegrationType.EXTERNAL_MONITORING, 10).stream().map(Entry::tool).toList(),
                    "newest first");
        }
    }

    /**
     * The dashboard's counts come from get_status's task lists (active_tasks, pending_tasks, failed_tasks), the real
     * shape the double answers; its task_summary, wrong in the real orchestrator, is not read.
     */
    @Test
    void theDashboardShowsTheTasksTheOrchestratorHolds() throws Exception {
        OrchestratorDoubleProcess orchestrator = OrchestratorDoubleProcess.withState(dir.resolve("state.json"));
        try (McpHealth health = McpHealth.builder(config(orchestrator, true)).database(dir.resolve("health.db"))
                .open()) {
            MonitorComponent c = health.component();
            OrchestratorPort port = c.orchestrator().orElseThrow();
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                OrchestratorReply.Answered planned = assertInstanceOf(OrchestratorReply.Answered.class,
                        port.call(new OrchestratorRequest.PlanTask("task " + i, "d", Optional.empty(), "simple",
                                "devops")));
                ids.add((String) planned.json().get("task_id"));
            }
            port.call(new OrchestratorRequest.UpdateTask(Optional.of(ids.get(0)), "in_progress", Optional.empty()));
            port.call(new OrchestratorRequest.UpdateTask(Optional.of(ids.get(1)), "failed", Optional.empty()));
            assertInstanceOf(OrchestratorReply.Answered.class, port.call(new OrchestratorRequest.CompleteTask(
                    Optional.of(ids.get(2)), "s", "w")));

            ReadOrchestratorStatusUseCase.Retrieved status = assertInstanceOf(
                    ReadOrchestratorStatusUseCase.Retrieved.class, c.orchestratorStatus().orElseThrow().status());

            assertEquals(3, status.openTasks(), status.toString());
            assertEquals(4, status.totalTasks(), "completed tasks are not asked for: " + status);
            assertEquals(Map.of("active", 1L, "pending", 2L, "failed", 1L), status.tasksByStatus());
        }
    }

    @Test
    void withoutAConfiguredOrchestratorThereAreNoWorkflows() throws Exception {
        OrchestratorDoubleProcess orchestrator = OrchestratorDoubleProcess.inMemory();
        try (McpHealth health = McpHealth.builder(config(orchestrator, false)).database(dir.resolve("plain.db"))
                .open()) {
            MonitorComponent c = health.component();
            assertEquals(Optional.empty(), c.checkOrchestrator());
            assertEquals(Optional.empty(), c.orchestratorStatus());
            assertEquals(Optional.empty(), c.cleanUpOrchestrator());
            assertEquals(Optional.empty(), c.testOrchestratorRecovery());
        }
    }
}
