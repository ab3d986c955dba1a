package dev.mcphealth.infrastructure.di;

import dev.mcphealth.application.port.in.PruneHistoryUseCase;
import dev.mcphealth.application.port.in.ReadFailuresUseCase;
import dev.mcphealth.application.port.in.ReadHistoryUseCase;
import dev.mcphealth.application.port.in.ReadStatusUseCase;
import dev.mcphealth.application.port.out.FailureHistoryPort;
import dev.mcphealth.application.port.out.HealthHistoryPort;
import dev.mcphealth.application.port.out.RetentionPort;
import dev.mcphealth.application.history.HealthHistoryService;
import dev.mcphealth.application.history.PruneHistoryService;
import dev.mcphealth.application.history.ReadFailuresService;
import dagger.Module;
import dagger.Provides;
import java.time.Clock;

/** Reading and pruning what was recorded. */
@Module
public final class HistoryModule {
    private HistoryModule() {
    }

    @Provides
    static HealthHistoryService history(HealthHistoryPort port, Clock clock) {
        return new HealthHistoryService(port, clock);
    }

    @Provides
    static ReadStatusUseCase status(HealthHistoryService s) {
        return s;
    }

    @Provides
    static ReadHistoryUseCase readHistory(HealthHistoryService s) {
        return s;
    }

    @Provides
    static PruneHistoryUseCase prune(RetentionPort retention, Clock clock) {
        return new PruneHistoryService(retention, clock);
    }

    @Provides
    static ReadFailuresUseCase readFailures(FailureHistoryPort port, Clock clock) {
        return new ReadFailuresService(port, clock);
    }
}
