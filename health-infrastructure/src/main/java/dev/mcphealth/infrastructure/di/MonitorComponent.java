package dev.mcphealth.infrastructure.di;

import dagger.BindsInstance;
import dagger.Component;
import dev.mcphealth.application.port.in.AdviseTuningUseCase;
import dev.mcphealth.application.port.in.AnalyzeFailuresUseCase;
import dev.mcphealth.application.port.in.ApplyTuningUseCase;
import dev.mcphealth.application.port.in.AssessHealthUseCase;
import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.PrepareShutdownUseCase;
import dev.mcphealth.application.port.in.ReadRecoveryStatusUseCase;
import dev.mcphealth.application.port.in.RecoverServerUseCase;
import dev.mcphealth.application.port.in.StressTestUseCase;
import dev.mcphealth.application.port.in.CoordinateFailoverUseCase;
import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase;
import dev.mcphealth.application.port.in.ListToolsUseCase;
import dev.mcphealth.application.port.in.ReadFailuresUseCase;
import dev.mcphealth.application.port.in.ReadHistoryUseCase;
import dev.mcphealth.application.port.in.RunMonitoringRoundUseCase;
import dev.mcphealth.application.port.out.FailoverConfigStorePort;
import dev.mcphealth.infrastructure.scheduler.RecoveryScheduler;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.infrastructure.events.EventFanout;
import dev.mcphealth.infrastructure.events.EventSink;
import dev.mcphealth.application.monitoring.MonitoringSettings;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.infrastructure.persistence.Database;
import dev.mcphealth.infrastructure.probe.McpProbe;
import dev.mcphealth.infrastructure.scheduler.MonitorScheduler;
import dev.mcphealth.infrastructure.scheduler.OutboxScheduler;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * A running monitor with recovery and the resilient client: configuration, database, sessions, monitor, recovery,
 * breakers, their schedulers. The composition root shared by {@code watch}/{@code call}/{@code failover} and by
 * {@link McpHealth}, the facade for embedding.
 */
@Singleton
@Component(modules = {ClockModule.class, ConfigModule.class, PersistenceModule.class, ProbeModule.class,
    MonitoringModule.class, HistoryModule.class, RecoveryModule.class, ResilienceModule.class,
    AnalysisModule.class, OperationsModule.class, OrchestratorModule.class, OutboxModule.class,
    OrchestratorWorkflowModule.class, EventsModule.class, MetricsModule.class})
public interface MonitorComponent {
    HealthConfig config();

    /** Every sink of this monitor, the caller's and health.alerts'; closed by whoever stops the monitor. */
    EventFanout events();

    Database database();

    /** The monitor's part in a cluster: present when its database is PostgreSQL (docs/cluster.md). */
    java.util.Optional<dev.mcphealth.infrastructure.cluster.LeaseKeeper> cluster();

    McpProbe probe();

    MonitorScheduler scheduler();

    ObserveMonitoringUseCase monitor();

    /** The monitor's Prometheus metrics, for a /metrics endpoint (docs/metrics.md). */
    dev.mcphealth.infrastructure.metrics.PrometheusMetrics metrics();

    /** OpenTelemetry export, when the OTEL_* variables ask for it. */
    java.util.Optional<dev.mcphealth.infrastructure.telemetry.Telemetry> telemetry();

    RecoveryScheduler recoveryScheduler();

    CallToolUseCase client();

    ListToolsUseCase tools();

    /** The servers' sessions: who is told when one is lost, or says its tools changed. */
    dev.mcphealth.application.port.out.SessionPort sessions();

    /** How each tool called through the pools has fared lately. */
    dev.mcphealth.application.port.in.ReadToolStatsUseCase toolStats();

    /** What the usage profiles expect now and their open anomalies (docs/learning.md). */
    dev.mcphealth.application.port.in.ReadUsageProfilesUseCase usageProfiles();

    /** The usage report of this running monitor (its profiles as learned now). */
    @jakarta.inject.Named(RecoveryModule.LIVE_REPORT)
    dev.mcphealth.application.port.in.ReportUsageUseCase reportUsage();

    /** The servers' prompts and resources through their pools (gateway mode). */
    dev.mcphealth.application.port.in.ForwardRequestUseCase forwardRequests();

    CoordinateFailoverUseCase coordinator();

    RunMonitoringRoundUseCase rounds();

    /** Carries or closes what an earlier run left open; run once, before monitoring starts. */
    dev.mcphealth.application.port.in.ResumeEpisodesUseCase resumeEpisodes();

    FailoverConfigStorePort failoverConfigs();

    AnalyzeFailuresUseCase analyzeFailures();

    AdviseTuningUseCase adviseTuning();

    ApplyTuningUseCase applyTuning();

    /** The trials of the changes applied since the start: running, and the latest ended. */
    dev.mcphealth.application.port.in.ReadTrialsUseCase readTrials();

    AssessHealthUseCase assessHealth();

    StressTestUseCase stressTest();

    ReadRecoveryStatusUseCase recoveryStatus();

    RecoverServerUseCase recoverServer();

    PrepareShutdownUseCase prepareShutdown();

    ReadHistoryUseCase readHistory();

    ReadFailuresUseCase readFailures();

    /** The monitors sharing the database and who holds which server; empty on SQLite (docs/cluster.md). */
    dev.mcphealth.application.port.in.ReadClusterUseCase readCluster();

    Optional<dev.mcphealth.application.port.out.OrchestratorPort> orchestrator();

    dev.mcphealth.application.port.in.RunAsTaskUseCase runAsTask();

    /** The orchestrator outbox's delivery loop; empty when no orchestrator is configured. */
    Optional<OutboxScheduler> outboxScheduler();

    /** Delivers what waits in the orchestrator outbox now; empty when no orchestrator is configured. */
    Optional<DeliverOrchestratorUpdatesUseCase> deliverOrchestratorUpdates();

    /**
     * Closes the orchestrator tasks MCP Health planned and did not see closed (the outbox loop runs it); empty when no
     * orchestrator is configured.
     */
    Optional<dev.mcphealth.application.port.in.ReconcileOrchestratorTasksUseCase> reconcileOrchestratorTasks();

    /** The orchestrator's own health check (self-monitoring); empty when no orchestrator is configured. */
    Optional<dev.mcphealth.application.port.in.CheckOrchestratorUseCase> checkOrchestrator();

    /** The orchestrator's status for dashboards; empty when no orchestrator is configured. */
    Optional<dev.mcphealth.application.port.in.ReadOrchestratorStatusUseCase> orchestratorStatus();

    /** The orchestrator's cleanup after an optimization; empty when no orchestrator is configured. */
    Optional<dev.mcphealth.application.port.in.CleanUpOrchestratorUseCase> cleanUpOrchestrator();

    /** Recovery testing on the orchestrator; empty when no orchestrator is configured. */
    Optional<dev.mcphealth.application.port.in.TestOrchestratorRecoveryUseCase> testOrchestratorRecovery();

    @Component.Factory
    interface Factory {
        /** {@code sinks}: where the caller wants events, before the configuration's own ({@link EventsModule}). */
        MonitorComponent create(@BindsInstance RunSettings settings, @BindsInstance MonitoringSettings monitoring,
                              @BindsInstance List<EventSink> sinks);
    }
}
