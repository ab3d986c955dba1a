package dev.mcphealth.infrastructure.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.infrastructure.config.ConfigLoader;
import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.infrastructure.config.OrchestratorSettings;
import dev.mcphealth.testkit.OrchestratorDoubleProcess;
import dev.mcphealth.testkit.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** health.orchestrator through the monitor's wiring ({@link OrchestratorModule}), with the orchestrator's double. */
class OrchestratorModuleIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static Map<String, Object> answered(OrchestratorReply reply) {
        return assertInstanceOf(OrchestratorReply.Answered.class, reply, () -> "expected an answer: " + reply).json();
    }

    @Test
    void theMonitorsWiringGivesTheConfiguredOrchestratorOverTheSessionItsProbesUse() throws Exception {
        OrchestratorDoubleProcess orchestrator = OrchestratorDoubleProcess.withState(
                dir.resolve("orchestrator-state.json"));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("mcpServers", Map.of("task-orchestrator", orchestrator.configEntry()));
        root.put("health", Map.of("defaults", Map.of("connectTimeoutMs", 60_000),
                "orchestrator", Map.of("server", "task-orchestrator", "callTimeoutMs", 20_000)));
        Path config = dir.resolve("mcp.json");
        Files.write(config, JSON.writeValueAsBytes(root));

        try (McpHealth health = McpHealth.builder(config).database(dir.resolve("health.db")).open()) {
            OrchestratorPort port = health.component().orchestrator().orElseThrow();
            assertEquals(ServerId.of("task-orchestrator"), port.server());
            assertEquals(List.of(ServerId.of("task-orchestrator")), health.config().servers().stream()
                    .map(MonitoredServer::id).toList(), "it is monitored like any server");

            assertEquals("status_retrieved", answered(port.call(new OrchestratorRequest.GetStatus(false)))
                    .get("status"));
            health.probeAll();
            StatusSnapshot probed = health.monitor().snapshot().stream()
                    .filter(x -> x.server().value().equals("task-orchestrator")).findFirst().orElseThrow();
            assertEquals(Optional.of(HealthStatus.HEALTHY), probed.status(), "probed: " + probed);
            assertEquals("status_retrieved", answered(port.call(new OrchestratorRequest.GetStatus(false)))
                    .get("status"));

            OrchestratorDoubleProcess.State state = orchestrator.state();
            assertEquals(1, state.starts().size(), "calls and probes share one session: " + state.starts());
            assertEquals(List.of("orchestrator_get_status", "orchestrator_get_status"), state.toolNames());

            StatusSnapshot self = health.monitor().snapshot().stream()
                    .filter(x -> x.server().value().equals("mcp-health")).findFirst().orElseThrow();
            assertEquals("closed", self.details().get(OrchestratorModule.ORCHESTRATOR_BREAKER),
                    "the monitor's own row shows the breaker around the orchestrator: " + self.details());
            assertEquals("1", self.details().get("breakersClosed"));
        }

        Path plain = dir.resolve("plain.json");
        Files.write(plain, JSON.writeValueAsBytes(Map.of("mcpServers",
                Map.of("task-orchestrator", orchestrator.configEntry()))));
        try (McpHealth health = McpHealth.builder(plain).database(dir.resolve("health2.db")).open()) {
            assertEquals(Optional.empty(), health.component().orchestrator());
        }
    }

    @Test
    void theDocumentedExampleNamesThePythonOrchestratorAndWhereItsTasksLive() {
        HealthConfig config = new ConfigLoader(Map.of("HOME", "/home/me")::get)
                .load(RepoPaths.root().resolve("examples/mcp-orchestrator.json"));

        ServerId orchestrator = ServerId.of("task-orchestrator");
        assertEquals(Optional.of(OrchestratorSettings.of(orchestrator)), config.orchestrator());
        Endpoint.Stdio stdio = assertInstanceOf(Endpoint.Stdio.class, config.endpoint(orchestrator).orElseThrow());
        assertEquals("python", stdio.command());
        assertEquals(List.of("-m", "mcp_task_orchestrator"), stdio.args());
        // its task tools keep their tasks under the process's working directory (.task_orchestrator/tasks.sqlite):
        // the example chooses it with cwd, and sets no MCP_TASK_ORCHESTRATOR_DB_PATH, which those tools do not read
        assertEquals(Optional.of(java.nio.file.Path.of("/home/me/.mcp-task-orchestrator")), stdio.cwd());
        assertEquals(Map.of(), stdio.env());
    }
}
