package dev.mcphealth.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.RunAsTaskUseCase;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.infrastructure.orchestrator.RequestFormat;
import dev.mcphealth.infrastructure.orchestrator.RequestFormatTest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
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
        List<OrchestratorRequest> sent = new ArrayList<>(RequestFormatTest.everyRequest().stream()
                .map(r -> r instanceof OrchestratorRequest.OfTask t && t.taskId().isEmpty() ? t.forTask(
                        "task_1a2b3c4d") : r)
                .toList());
        for (RunAsTaskUseCase.Complexity c : RunAsTaskUseCase.Complexity.values()) {
            // a run's task is planned at the complexity its caller gave, in the orchestrator's word (TaskRun)
            sent.add(new OrchestratorRequest.PlanTask("Check", "Probe", Optional.empty(),
                    c.name().toLowerCase(Locale.ROOT), "devops"));
        }
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
