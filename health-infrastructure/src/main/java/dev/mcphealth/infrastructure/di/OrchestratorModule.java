package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.monitoring.Monitoring;
import dev.mcphealth.application.recovery.RecoveryService;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.infrastructure.orchestrator.McpOrchestrator;
import dev.mcphealth.infrastructure.probe.McpProbe;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;

/**
 * The MCP Task Orchestrator named in health.orchestrator, if one is: called over the monitor's shared session to it,
 * opening one only when recovery allows ({@link RecoveryService#mayConnect}), behind its own breaker (health.breaker's
 * run of failures, open period and trial calls), whose state the monitor's own row shows. With a
 * {@code workingDirectory}, each new session with it is initialized for that directory before use. One per run: the breaker's
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
    static Optional<OrchestratorPort> orchestrator(HealthConfig config, ServerCatalogPort catalog, McpProbe calls,
                                                   RecoveryService recovery, Monitoring monitoring,
                                                   Clock clock) {
        return config.orchestrator().map(o -> {
            Optional<McpOrchestrator.SessionSetup> setup = o.workingDirectory().map(dir ->
                    new McpOrchestrator.SessionSetup(dir.toString(), () -> calls.sessionsOpened(o.server()),
                            () -> calls.isOpen(o.server())));
            McpOrchestrator orchestrator = new McpOrchestrator(o.server(), catalog, calls, recovery::mayConnect,
                    clock, McpOrchestrator.Settings.of(o.callTimeout(), config.breaker()), setup);
            monitoring.board().watchBreaker(ORCHESTRATOR_BREAKER, orchestrator::breaker);
            return orchestrator;
        });
    }
}
