package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.in.AdviseTuningUseCase;
import dev.mcphealth.application.port.in.AnalyzeFailuresUseCase;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.PlanMonitoringUseCase;
import dev.mcphealth.application.port.out.FailureHistoryPort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.service.AdviseTuningService;
import dev.mcphealth.application.service.AnalyzeFailuresService;
import dev.mcphealth.infrastructure.config.HealthConfig;
import java.time.Clock;

/**
 * Failure analysis over the recorded episodes, and tuning advice from the running monitor's figures, its schedule and
 * the breaker settings of the configuration (health.breaker).
 */
@Module
public final class AnalysisModule {
    private AnalysisModule() {
    }

    @Provides
    static AnalyzeFailuresUseCase analyzeFailures(FailureHistoryPort failures, ServerCatalogPort catalog, Clock clock) {
        return new AnalyzeFailuresService(failures, catalog, clock);
    }

    @Provides
    static AdviseTuningUseCase adviseTuning(ServerCatalogPort catalog, ObserveMonitoringUseCase monitor,
                                            PlanMonitoringUseCase plan, AnalyzeFailuresUseCase failures,
                                            HealthConfig config, Clock clock) {
        return new AdviseTuningService(catalog, monitor, plan, failures, config.breaker(), clock);
    }
}
