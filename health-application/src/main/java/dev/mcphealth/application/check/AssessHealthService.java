package dev.mcphealth.application.check;

import dev.mcphealth.application.recovery.RecoveryProgress;
import dev.mcphealth.application.recovery.ManualRecovery;
import dev.mcphealth.application.recovery.RecoveryOutcome;
import dev.mcphealth.application.recovery.RecoveryGate;
import dev.mcphealth.domain.model.Faults;
import dev.mcphealth.domain.model.ProbeMetrics;

import dev.mcphealth.application.port.in.AssessHealthUseCase;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.RunAsTaskUseCase;
import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.recovery.RecoveryEpisode;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.monitoring.HealthStatusPolicy;
import dev.mcphealth.domain.recovery.RecoveryPolicy;
import dev.mcphealth.application.catalog.StandbyInstances;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A health check on demand beside the running monitor. Each selected instance is probed once, concurrently on the
 * given executor, over the monitor's shared sessions and under the same rule as the monitor's probes: while recovery
 * has an episode open for a stdio server, the probe does not start its process ({@link ProbePort#probeKept}), so a
 * check never restarts a server behind recovery's backoff. The outcome is classified with the server's thresholds
 * ({@link HealthStatusPolicy}) and never told to the monitor's windows or to recovery. It is stored only when the check
 * runs as an orchestrator task ({@link Query#link}): then each probe's metric rows ({@link ProbeMetrics}: the same
 * availability and response-time rows the monitor writes, with the probe's own status) go to the metric store in one
 * batch after all probes, carrying the run's session and task; a probe that threw inside MCP Health measured nothing
 * and gives no row. Without a link nothing is stored. With {@code autoRecover}, an instance whose probe failed in a
 * way a restart or reconnect can fix
 * ({@link RecoveryPolicy#recoverable}) gets one attempt on the same worker
 * ({@link ManualRecovery#attemptUnlessRecovering}) only when recovery has no episode open with it down (the failure is
 * this check's own finding, or the server was back in its episode); when recovery has it down, the check leaves it to
 * the episode's backoff and reports that episode ({@link RecoveryUnderWay}), so that polling the health of a
 * crash-looping server does not restart it at the polling rate. In a linked check each attempt is a step of the run
 * ({@link RunAsTaskUseCase.Steps}: a subtask of its task), and the failure episode it handles is linked to the step's
 * task, else the run's ({@link ManualRecovery#attemptUnlessRecovering(ServerId, Optional)}).
 * <p>
 * One instance's fault does not take the others with it: a probe that throws is reported as a failed probe of type
 * {@code server_error} naming the exception, and an attempt that throws as a failed attempt saying so.
 */
public final class AssessHealthService implements AssessHealthUseCase {
    private final ServerCatalogPort catalog;
    private final ProbePort probes;
    private final ObserveMonitoringUseCase monitor;
    private final RecoveryGate gate;
    private final ManualRecovery recovery;
    private final RecoveryProgress progress;
    private final MetricStorePort metrics;
    private final Clock clock;
    private final Executor executor;
    private final StandbyInstances standby;

    /**
     * @param metrics where a linked check's probes are recorded
     * @param executor runs one instance's probe (and recovery) per task; bound it, the caller waits for all
     */
    public <R extends RecoveryGate & ManualRecovery & RecoveryProgress> AssessHealthService(ServerCatalogPort catalog,
            ProbePort probes, ObserveMonitoringUseCase monitor, R recovery, MetricStorePort metrics, Clock clock,
            Executor executor) {
        this(catalog, probes, monitor, recovery, metrics, clock, executor, StandbyInstances.NONE);
    }

    /** @param standby the pools' standby instances: a cold one is not checked (it is meant not to run) */
    public <R extends RecoveryGate & ManualRecovery & RecoveryProgress> AssessHealthService(ServerCatalogPort catalog,
            ProbePort probes, ObserveMonitoringUseCase monitor, R recovery, MetricStorePort metrics, Clock clock,
            Executor executor, StandbyInstances standby) {
        this.standby = Objects.requireNonNull(standby, "standby");
        this.catalog = Objects.requireNonNull(catalog);
        this.probes = Objects.requireNonNull(probes);
        this.monitor = Objects.requireNonNull(monitor);
        this.recovery = Objects.requireNonNull(recovery);
        this.gate = recovery;
        this.progress = recovery;
        this.metrics = Objects.requireNonNull(metrics);
        this.clock = Objects.requireNonNull(clock);
        this.executor = Objects.requireNonNull(executor);
    }

    @Override
    public Assessment assess(Query query) {
        List<MonitoredServer> selected = ServerSelection.byType(catalog.servers(), query.types()).stream()
                .filter(s -> standby.probed(s.id())).toList();
        Instant checkedAt = clock.instant();
        List<CompletableFuture<Checked>> running = new ArrayList<>();
        for (MonitoredServer server : selected) {
            running.add(CompletableFuture.supplyAsync(() -> check(server, query.depth(), query.autoRecover(),
                    query.link()), executor));
        }
        List<Checked> checked = new ArrayList<>();
        for (CompletableFuture<Checked> f : running) {
            checked.add(Futures.joined(f));
        }
        Optional<String> storageProblem = query.link().flatMap(link -> record(checked, query.depth(), link));
        // read after the probes and any recovery, so that it is the monitor's latest word
        Map<ServerId, StatusSnapshot> live = monitor.snapshot().stream()
                .collect(Collectors.toMap(StatusSnapshot::server, Function.identity(), (a, b) -> a));
        List<Entry> entries = checked.stream().map(c -> new Entry(c.server(), c.status(), c.probe(),
                Optional.ofNullable(live.get(c.server().id())), c.recovery(), c.underWay())).toList();
        return new Assessment(checkedAt, query.depth(), entries, storageProblem);
    }

    /** {@code measured}: false when the probe threw inside MCP Health, so that its report measured nothing. */
    private record Checked(MonitoredServer server, HealthStatus status, ProbeReport probe, boolean measured,
                           Optional<RecoveryAttempt> recovery, Optional<RecoveryUnderWay> underWay) {
    }

    /** The linked run's probes as metric rows with its ids, in one batch; why they could not be stored, if so. */
    private Optional<String> record(List<Checked> checked, CheckDepth depth, RunAsTaskUseCase.Context link) {
        List<HealthMetric> rows = new ArrayList<>();
        for (Checked c : checked) {
            if (c.measured()) {
                ProbeMetrics.of(c.server(), c.probe(), c.status(), depth)
                        .forEach(m -> rows.add(m.linkedTo(link.sessionId(), link.taskId())));
            }
        }
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        try {
            metrics.append(rows);
            return Optional.empty();
        } catch (StorageUnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** One instance's check; it throws nothing a probe or an attempt threw. */
    private Checked check(MonitoredServer server, CheckDepth depth, boolean autoRecover,
                          Optional<RunAsTaskUseCase.Context> link) {
        Probed probed = probe(server, depth);
        ProbeReport report = probed.report();
        HealthStatus status = HealthStatusPolicy.classify(report.outcome(), server.thresholds());
        if (!(autoRecover && report.outcome() instanceof ProbeOutcome.Failed f
                && RecoveryPolicy.recoverable(f.type()))) {
            return new Checked(server, status, report, probed.measured(), Optional.empty(), Optional.empty());
        }
        RecoveryAction action = RecoveryPolicy.actionFor(server.transport());
        if (link.isEmpty() || leftToRecovery(server)) {
            // recovery's own episode has it (no attempt will be made now): no step of its own in a linked run; if
            // the episode closes meanwhile, the attempt is linked to the run's task
            return attempt(server, status, report, action, link.flatMap(RunAsTaskUseCase.Context::taskId));
        }
        // a step of the linked run: a subtask of its own, whose id the failure episode it handles is linked to
        return link.get().steps().run("Recover " + server.id().value() + " (" + action.code() + ")",
                "Health check found " + server.id().value() + " " + status.code() + " (" + f.type().code() + ": "
                        + f.message() + "); one " + action.code() + " now",
                task -> {
                    Checked c = attempt(server, status, report, action, task);
                    if (c.underWay().isPresent()) {
                        RecoveryUnderWay u = c.underWay().get();
                        return new RunAsTaskUseCase.Work<>(c, "no " + action.code() + " now: automatic recovery "
                                + "has it (" + u.attempts() + " attempt(s)" + (u.exhausted() ? ", exhausted" : "")
                                + ", next at " + u.nextAttemptAt() + ")", "");
                    }
                    RecoveryAttempt a = c.recovery().orElseThrow();
                    return new RunAsTaskUseCase.Work<>(c, action.code() + (a.succeeded() ? " succeeded" : " failed")
                            + (a.detail().isBlank() ? "" : ": " + a.detail()), "", !a.succeeded());
                });
    }

    /** Whether recovery's own episode has the server down, or an attempt of it runs: no attempt is made now then. */
    private boolean leftToRecovery(MonitoredServer server) {
        try {
            RecoveryProgress.Progress now = progress.progress(server.id());
            return now.attempting() || now.episode().filter(e -> !e.up()).isPresent();
        } catch (RuntimeException e) {
            return false; // the attempt below says what is wrong, as for any server
        }
    }

    /** One recovery attempt now, unless recovery's open episode has the server; linked to {@code recoveryTask}. */
    private Checked attempt(MonitoredServer server, HealthStatus status, ProbeReport report, RecoveryAction action,
                            Optional<String> recoveryTask) {
        ManualRecovery.NowOrLater done;
        try {
            done = recovery.attemptUnlessRecovering(server.id(), recoveryTask);
        } catch (RuntimeException e) {
            return new Checked(server, status, report, true, Optional.of(new RecoveryAttempt(action, false,
                    "the attempt failed inside MCP Health: " + Faults.describe(e))), Optional.empty());
        }
        if (done.leftTo().isPresent()) {
            RecoveryEpisode.Down episode = done.leftTo().get();
            return new Checked(server, status, report, true, Optional.empty(), Optional.of(new RecoveryUnderWay(
                    action, episode.attempts(), episode.nextAttemptAt(), episode.exhausted(), done.attemptRunning())));
        }
        RecoveryOutcome outcome = RecoveryOutcome.of(done.raised());
        return new Checked(server, status, report, true, Optional.of(new RecoveryAttempt(action,
                outcome.succeeded(), outcome.detail())), Optional.empty());
    }

    /** A probe's report; not {@code measured} when the probe threw and the report only says so. */
    private record Probed(ProbeReport report, boolean measured) {
    }

    private Probed probe(MonitoredServer server, CheckDepth depth) {
        Instant start = clock.instant();
        try {
            return new Probed(gate.probeMayConnect(server.id()) ? probes.probe(server, depth)
                    : probes.probeKept(server, depth), true);
        } catch (RuntimeException e) {
            return new Probed(new ProbeReport(server.id(), start, Optional.empty(),
                    Faults.probeThrew(e, Duration.between(start, clock.instant()))), false);
        }
    }
}
