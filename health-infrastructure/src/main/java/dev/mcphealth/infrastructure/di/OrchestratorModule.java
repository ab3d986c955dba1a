package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.application.service.MonitoringService;
import dev.mcphealth.application.service.RecoveryService;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.infrastructure.orchestrator.McpOrchestrator;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;

/**
 * The MCP Task Orchestrator named in health.orchestrator, if one is: called over the monitor's shared session to it,
 * opening one only when recovery allows ({@link RecoveryService#mayConnect}), behind its own breaker (health.breaker's
 * run of failures, open period and trial calls), whose state the monitor's own row shows. One per run: the breaker's
 * state lasts the run.
 */
@Module
public final class OrchestratorModule {
    /** Where the monitor's own row ({@code mcp-health}) shows the state of the breaker around the orchestrator. */
    public static final String ORCHESTRATOR_BREAKER = "orchestratorBreaker";

    private OrchestratorModule() {
    }

    @Provides
    @Singleton
    static Optional<OrchestratorPort> orchestrator(HealthConfig config, ServerCatalogPort catalog, ToolCallPort calls,
                                                   RecoveryService recovery, MonitoringService monitoring,
                                                   Clock clock) {
        return config.orchestrator().map(o -> {
            McpOrchestrator orchestrator = new McpOrchestrator(o.server(), catalog, calls, recovery::mayConnect,
                    clock, McpOrchestrator.Settings.of(o.callTimeout(), config.breaker()));
            monitoring.watchBreaker(ORCHESTRATOR_BREAKER, orchestrator::breaker);
            return orchestrator;
        });
    }
}
