package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.in.CheckOrchestratorUseCase;
import dev.mcphealth.application.port.in.CleanUpOrchestratorUseCase;
import dev.mcphealth.application.port.in.ReadOrchestratorStatusUseCase;
import dev.mcphealth.application.port.in.TestOrchestratorRecoveryUseCase;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.orchestrator.OrchestratorHealthService;
import dev.mcphealth.application.orchestrator.OrchestratorMaintenanceService;
import dev.mcphealth.application.recovery.RecoveryService;
import dev.mcphealth.infrastructure.persistence.Database;
import dev.mcphealth.infrastructure.persistence.JdbcOrchestratorIntegrationLog;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;

/**
 * The workflows on the MCP Task Orchestrator's own health tools (docs/orchestrator-workflows.md): self-monitoring,
 * status, cleanup and recovery testing, each recorded in orchestrator_health_integration. With no orchestrator
 * configured ({@code Optional<OrchestratorPort>} empty) every use case is empty.
 */
@Module
public final class OrchestratorWorkflowModule {
    private OrchestratorWorkflowModule() {
    }

    @Provides
    static OrchestratorIntegrationLogPort integrationLog(Database db) {
        return new JdbcOrchestratorIntegrationLog(db);
    }

    @Provides
    @Singleton
    static Optional<OrchestratorHealthService> orchestratorHealth(Optional<OrchestratorPort> orchestrator,
                                                                  OrchestratorIntegrationLogPort log, Clock clock) {
        return orchestrator.map(o -> new OrchestratorHealthService(o, log, clock));
    }

    @Provides
    @Singleton
    static Optional<OrchestratorMaintenanceService> orchestratorMaintenance(Optional<OrchestratorPort> orchestrator,
                                                                            RecoveryService recovery,
                                                                            OrchestratorIntegrationLogPort log,
                                                                            Clock clock) {
        return orchestrator.map(o -> new OrchestratorMaintenanceService(o, recovery, log, clock));
    }

    @Provides
    static Optional<CheckOrchestratorUseCase> checkOrchestrator(Optional<OrchestratorHealthService> h) {
        return h.map(s -> s);
    }

    @Provides
    static Optional<ReadOrchestratorStatusUseCase> orchestratorStatus(Optional<OrchestratorHealthService> h) {
        return h.map(s -> s);
    }

    @Provides
    static Optional<CleanUpOrchestratorUseCase> cleanUpOrchestrator(Optional<OrchestratorMaintenanceService> m) {
        return m.map(s -> s);
    }

    @Provides
    static Optional<TestOrchestratorRecoveryUseCase> testOrchestratorRecovery(
            Optional<OrchestratorMaintenanceService> m) {
        return m.map(s -> s);
    }
}
