package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase;
import dev.mcphealth.application.port.in.ReconcileOrchestratorTasksUseCase;
import dev.mcphealth.application.port.in.RelinkDeferredTasksUseCase;
import dev.mcphealth.application.port.in.RunAsTaskUseCase;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.orchestrator.DeferredTaskLinkService;
import dev.mcphealth.application.orchestrator.OrchestratorOutboxService;
import dev.mcphealth.application.orchestrator.ReconcileOrchestratorTasksService;
import dev.mcphealth.application.orchestrator.RunAsTaskService;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.infrastructure.config.OrchestratorSettings;
import dev.mcphealth.infrastructure.events.OrchestratorReturnWatch;
import dev.mcphealth.infrastructure.persistence.Database;
import dev.mcphealth.infrastructure.persistence.JdbcOutbox;
import dev.mcphealth.infrastructure.persistence.JdbcTaskLinks;
import dev.mcphealth.infrastructure.scheduler.OutboxScheduler;
import jakarta.inject.Singleton;
import java.util.UUID;
import java.time.Clock;
import java.util.Optional;

/**
 * The durable outbox of orchestrator calls and its delivery loop (docs/orchestrator-outbox.md). With no orchestrator
 * configured ({@code Optional<OrchestratorPort>} empty) there is neither service nor loop: nothing is delivered, and
 * what an earlier run left in the outbox stays there until an orchestrator is configured again.
 *
 * <p>The loop is also woken when the orchestrator comes back: every event the services publish goes through an
 * {@link OrchestratorReturnWatch} on its way to the composition root's port ({@link EventListeners}), and a change of
 * the orchestrator server's status to healthy, or a successful recovery of it, wakes the loop.
 */
@Module
public final class OutboxModule {
    private OutboxModule() {
    }

    @Provides
    static OutboxPort outbox(Database db) {
        return new JdbcOutbox(db);
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

    /** Rows stamped while a plan waited in the outbox get the task id it obtained (the scheduler runs it). */
    @Provides
    static RelinkDeferredTasksUseCase relinkDeferredTasks(Database db) {
        return new DeferredTaskLinkService(new JdbcTaskLinks(db));
    }

    /** Processes sharing a PostgreSQL database deliver one at a time (docs/cluster.md); alone on SQLite, always. */
    @Provides
    static OutboxScheduler.Turn outboxTurn(Database db) {
        return db instanceof dev.mcphealth.infrastructure.persistence.PostgresDatabase
                ? new dev.mcphealth.infrastructure.cluster.OutboxTurn(db) : OutboxScheduler.Turn.ALWAYS;
    }

    /**
     * The loop, woken whenever a call is enqueued and whenever the orchestrator is back; started and stopped with the
     * monitor ({@link McpHealth}).
     */
    @Provides
    @Singleton
    static Optional<OutboxScheduler> outboxScheduler(Optional<OrchestratorOutboxService> outbox,
                                                     OrchestratorReturnWatch returns,
                                                     RelinkDeferredTasksUseCase relink,
                                                     Optional<ReconcileOrchestratorTasksUseCase> reconcile,
                                                     OutboxScheduler.Turn turn) {
        return outbox.map(o -> {
            OutboxScheduler scheduler = new OutboxScheduler(o, relink, reconcile, turn);
            o.onWork(scheduler::wake);
            o.onLost(scheduler::reconcileSoon);
            returns.onReturn(scheduler::orchestratorBack);
            return scheduler;
        });
    }

    /**
     * Reconciliation of the tasks MCP Health planned and did not see closed, from the outbox (its record); the loop
     * runs it at start, when the orchestrator is back and after deliveries. Empty with no orchestrator configured.
     */
    @Provides
    @Singleton
    static Optional<ReconcileOrchestratorTasksUseCase> reconcileOrchestratorTasks(
            Optional<OrchestratorPort> orchestrator, OutboxPort outbox, OrchestratorIntegrationLogPort log,
            RunAsTaskService runs, Clock clock) {
        return orchestrator.map(o -> new ReconcileOrchestratorTasksService(o, outbox, log, runs::here,
                ReconcileOrchestratorTasksService.DEFAULT_GRACE, clock));
    }

    /**
     * Watches the events for the orchestrator server (health.orchestrator) coming back, passing every event on to the
     * composition root's port. One per run, so that the loop registered on it hears what every service publishes.
     */
    @Provides
    @Singleton
    static OrchestratorReturnWatch orchestratorReturns(@EventListeners MonitorEventPort listeners,
                                                       HealthConfig config) {
        return new OrchestratorReturnWatch(config.orchestrator().map(OrchestratorSettings::server), listeners);
    }

    /**
     * Where the services publish their events: through the watch for the orchestrator's return, to the composition
     * root's port. (A port rather than the loop itself: the loop depends on the orchestrator, whose recovery publishes
     * events, so the loop registers on the watch instead.)
     */
    @Provides
    static MonitorEventPort events(OrchestratorReturnWatch returns) {
        return returns;
    }

    /**
     * Health operations run as orchestrator tasks (a tool call with orchestrator_session_id): calls the orchestrator did
     * not get go to the outbox, the run's later calls behind them.
     */
    @Provides
    @Singleton
    static RunAsTaskService runAsTaskService(Optional<OrchestratorPort> orchestrator,
                                             Optional<OrchestratorOutboxService> outbox,
                                             OrchestratorIntegrationLogPort log, Clock clock) {
        return new RunAsTaskService(orchestrator, d -> {
            OrchestratorOutboxService box = outbox.orElseThrow(() -> new IllegalStateException(
                    "a call to defer, but no orchestrator outbox"));
            return box.enqueue(new OutboxPort.Call(d.run(), d.request(), d.taskFrom()));
        }, m -> {
            OrchestratorOutboxService box = outbox.orElseThrow(() -> new IllegalStateException(
                    "a call to record, but no orchestrator outbox"));
            return box.record(new OutboxPort.Call(m.run(), m.request(), m.taskFrom()), m.at(), m.ending());
        }, () -> outbox.map(OrchestratorOutboxService::backlog).orElse(false), () -> UUID.randomUUID().toString(),
                log, clock);
    }

    @Provides
    static RunAsTaskUseCase runAsTask(RunAsTaskService service) {
        return service;
    }
}
