package dev.mcphealth.infrastructure.di;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.application.port.out.InMemoryOrchestratorIntegrationLog;
import dev.mcphealth.application.orchestrator.OrchestratorHealthService;
import dev.mcphealth.application.orchestrator.OrchestratorMaintenanceService;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The provider methods, called directly (unit tests do not build components). */
class OrchestratorWorkflowModuleTest {
    @Test
    void withoutAnOrchestratorEveryWorkflowIsEmpty() {
        Optional<OrchestratorHealthService> health = OrchestratorWorkflowModule.orchestratorHealth(Optional.empty(),
                new InMemoryOrchestratorIntegrationLog(), null);
        Optional<OrchestratorMaintenanceService> maintenance = OrchestratorWorkflowModule.orchestratorMaintenance(
                Optional.empty(), null, new InMemoryOrchestratorIntegrationLog(), null);

        assertEquals(Optional.empty(), health);
        assertEquals(Optional.empty(), maintenance);
        assertEquals(Optional.empty(), OrchestratorWorkflowModule.checkOrchestrator(health));
        assertEquals(Optional.empty(), OrchestratorWorkflowModule.orchestratorStatus(health));
        assertEquals(Optional.empty(), OrchestratorWorkflowModule.cleanUpOrchestrator(maintenance));
        assertEquals(Optional.empty(), OrchestratorWorkflowModule.testOrchestratorRecovery(maintenance));
    }
}
