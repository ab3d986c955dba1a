package dev.mcphealth.infrastructure.di;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.application.port.out.InMemoryOrchestratorIntegrationLog;
import dev.mcphealth.application.orchestrator.OrchestratorWorkflowService;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The provider methods, called directly (unit tests do not build components). */
class OrchestratorWorkflowModuleTest {
    @Test
    void withoutAnOrchestratorEveryWorkflowIsEmpty() {
        Optional<OrchestratorWorkflowService> service = OrchestratorWorkflowModule.orchestratorWorkflows(
                Optional.empty(), null, new InMemoryOrchestratorIntegrationLog(), null);

        assertEquals(Optional.empty(), service);
        assertEquals(Optional.empty(), OrchestratorWorkflowModule.checkOrchestrator(service));
        assertEquals(Optional.empty(), OrchestratorWorkflowModule.orchestratorStatus(service));
        assertEquals(Optional.empty(), OrchestratorWorkflowModule.cleanUpOrchestrator(service));
        assertEquals(Optional.empty(), OrchestratorWorkflowModule.testOrchestratorRecovery(service));
    }
}
