package dev.mcphealth.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.infrastructure.orchestrator.RequestFormat;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every request MCP Health makes, as {@code RequestFormat} writes it, meets the orchestrator's input schema as its
 * double holds it (../shared/reference/orchestrator-contract.md): no argument the real server would refuse before
 * its handler runs. A task's id is given, as when it is sent.
 */
class RequestsMeetTheOrchestratorSchemaTest {

    @Test
    void everyRequestIsValidForItsTool() {
        List<OrchestratorRequest> sent = List.of(new OrchestratorRequest.InitializeSession("/srv/project"),
                new OrchestratorRequest.PlanTask("Check", "Probe", Optional.empty(), "very_complex", "devops"),
                new OrchestratorRequest.PlanTask("Step", "", Optional.of("task_1a2b3c4d"), "simple", "devops"),
                new OrchestratorRequest.ExecuteTask(Optional.of("task_1a2b3c4d")),
                new OrchestratorRequest.CompleteTask(Optional.of("task_1a2b3c4d"), "s", "w"),
                OrchestratorRequest.UpdateTask.failed(Optional.of("task_1a2b3c4d"), "x failed: y"),
                new OrchestratorRequest.UpdateTask(Optional.of("task_1a2b3c4d"), "completed", Optional.empty()),
                new OrchestratorRequest.QueryTasks("task_1a2b3c4d", 100),
                new OrchestratorRequest.SynthesizeResults("task_1a2b3c4d"),
                new OrchestratorRequest.GetStatus(false),
                new OrchestratorRequest.HealthCheck(),
                new OrchestratorRequest.ScanCleanup(),
                new OrchestratorRequest.ShutdownPrepare(),
                new OrchestratorRequest.RestartServer("manual_request"),
                new OrchestratorRequest.RestartStatus(),
                new OrchestratorRequest.ReconnectTest());
        Set<OrchestratorTool> tools = EnumSet.noneOf(OrchestratorTool.class);
        for (OrchestratorRequest r : sent) {
            tools.add(r.tool());
            Map<String, Object> schema = OrchestratorTools.definition(r.tool().code()).orElseThrow().inputSchema();
            assertEquals(Optional.empty(), OrchestratorTools.SchemaCheck.violation(schema,
                    RequestFormat.arguments(r)), r.toString());
        }
        assertEquals(EnumSet.allOf(OrchestratorTool.class), tools);
    }

    @Test
    void aRequestTheSchemaRefusesIsCaughtHere() {
        Map<String, Object> schema = OrchestratorTools.definition("orchestrator_restart_server").orElseThrow()
                .inputSchema();
        Optional<String> violation = OrchestratorTools.SchemaCheck.violation(schema,
                RequestFormat.arguments(new OrchestratorRequest.RestartServer("failover_testing")));
        assertTrue(violation.orElseThrow().startsWith("'failover_testing' is not one of"), violation.toString());
    }
}
