package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase;
import dev.mcphealth.application.port.in.RunAsTaskUseCase;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.service.OrchestratorOutboxService;
import dev.mcphealth.application.service.RunAsTaskService;
import dev.mcphealth.infrastructure.persistence.SqliteDatabase;
import dev.mcphealth.infrastructure.persistence.SqliteOutbox;
import dev.mcphealth.infrastructure.scheduler.OutboxScheduler;
import jakarta.inject.Singleton;
import java.util.UUID;
import java.time.Clock;
import java.util.Optional;

/**
 * The durable outbox of orchestrator calls and its delivery loop (docs/orchestrator-outbox.md). With no orchestrator
 * configured ({@code Optional<OrchestratorPort>} empty) there is neither service nor loop: nothing is delivered, and
 * what an earlier run left in the outbox stays there until an orchestrator is configured again.
 */
@Module
public final class OutboxModule {
    private OutboxModule() {
    }

    @Provides
    static OutboxPort outbox(SqliteDatabase db) {
        return new SqliteOutbox(db);
    }

    @Provides
    @Singleton
    static Optional<OrchestratorOutboxService> orchestratorOutbox(Optional<OrchestratorPort> orchestrator,
                                                                  OutboxPort outbox, Clock clock) {
        return orchestrator.map(o -> new OrchestratorOutboxService(o, outbox, clock));
    }

    @Provides
    static Optional<DeliverOrchestratorUpdatesUseCase> deliverOrchestratorUpdates(
            Optional<OrchestratorOutboxService> outbox) {
        return outbox.map(o -> o);
    }

    /** The loop, woken whenever a call is enqueued; started and stopped with the monitor ({@link McpHealth}). */
    @Provides
    @Singleton
    static Optional<OutboxScheduler> outboxScheduler(Optional<OrchestratorOutboxService> outbox) {
        return outbox.map(o -> {
            OutboxScheduler scheduler = new OutboxScheduler(o);
            o.onWork(scheduler::wake);
            return scheduler;
        });
    }

    /**
     * Health operations run as orchestrator tasks (a tool call with orchestrator_session_id): calls the orchestrator did
     * not get go to the outbox, the run's later calls behind them.
     */
    @Provides
    @Singleton
    static RunAsTaskUseCase runAsTask(Optional<OrchestratorPort> orchestrator,
                                      Optional<OrchestratorOutboxService> outbox, OrchestratorIntegrationLogPort log,
                                      Clock clock) {
        return new RunAsTaskService(orchestrator, d -> {
            OrchestratorOutboxService box = outbox.orElseThrow(() -> new IllegalStateException(
                    "a call to defer, but no orchestrator outbox"));
            return box.enqueue(d.taskFrom().isPresent()
                    ? OutboxPort.Call.withTaskFrom(d.run(), d.tool(), d.arguments(), d.taskFrom().getAsLong())
                    : OutboxPort.Call.of(d.run(), d.tool(), d.arguments()));
        }, () -> outbox.map(OrchestratorOutboxService::backlog).orElse(false), () -> UUID.randomUUID().toString(),
                log, clock);
    }
}
