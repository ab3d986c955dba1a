package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.out.OrchestratorPort;
import java.util.Optional;

/**
 * TEMPORARY: no orchestrator, until {@code OrchestratorModule} (the MCP Task Orchestrator adapter, configured by
 * {@code health.orchestrator}) provides {@code Optional<OrchestratorPort>}; it replaces this module in
 * {@link MonitorComponent}.
 */
@Module
public final class NoOrchestratorModule {
    private NoOrchestratorModule() {
    }

    @Provides
    static Optional<OrchestratorPort> none() {
        return Optional.empty();
    }
}
