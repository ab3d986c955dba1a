package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.history.HealthHistoryService;
import dev.mcphealth.application.history.PruneHistoryService;
import dev.mcphealth.application.history.ReadFailuresService;
import dev.mcphealth.application.learning.ReportUsageService;
import dev.mcphealth.application.port.in.PruneHistoryUseCase;
import dev.mcphealth.application.port.in.ReadFailuresUseCase;
import dev.mcphealth.application.port.in.ReadHistoryUseCase;
import dev.mcphealth.application.port.in.ReadStatusUseCase;
import dev.mcphealth.application.port.in.ReportUsageUseCase;
import dev.mcphealth.application.port.out.FailureHistoryPort;
import dev.mcphealth.application.port.out.HealthHistoryPort;
import dev.mcphealth.application.port.out.RetentionPort;
import dev.mcphealth.application.port.out.ToolUsageStorePort;
import dev.mcphealth.application.port.out.UsageProfileStorePort;
import java.time.Clock;
import java.time.ZoneId;

/** Reading and pruning what was recorded, and the usage report made from it. */
@Module
public final class HistoryModule {
    private HistoryModule() {
    }

    @Provides
    static HealthHistoryService history(HealthHistoryPort port, Clock clock) {
        return new HealthHistoryService(port, clock);
    }

    /** The cluster's tables on PostgreSQL (docs/cluster.md); none on SQLite. */
    @Provides
    static dev.mcphealth.application.port.out.ClusterViewPort clusterView(
            dev.mcphealth.infrastructure.persistence.Database db) {
        if (!(db instanceof dev.mcphealth.infrastructure.persistence.PostgresDatabase)) {
            return dev.mcphealth.application.port.out.ClusterViewPort.NONE;
        }
        java.time.Duration lease;
        try {
            lease = dev.mcphealth.infrastructure.cluster.LeaseKeeper.leaseOf(System.getenv("MCP_HEALTH_CLUSTER_LEASE"));
        } catch (IllegalArgumentException e) {
            lease = dev.mcphealth.infrastructure.cluster.LeaseKeeper.LEASE; // said by the monitors that use it
        }
        return new dev.mcphealth.infrastructure.cluster.PostgresClusterView(db, lease);
    }

    @Provides
    static dev.mcphealth.application.port.in.ReadClusterUseCase readCluster(
            dev.mcphealth.application.port.out.ClusterViewPort cluster) {
        return new dev.mcphealth.application.history.ReadClusterService(cluster);
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
    static dev.mcphealth.application.port.in.ListRecordedServersUseCase recorded(HealthHistoryService s) {
        return s;
    }

    @Provides
    static PruneHistoryUseCase prune(RetentionPort retention, Clock clock) {
        return new PruneHistoryService(retention, clock);
    }

    /** The usage report: stored profiles, anomalies and minutes of calls, by this machine's weeks. */
    @Provides
    static ReportUsageUseCase reportUsage(UsageProfileStorePort profiles, ToolUsageStorePort usage,
            HealthHistoryPort statuses, dev.mcphealth.application.port.out.TrialStorePort trials, Clock clock,
            ZoneId zone, dev.mcphealth.application.port.out.FailoverConfigStorePort failoverConfigs,
            dev.mcphealth.application.port.out.ProbeProfileStorePort probeProfiles) {
        // from the database alone: each type's interval as the last run was configured, whether it was followed and
        // the servers' timeouts unknown; the servers of each type as the monitor last recorded them
        return new ReportUsageService(profiles, usage, statuses, trials, clock, zone, java.util.Optional.empty(),
                new dev.mcphealth.domain.learning.LimitAdvice.Unknown(), () -> {
                    java.util.Map<dev.mcphealth.domain.model.ServerId, dev.mcphealth.domain.learning.UsageProfile>
                            learned = probeProfiles(probeProfiles);
                    java.util.Map<dev.mcphealth.domain.model.ServerType, java.util.List<ReportUsageUseCase.ServerProbes>>
                            probes = new java.util.HashMap<>();
                    statuses.statuses().forEach(s -> probes.computeIfAbsent(s.type(), t -> new java.util.ArrayList<>())
                            .add(new ReportUsageUseCase.ServerProbes(s.server(), java.util.Optional.empty(),
                                    java.util.Optional.ofNullable(learned.get(s.server())))));
                    return new ReportUsageUseCase.ProbeHoursSettings(failoverConfigs.intervals(),
                            java.util.Optional.empty(), probes);
                });
    }

    /** Each server's stored probe-latency profile (saved every few minutes by a running monitor). */
    static java.util.Map<dev.mcphealth.domain.model.ServerId, dev.mcphealth.domain.learning.UsageProfile> probeProfiles(
            dev.mcphealth.application.port.out.ProbeProfileStorePort store) {
        java.util.Map<dev.mcphealth.domain.model.ServerId, dev.mcphealth.domain.learning.UsageProfile> learned =
                new java.util.HashMap<>();
        store.load().forEach(p -> learned.put(p.server(), dev.mcphealth.domain.learning.UsageProfile.restore(
                p.cells())));
        return learned;
    }

    @Provides
    static ReadFailuresUseCase readFailures(FailureHistoryPort port, Clock clock) {
        return new ReadFailuresService(port, clock);
    }
}
