package dev.mcphealth.infrastructure.di;

import dev.mcphealth.application.port.in.FlushMonitoringUseCase;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.PlanMonitoringUseCase;
import dev.mcphealth.application.port.in.PruneHistoryUseCase;
import dev.mcphealth.application.port.in.RecordCallUseCase;
import dev.mcphealth.application.port.in.RecordToolUsageUseCase;
import dev.mcphealth.application.port.in.RunMonitoringRoundUseCase;
import dev.mcphealth.application.port.in.RunScheduledProbeUseCase;
import dev.mcphealth.application.port.in.StopMonitoringUseCase;
import dev.mcphealth.application.port.out.AlertStorePort;
import dev.mcphealth.application.port.out.BreakerLogPort;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.application.recovery.RecoveryService;
import dev.mcphealth.application.port.out.FailoverConfigStorePort;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.StatusStorePort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.monitoring.Monitoring;
import dev.mcphealth.application.monitoring.MonitoringSettings;
import dev.mcphealth.infrastructure.cluster.LeaseKeeper;
import dev.mcphealth.infrastructure.persistence.Database;
import dev.mcphealth.infrastructure.scheduler.MonitorScheduler;
import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.in.ResumeEpisodesUseCase;
import dev.mcphealth.application.port.out.OpenEpisodesPort;
import dev.mcphealth.application.monitoring.ResumeEpisodesService;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The continuous monitor and its real-time loop. The composition root binds the {@link MonitoringSettings} and the
 * {@link MonitorEventPort} (where events go depends on how it runs).
 */
@Module
public final class MonitoringModule {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorScheduler.class);

    private MonitoringModule() {
    }

    @Provides
    @Singleton
    static Monitoring monitoring(ServerCatalogPort catalog, ProbePort probe, MetricStorePort metrics,
                                 FailureStorePort failures, AlertStorePort alerts, StatusStorePort statuses,
                                 BreakerLogPort breakerLog, BreakerPort breakers, MonitorEventPort events,
                                 Clock clock, MonitoringSettings settings, RecoveryService recovery,
                                 dev.mcphealth.application.port.out.ProbeProfileStorePort probeProfiles,
                                 dev.mcphealth.application.catalog.StandbyInstances standby,
                                 dev.mcphealth.infrastructure.metrics.ProbeMetrics measured,
                                 java.util.Optional<dev.mcphealth.infrastructure.telemetry.Telemetry> telemetry,
                                 Optional<LeaseKeeper> cluster,
                                 dev.mcphealth.application.port.out.WorkSharePort share,
                                 dev.mcphealth.application.port.out.OpenEpisodesPort open,
                                 dev.mcphealth.application.port.out.HealthHistoryPort stored) {
        // the monitor's own probes in the metrics (docs/metrics.md), and as spans when exported; a check's or a
        // stress test's are not
        ProbePort probes = measured.measured(telemetry.map(t -> t.tracing().traced(probe)).orElse(probe));
        Monitoring m = new Monitoring(catalog, probes, metrics, failures, alerts, statuses, breakerLog, events, clock,
                settings, Optional.of(recovery), probeProfiles, standby,
                share, open, cluster.map(k -> stored)); // a member shows the others' servers as they stored them
        cluster.ifPresent(k -> k.reportTo(m.share())); // servers taken over carry their episodes on
        recovery.reportTo(m.episodes()); // the monitor's failure episodes and alerts say what recovery did
        breakers.onTransition(change -> {
            m.board().breakerChanged(change);
            events.publish(change);
        });
        return m;
    }

    @Provides
    static ResumeEpisodesUseCase resumeEpisodes(OpenEpisodesPort open, FailureStorePort failures,
                                                AlertStorePort alerts, Monitoring m, Clock clock) {
        return new ResumeEpisodesService(open, failures, alerts, m.episodes(), clock);
    }

    @Provides
    static RunMonitoringRoundUseCase rounds(Monitoring m) {
        return m.schedule();
    }

    @Provides
    static RunScheduledProbeUseCase scheduledProbes(Monitoring m) {
        return m.intake();
    }

    @Provides
    static FlushMonitoringUseCase flush(Monitoring m) {
        return m.flusher();
    }

    @Provides
    static ObserveMonitoringUseCase observe(Monitoring m) {
        return m.board();
    }

    @Provides
    static RecordCallUseCase calls(Monitoring m) {
        return m.intake();
    }

    @Provides
    static StopMonitoringUseCase stop(Monitoring m) {
        return m.flusher();
    }

    @Provides
    static PlanMonitoringUseCase plan(Monitoring m) {
        return m.schedule();
    }

    /**
     * The monitor's part in a cluster when its database is PostgreSQL (docs/cluster.md): the remote servers are shared
     * out among the monitors on the database by leases, and every write of a remote server's rows is fenced by its
     * lease. The lease time is {@link LeaseKeeper#LEASE}, or {@code $MCP_HEALTH_CLUSTER_LEASE} seconds (at least 3).
     * Empty on SQLite: one monitor per file.
     */
    @Provides
    @Singleton
    static Optional<LeaseKeeper> cluster(Database db, ServerCatalogPort catalog, RunSettings run) {
        if (!run.sharesWork() || !(db instanceof dev.mcphealth.infrastructure.persistence.PostgresDatabase pg)) {
            return Optional.empty();
        }
        java.time.Duration lease;
        try {
            lease = LeaseKeeper.leaseOf(System.getenv("MCP_HEALTH_CLUSTER_LEASE"));
        } catch (IllegalArgumentException e) {
            throw new dev.mcphealth.infrastructure.config.ConfigException(e.getMessage());
        }
        java.util.Set<String> remote = new java.util.TreeSet<>();
        catalog.servers().stream().filter(s -> s.transport() != dev.mcphealth.domain.model.TransportKind.STDIO)
                .forEach(s -> remote.add(s.id().value()));
        LeaseKeeper keeper = new LeaseKeeper(pg, remote, lease, System::nanoTime);
        pg.fenceWith(keeper);
        return Optional.of(keeper);
    }

    /** Which servers this monitor probes and records: its share in a cluster, else every one. */
    @Provides
    static dev.mcphealth.application.port.out.WorkSharePort share(Optional<LeaseKeeper> cluster) {
        return cluster.map(k -> (dev.mcphealth.application.port.out.WorkSharePort) k)
                .orElse(dev.mcphealth.application.port.out.WorkSharePort.ALL);
    }

    /**
     * Flushes every second and prunes hourly with the default retention. A storage problem is logged once when writing
     * stops, with its first cause, and once when it works again, at the same level, so that whoever saw rows wait
     * learns they were written. A flush that fails at another step or for another reason meanwhile (the status board,
     * then the metrics; the lock, then a full disk) is the same episode and is not said again: the cause of the moment
     * is in the monitor's own status row ({@code storageProblem}), and what is still unwritten at the end is said then.
     * Before each flush the database file is checked ({@link Database#reopenIfReplaced()}): made again when it
     * was deleted, the failover configuration is saved to it again, as at start, and the monitor writes again what it
     * holds open.
     */
    @Provides
    @Singleton
    static MonitorScheduler scheduler(Monitoring m, PruneHistoryUseCase prune, ServerCatalogPort catalog,
                                      Database db, FailoverConfigStorePort failoverConfigs,
                                      RecordToolUsageUseCase toolUsage,
                                      dev.mcphealth.application.port.in.LearnUsageUseCase learning,
                                      dev.mcphealth.application.port.in.JudgeTrialsUseCase trials,
                                      dev.mcphealth.application.port.in.KeepStandbyUseCase standby,
                                      dev.mcphealth.application.port.in.FollowProbeHoursUseCase probeHours,
                                      Clock clock) {
        AtomicBoolean failing = new AtomicBoolean();
        // rows dropped before this outage began: the count in a report is since monitoring began
        java.util.concurrent.atomic.AtomicLong droppedBefore = new java.util.concurrent.atomic.AtomicLong();
        MonitorScheduler.StoreCheck check = () -> db.reopenIfReplaced().map(replaced -> {
            try {
                failoverConfigs.save(McpHealth.failoverConfigs(catalog.servers()));
            } catch (StorageUnavailableException e) {
                LOG.warn("the failover configuration could not be saved again: {}", e.getMessage());
            }
            return replaced;
        });
        // each flush writes the tools' minutes that ended too, and the stop the minute under way
        AtomicBoolean usageFailing = new AtomicBoolean();
        // and learns them (usage profiles), saving what was learned every few minutes and at the stop
        AtomicBoolean learningFailing = new AtomicBoolean();
        // and keeps the servers' probe-latency profiles (the seasonality of their latency forecasts)
        AtomicBoolean probeProfilesFailing = new AtomicBoolean();
        // and ends the trials of applied tuning changes that are due
        AtomicBoolean trialsFailing = new AtomicBoolean();
        // and warms and cools the pools' standby instances
        AtomicBoolean standbyFailing = new AtomicBoolean();
        // and probes each server as often as the hour of its week asks (health.tuning.probeHours: follow)
        AtomicBoolean hoursFailing = new AtomicBoolean();
        java.util.function.UnaryOperator<dev.mcphealth.application.port.in.FlushReport> after = report -> {
            java.time.Instant collected = clock.instant(); // before the windows: idle minutes only up to here
            RecordToolUsageUseCase.Written w = toolUsage.record(false);
            said(w, usageFailing, false);
            learned(learning.learn(w.ended(), collected, false), learningFailing, false);
            kept(m.probeProfiles().keep(false), probeProfilesFailing, false);
            return report;
        };
        FlushMonitoringUseCase flusher = new FlushMonitoringUseCase() {
            @Override
            public dev.mcphealth.application.port.in.FlushReport flush() {
                return after.apply(m.flusher().flush());
            }

            @Override
            public dev.mcphealth.application.port.in.FlushReport flushDue() {
                return after.apply(m.flusher().flushDue());
            }
        };
        StopMonitoringUseCase stopper = () -> {
            dev.mcphealth.application.port.in.FlushReport report = m.flusher().stop();
            java.time.Instant collected = clock.instant();
            RecordToolUsageUseCase.Written w = toolUsage.record(true);
            said(w, usageFailing, true);
            learned(learning.learn(w.ended(), collected, true), learningFailing, true);
            kept(m.probeProfiles().keep(true), probeProfilesFailing, true);
            judged(trials, trialsFailing, true); // the trials under way end with the stop
            return report;
        };
        return new MonitorScheduler(m.schedule(), m.intake(), flusher, stopper, Optional.of(prune),
                PruneHistoryUseCase.Command.DEFAULTS, report -> {
            boolean now = report.storageProblem().isPresent();
            if (failing.getAndSet(now) != now) {
                long dropped = report.dropped() - droppedBefore.get();
                if (now) {
                    droppedBefore.set(report.dropped());
                }
                report.storageProblem().ifPresentOrElse(
                        p -> LOG.warn("cannot record, {} rows wait: {}", report.pending(), p),
                        () -> LOG.warn("recording again: {}", dropped > 0 ? dropped + " metric rows"
                                + " were dropped while the database was unavailable (the buffer was full), every"
                                + " other row that waited is written" : "every row that waited is written"));
            }
        }, Optional.of(MonitorScheduler.Watchdog.defaults(server -> catalog.server(server) // by id: every 5 s
                .map(x -> x.connectTimeout().multipliedBy(4).plus(x.timeout().multipliedBy(2))
                        .plus(java.time.Duration.ofSeconds(30)))
                .orElse(java.time.Duration.ofSeconds(90)), m.board())),
                Optional.of(new MonitorScheduler.StoreGuard(check, m.flusher())),
                // changes applied by the optimizer whose trial window is over, also while the database is away
                () -> {
                    judged(trials, trialsFailing, false);
                    kept(standby, standbyFailing);
                    followed(probeHours, hoursFailing);
                });
    }

    /** Keeps the standby instances; a fault is logged once (and once more when it passes), never fails the flush. */
    private static void kept(dev.mcphealth.application.port.in.KeepStandbyUseCase standby, AtomicBoolean failing) {
        try {
            standby.keep();
            if (failing.getAndSet(false)) {
                LOG.warn("keeping the standby instances works again");
            }
        } catch (RuntimeException e) {
            if (!failing.getAndSet(true)) {
                LOG.error("keeping the standby instances failed: {}", dev.mcphealth.domain.model.Faults.describe(e));
            }
        }
    }

    /**
     * Follows the probe hours, each change logged with its evidence; a fault is logged once (and once more when it
     * passes), never fails the flush.
     */
    private static void followed(dev.mcphealth.application.port.in.FollowProbeHoursUseCase hours,
                                 AtomicBoolean failing) {
        try {
            for (var r : hours.follow()) {
                LOG.info("probing {} every {} s instead of {} s: {}", r.server(), r.to().toSeconds(),
                        r.from().toSeconds(), r.why());
            }
            if (failing.getAndSet(false)) {
                LOG.warn("following the probe hours works again");
            }
        } catch (RuntimeException e) {
            if (!failing.getAndSet(true)) {
                LOG.error("following the probe hours failed: {}", dev.mcphealth.domain.model.Faults.describe(e));
            }
        }
    }

    /** Ends the trials that are due; a fault is logged once (and once more when it passes), never fails the flush. */
    private static void judged(dev.mcphealth.application.port.in.JudgeTrialsUseCase trials, AtomicBoolean failing,
                               boolean stopping) {
        try {
            trials.judge(stopping);
            if (failing.getAndSet(false)) {
                LOG.warn("judging applied tuning changes works again");
            }
        } catch (RuntimeException e) {
            if (!failing.getAndSet(true)) {
                LOG.error("judging applied tuning changes failed: {}", dev.mcphealth.domain.model.Faults.describe(e));
            }
        }
    }

    /** Says on stderr when learning usage cannot read or save its profiles, and when it can again. */
    private static void learned(dev.mcphealth.application.port.in.LearnUsageUseCase.Learned l, AtomicBoolean failing,
                                boolean stopping) {
        boolean now = l.problem().isPresent();
        if (stopping && now) {
            LOG.warn("at the stop: {}", l.problem().get());
        } else if (failing.getAndSet(now) != now) {
            l.problem().ifPresentOrElse(p -> LOG.warn("{}", p),
                    () -> LOG.warn("usage profiles saved again"));
        }
    }

    /** Says on stderr when the probe-latency profiles cannot be read or saved, and when they can again. */
    private static void kept(Optional<String> problem, AtomicBoolean failing, boolean stopping) {
        boolean now = problem.isPresent();
        if (stopping && now) {
            LOG.warn("at the stop: {}", problem.get());
        } else if (failing.getAndSet(now) != now) {
            problem.ifPresentOrElse(p -> LOG.warn("{}", p), () -> LOG.warn("probe latency profiles saved again"));
        }
    }

    /** Says on stderr when the tools' usage rows begin or stop waiting for the store, and what is lost at the stop. */
    private static void said(RecordToolUsageUseCase.Written w, AtomicBoolean failing, boolean stopping) {
        boolean now = w.problem().isPresent();
        if (stopping && now) {
            LOG.warn("{} tool usage row(s) not written at the stop: {}", w.pending(), w.problem().get());
        } else if (failing.getAndSet(now) != now) {
            w.problem().ifPresentOrElse(p -> LOG.warn("cannot record tool usage, {} row(s) wait: {}", w.pending(), p),
                    () -> LOG.warn("recording tool usage again: every row that waited is written"));
        }
    }
}
