package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.monitoring.Monitoring;
import dev.mcphealth.application.monitoring.MonitoringSettings;
import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.CoordinateFailoverUseCase;
import dev.mcphealth.application.port.in.ListToolsUseCase;
import dev.mcphealth.application.port.in.RecoverServersUseCase;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.application.port.out.ConcurrencyLimitPort;
import dev.mcphealth.application.port.out.FailoverConfigStorePort;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.SessionPort;
import dev.mcphealth.application.port.out.TimerPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.application.port.out.ToolSemanticsPort;
import dev.mcphealth.application.recovery.RecoveryService;
import dev.mcphealth.application.routing.CoordinateFailoverService;
import dev.mcphealth.application.routing.Hedger;
import dev.mcphealth.application.routing.ResilienceSettings;
import dev.mcphealth.application.routing.ResilientCallService;
import dev.mcphealth.domain.routing.Balancing;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.infrastructure.resilience.NetflixConcurrencyLimits;
import dev.mcphealth.infrastructure.scheduler.RecoveryScheduler;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/** Automatic recovery, its real-time loop, the resilient client and the failover coordinator. */
@Module
public final class RecoveryModule {
    private RecoveryModule() {
    }

    @Provides
    @Singleton
    static RecoveryService recovery(ServerCatalogPort catalog, SessionPort sessions, BreakerPort breakers,
                                    MonitorEventPort events, Clock clock, MonitoringSettings settings,
                                    dev.mcphealth.application.catalog.StandbyInstances standby,
                                    dev.mcphealth.application.port.out.WorkSharePort share) {
        return new RecoveryService(catalog, sessions, breakers, events, clock,
                () -> ThreadLocalRandom.current().nextDouble(), settings.intervalOverride(), standby, share);
    }

    @Provides
    static RecoverServersUseCase recoverServers(RecoveryService r) {
        return r;
    }

    @Provides
    @Singleton
    static RecoveryScheduler recoveryScheduler(RecoveryService r, Clock clock) {
        return new RecoveryScheduler(r, clock);
    }

    /** The built-in settings, with each server type balanced as the configuration says (HealthConfig.balancing). */
    @Provides
    static ResilienceSettings resilienceSettings(HealthConfig config) {
        return ResilienceSettings.DEFAULTS.withBalancing(config.balancing(), Balancing.DEFAULT)
                .withRetryBudget(config.retryBudget())
                .withCallTimeout(config.callTimeout(), config.adaptiveTimeouts())
                .withUsageWindow(config.learnedMinute());
    }

    @Provides
    @Singleton
    static ResilientCallService client(ServerCatalogPort catalog, ToolCallPort calls, BreakerPort breakers,
                                       ToolSemanticsPort semantics, Monitoring monitor,
                                       RecoveryService recovery, MonitorEventPort events, Clock clock,
                                       ResilienceSettings settings, HealthConfig config,
                                       dev.mcphealth.application.catalog.StandbyInstances standby,
                                       dev.mcphealth.infrastructure.metrics.ToolCallMetrics measured,
                                       java.util.Optional<dev.mcphealth.infrastructure.telemetry.Telemetry> telemetry) {
        // each tool call through the pools in the metrics (docs/metrics.md), and as a span when exported
        ToolCallPort traced = telemetry.map(t -> t.tracing().traced(calls)).orElse(calls);
        ResilientCallService client = new ResilientCallService(catalog, measured.measured(traced), breakers, semantics, monitor.board(),
                monitor.intake(), recovery, events, clock, settings, config.hedging() ? hedger() : Hedger.NONE,
                config.concurrencyLimit().<ConcurrencyLimitPort>map(l -> new NetflixConcurrencyLimits(
                        catalog.servers().stream().map(dev.mcphealth.domain.model.MonitoredServer::id).toList(), l,
                        System::nanoTime)).orElse(ConcurrencyLimitPort.NONE), standby);
        monitor.board().reportLoadsFrom(client.loads());
        return client;
    }

    /** Maximum requests running on lanes at once (a hedgeable call and its hedge each take one); beyond, unhedged. */
    private static final int HEDGE_LANES = 256;

    /**
     * The hedger of the call path: lanes from a bounded pool of daemon threads (idle ones end after a minute; when
     * all are busy a call runs unhedged on its caller's thread), and one timer thread whose ticks a call answered in
     * time cancels.
     */
    private static Hedger hedger() {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ThreadPoolExecutor lanes = new java.util.concurrent.ThreadPoolExecutor(0, HEDGE_LANES,
                60, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "mcp-health-call-lane-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        java.util.concurrent.ScheduledThreadPoolExecutor ticks = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                r -> {
                    Thread t = new Thread(r, "mcp-health-hedge-timer");
                    t.setDaemon(true);
                    return t;
                });
        ticks.setRemoveOnCancelPolicy(true); // a call answered before its delay leaves nothing behind
        TimerPort timer = delay -> {
            java.util.concurrent.CompletableFuture<Void> passed = new java.util.concurrent.CompletableFuture<>();
            java.util.concurrent.ScheduledFuture<?> tick = ticks.schedule(() -> passed.complete(null),
                    delay.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            passed.whenComplete((v, e) -> {
                if (passed.isCancelled()) {
                    tick.cancel(false);
                }
            });
            return passed;
        };
        return new Hedger(lanes, timer);
    }

    @Provides
    static CallToolUseCase callTool(ResilientCallService c) {
        return c;
    }

    @Provides
    static ListToolsUseCase listTools(ResilientCallService c) {
        return c;
    }

    @Provides
    static dev.mcphealth.application.port.in.ReadToolStatsUseCase toolStats(ResilientCallService c) {
        return c;
    }

    @Provides
    @Singleton
    static dev.mcphealth.application.port.in.RecordToolUsageUseCase toolUsage(ResilientCallService c,
            dev.mcphealth.application.port.out.ToolUsageStorePort store, Clock clock) {
        return new dev.mcphealth.application.routing.RecordToolUsageService(c.toolStatistics(), store, clock);
    }

    /**
     * Usage profiles, learned from the windows each flush writes, by the hours of the week of this machine's time zone
     * (people's weeks are local); their anomalies go where the monitor's events go.
     */
    @Provides
    @Singleton
    static dev.mcphealth.application.learning.LearnUsageService learner(
            dev.mcphealth.application.port.out.UsageProfileStorePort store, MonitorEventPort events, Clock clock,
            java.time.ZoneId zone, HealthConfig config) {
        return new dev.mcphealth.application.learning.LearnUsageService(store, events, clock, zone,
                config.learnedMinute());
    }

    /** The usage report of this running monitor: its profiles as learned now, the rest from the store. */
    @Provides
    @jakarta.inject.Named(LIVE_REPORT)
    static dev.mcphealth.application.port.in.ReportUsageUseCase liveReport(
            dev.mcphealth.application.port.out.UsageProfileStorePort profiles,
            dev.mcphealth.application.port.out.ToolUsageStorePort usage,
            dev.mcphealth.application.port.out.HealthHistoryPort statuses, Clock clock, java.time.ZoneId zone,
            dev.mcphealth.application.learning.LearnUsageService learner, HealthConfig config,
            java.util.function.Supplier<dev.mcphealth.application.port.in.ReportUsageUseCase.ProbeHoursSettings>
                    probeHours) {
        // the MCP tools show the trials in memory: the stored ones are the CLI report's
        return new dev.mcphealth.application.learning.ReportUsageService(profiles, usage, statuses,
                dev.mcphealth.application.port.out.TrialStorePort.NONE, clock, zone, java.util.Optional.of(learner),
                config.concurrencyLimit().<dev.mcphealth.domain.learning.LimitAdvice.InForce>map(l ->
                        new dev.mcphealth.domain.learning.LimitAdvice.Range(l.min(), l.max()))
                        .orElse(new dev.mcphealth.domain.learning.LimitAdvice.Off()), probeHours);
    }

    /** The name of the running monitor's usage report. */
    public static final String LIVE_REPORT = "live-usage-report";

    @Provides
    static dev.mcphealth.application.port.in.LearnUsageUseCase learning(
            dev.mcphealth.application.learning.LearnUsageService learner) {
        return learner;
    }

    @Provides
    static dev.mcphealth.application.port.in.ReadUsageProfilesUseCase usageProfiles(
            dev.mcphealth.application.learning.LearnUsageService learner) {
        return learner;
    }

    @Provides
    static dev.mcphealth.application.port.in.ForwardRequestUseCase forwardRequests(ResilientCallService c) {
        return c.upstream();
    }

    @Provides
    @Singleton
    static CoordinateFailoverService coordinator(ServerCatalogPort catalog, Monitoring monitor,
                                                 RecoveryService recovery, BreakerPort breakers,
                                                 SessionPort sessions, ResilientCallService client,
                                                 FailoverConfigStorePort configs, Clock clock,
                                                 ResilienceSettings settings, dev.mcphealth.application.catalog.StandbyInstances standby) {
        return new CoordinateFailoverService(catalog, monitor.board(), recovery, breakers, sessions, client, configs, clock,
                settings, standby);
    }

    /** The standby instances the configuration names (health.servers.NAME.standby), all cold at the start. */
    @Provides
    @Singleton
    static dev.mcphealth.application.catalog.StandbyInstances standby(HealthConfig config, Clock clock) {
        return config.standby().isEmpty() ? dev.mcphealth.application.catalog.StandbyInstances.NONE
                : new dev.mcphealth.application.catalog.StandbyRegistry(config.standby(), clock.instant());
    }

    /** Warms and cools the standby instances on each flush, from the pools' health and usage profiles. */
    @Provides
    @Singleton
    static dev.mcphealth.application.port.in.KeepStandbyUseCase keepStandby(ServerCatalogPort catalog,
            dev.mcphealth.application.catalog.StandbyInstances standby, Monitoring monitor, BreakerPort breakers, SessionPort sessions,
            dev.mcphealth.application.learning.LearnUsageService learner, MonitorEventPort events, Clock clock,
            java.time.ZoneId zone, HealthConfig config, ResilientCallService client, RecoveryService recovery) {
        return new dev.mcphealth.application.routing.KeepStandbyService(catalog, standby, monitor.board(), breakers,
                sessions, learner, events, clock, zone, config.prewarm(), client.loads(), config.callTimeout(),
                recovery::episode);
    }

    @Provides
    static CoordinateFailoverUseCase coordinate(CoordinateFailoverService c) {
        return c;
    }
}
