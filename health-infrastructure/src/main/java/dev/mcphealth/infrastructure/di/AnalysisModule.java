package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.in.AdviseTuningUseCase;
import dev.mcphealth.application.port.in.AnalyzeFailuresUseCase;
import dev.mcphealth.application.port.in.ApplyTuningUseCase;
import dev.mcphealth.application.port.in.JudgeTrialsUseCase;
import dev.mcphealth.application.port.in.ReadTrialsUseCase;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.PlanMonitoringUseCase;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.application.port.out.FailureHistoryPort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.tuning.AdviseTuningService;
import dev.mcphealth.application.history.AnalyzeFailuresService;
import dev.mcphealth.application.tuning.ApplyTuningService;
import dev.mcphealth.application.catalog.LiveServerCatalog;
import dev.mcphealth.application.monitoring.Monitoring;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Failure analysis over the recorded episodes, tuning advice from the running monitor's figures, its schedule and
 * each server's breaker settings in force (health.breaker unless changed), and applying that advice to the running
 * monitor, each change on trial until it is judged and kept or rolled back.
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
                                            BreakerPort breakers, Clock clock) {
        return new AdviseTuningService(catalog, monitor, plan, failures, breakers::settings, clock);
    }

    /**
     * One per run: it applies one command at a time, and keeps each applied change's trial (health.tuning.trialMinutes),
     * judged on the monitor's flush.
     */
    @Provides
    @Singleton
    static ApplyTuningService tuning(LiveServerCatalog catalog, Monitoring monitor, BreakerPort breakers,
                                     ObserveMonitoringUseCase observed, MonitorEventPort events,
                                     dev.mcphealth.application.port.out.TrialStorePort store, HealthConfig config,
                                     Clock clock) {
        return new ApplyTuningService(catalog, monitor.schedule(), breakers, observed, events, store,
                config.trialWindow(), clock);
    }

    @Provides
    static ApplyTuningUseCase applyTuning(ApplyTuningService tuning) {
        return tuning;
    }

    @Provides
    static JudgeTrialsUseCase judgeTrials(ApplyTuningService tuning) {
        return tuning;
    }

    @Provides
    static ReadTrialsUseCase readTrials(ApplyTuningService tuning) {
        return tuning;
    }

    /**
     * Each server type's probe interval in force now (the shortest of its servers': the configured one, --interval's,
     * or one the optimizer applied; not an idle hour's stretch), which its probe hours start from: read at each report.
     */
    @Provides
    static java.util.function.Supplier<dev.mcphealth.application.port.in.ReportUsageUseCase.ProbeHoursSettings>
            probeHoursSettings(ServerCatalogPort catalog, PlanMonitoringUseCase plan, HealthConfig config,
                               dev.mcphealth.application.port.out.ProbeProfileStorePort probeProfiles) {
        return () -> {
            java.util.Map<dev.mcphealth.domain.model.ServerId, java.time.Duration> inForce = new java.util.HashMap<>();
            plan.plan().forEach(e -> inForce.put(e.server(), e.base()));
            java.util.Map<dev.mcphealth.domain.model.ServerType, java.time.Duration> byType = new java.util.HashMap<>();
            catalog.servers().forEach(s -> byType.merge(s.type(), inForce.getOrDefault(s.id(),
                    s.failover().healthCheckInterval()), (a, b) -> a.compareTo(b) <= 0 ? a : b));
            // the probe profiles as last saved (every few minutes); each server's timeout in force
            java.util.Map<dev.mcphealth.domain.model.ServerId, dev.mcphealth.domain.learning.UsageProfile> learned =
                    HistoryModule.probeProfiles(probeProfiles);
            java.util.Map<dev.mcphealth.domain.model.ServerType,
                    java.util.List<dev.mcphealth.application.port.in.ReportUsageUseCase.ServerProbes>> probes =
                    new java.util.HashMap<>();
            catalog.servers().forEach(s -> probes.computeIfAbsent(s.type(), t -> new java.util.ArrayList<>()).add(
                    new dev.mcphealth.application.port.in.ReportUsageUseCase.ServerProbes(s.id(),
                            java.util.Optional.of(s.timeout()), java.util.Optional.ofNullable(learned.get(s.id())))));
            return new dev.mcphealth.application.port.in.ReportUsageUseCase.ProbeHoursSettings(byType,
                    java.util.Optional.of(config.followProbeHours()), probes);
        };
    }

    /**
     * Follows the probe hours on each flush when the configuration says so (health.tuning.probeHours: follow);
     * otherwise nothing: the report and the optimizer advise them.
     */
    @Provides
    @Singleton
    static dev.mcphealth.application.port.in.FollowProbeHoursUseCase probeHours(
            HealthConfig config, ServerCatalogPort catalog, Monitoring monitor, ObserveMonitoringUseCase observed,
            ApplyTuningService tuning, dev.mcphealth.application.learning.LearnUsageService learner, Clock clock,
            java.time.ZoneId zone) {
        return !config.followProbeHours() ? dev.mcphealth.application.port.in.FollowProbeHoursUseCase.NONE
                : new dev.mcphealth.application.tuning.FollowProbeHoursService(catalog, monitor.schedule(), observed,
                        tuning, learner, clock, zone);
    }
}
