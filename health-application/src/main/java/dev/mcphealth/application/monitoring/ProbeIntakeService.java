package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.port.in.RecordCallUseCase;
import dev.mcphealth.application.port.in.RunScheduledProbeUseCase;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.recovery.FailureObserver;
import dev.mcphealth.application.recovery.RecoveryGate;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeDetails;
import dev.mcphealth.domain.model.ProbeMetrics;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.ToolDrift;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.monitoring.HealthState;
import dev.mcphealth.domain.monitoring.HealthStatusPolicy;
import dev.mcphealth.domain.monitoring.HysteresisPolicy;
import dev.mcphealth.domain.monitoring.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes in what is seen of a server: each probe's report through hysteresis into a status, its alert and failure
 * episodes, tool drift, forecasts and rolling windows, rows to the buffer; and real calls into the windows. Asks
 * recovery whether a probe may open a session and tells it what each probe saw. Thread-safe: probes of different
 * servers may run at once, each taken in under its server's lock.
 */
public final class ProbeIntakeService implements RunScheduledProbeUseCase, RecordCallUseCase {
    /** Real calls in the last minute before their error rate may change a status: fewer say too little. */
    static final int MIN_CALLS_FOR_ERROR_RATE = 20;

    private final MonitorState state;
    private final EpisodeSteps steps;
    private final ServerCatalogPort catalog;
    private final ProbePort probes;
    private final Optional<RecoveryGate> gate;
    private final Optional<FailureObserver> observer;

    ProbeIntakeService(MonitorState state, EpisodeSteps steps, ServerCatalogPort catalog, ProbePort probes,
                       Optional<RecoveryGate> gate, Optional<FailureObserver> observer) {
        this.state = state;
        this.steps = steps;
        this.catalog = catalog;
        this.probes = probes;
        this.gate = gate;
        this.observer = observer;
    }

    @Override
    public List<MonitorEvent> probe(Command command) {
        ServerMonitor m = state.monitor(command.server());
        if (!state.standby.probed(m.server.id()) || !state.share.owns(m.server.id())) {
            // a cold standby instance (out of service, not running), or another monitor's: not probed
            return List.of();
        }
        Instant start = state.clock.instant();
        state.self.probeStarted(start, Duration.between(command.scheduledAt(), start), command.missedBefore());
        boolean mayConnect = gate.map(r -> r.probeMayConnect(m.server.id())).orElse(true);
        // the catalog as it is now: a probe timeout changed while the monitor runs applies from this probe on
        MonitoredServer server = catalog.server(m.server.id()).orElse(m.server);
        ProbeReport report = mayConnect ? probes.probe(server, state.settings.depth())
                : probes.probeKept(server, state.settings.depth());
        List<MonitorEvent> raised;
        synchronized (m) {
            if (state.stopped || !command.current().getAsBoolean() || !state.standby.probed(m.server.id())
                    || !state.share.owns(m.server.id())) {
                // stopped, a late answer of a probe the watchdog has given up on, a standby instance cooled while it
                // was probed, or a server another monitor took meanwhile
                return List.of();
            }
            // A wall clock stepped back must not take a server's own history backwards (an alert resolved before it
            // was raised): per server, time only moves forward.
            Instant now = state.clock.instant();
            Instant done = m.lastSeen.filter(now::isBefore).orElse(now);
            m.lastSeen = Optional.of(done);
            raised = take(m, report, done);
        }
        raised.forEach(state.events::publish);
        if (command.current().getAsBoolean()) {
            observer.ifPresent(r -> r.observed(m.server.id(), report.outcome()));
        }
        return raised;
    }

    @Override
    public void record(Call call) {
        ServerMonitor m = state.monitor(call.server());
        Instant now = state.clock.instant();
        synchronized (m) {
            m.windows.add(now, false, call.failed(), call.failed() ? Optional.empty() : Optional.of(call.latency()));
        }
    }

    private List<MonitorEvent> take(ServerMonitor m, ProbeReport report, Instant now) {
        MonitoredServer server = m.server;
        ProbeOutcome outcome = report.outcome();
        Instant at = report.startedAt();
        List<MonitorEvent> raised = new ArrayList<>();
        boolean answered = outcome instanceof ProbeOutcome.Answered;
        Optional<Duration> latency = outcome instanceof ProbeOutcome.Answered a
                ? Optional.of(a.responseTime()) : Optional.empty();
        m.windows.add(at, true, !answered, latency);
        m.slaProbes++;
        if (answered) {
            m.slaAnswered++;
        }

        // an episode left open by an earlier run is decided by this run's first observation
        Optional<Instant> carried = m.carriedUntil;
        m.carriedUntil = Optional.empty();
        if (outcome instanceof ProbeOutcome.Failed f && f.type() != FailureType.RATE_LIMIT) {
            EpisodeSteps.wentDown(m, at);
            carried = Optional.empty(); // still failing: the episode goes on in this run
        } else {
            EpisodeSteps.cameUp(m, at); // a 429 is an answer too: the server is up, only busy
        }
        Observation observation;
        Optional<MonitorEvent.FailureSummary> failed = Optional.empty();
        if (outcome instanceof ProbeOutcome.Failed f) {
            observation = new Observation.Failed(f.type());
            failed = Optional.of(new MonitorEvent.FailureSummary(f.type(), f.message()));
            m.lastFailure = failed;
            m.lastFailureAt = Optional.of(at);
        } else {
            HealthStatus level = HealthStatusPolicy.classify(outcome, server.thresholds());
            observation = new Observation.Answered(HealthStatus.worstOf(List.of(level, realTrafficLevel(m, now))));
        }
        HealthState before = m.state;
        m.state = HysteresisPolicy.next(before, observation, server.thresholds());
        HealthStatus status = m.state.status().orElseThrow();
        if (!before.status().equals(m.state.status())) {
            m.statusChanged(now);
            state.changedStatuses.add(server.id());
            raised.add(new MonitorEvent.StatusChanged(server.id(), before.status(), status, now, failed));
        }
        steps.alerts(m, status, failed, latency, now, raised, carried);
        steps.failures(m, failed, status, at, now, "monitor interval=" + m.interval.toSeconds() + "s depth="
                + state.settings.depth().code() + " server=" + m.server.id(), carried);
        drift(m, outcome, now, raised);
        raised.addAll(m.predictions.observe(server.id(), at, latency.map(ProbeDetails::millis),
                m.windows.counts(now, RollingWindows.ONE_MINUTE).errorRate()));

        ProbeMetrics.of(server, report, status, state.settings.depth()).forEach(state.buffer::add);
        if (m.lastAggregateAt.isEmpty()) {
            m.lastAggregateAt = Optional.of(now);
        } else if (!now.isBefore(m.lastAggregateAt.get().plus(MonitorState.AGGREGATE_EVERY))) {
            // the minute of complete buckets, so that calls per second are over a whole minute
            WindowStats minute = m.windows.counts(RollingWindows.lastCompleteBefore(now), RollingWindows.ONE_MINUTE);
            Map<String, String> window = Map.of("window", "1m", "calls", Long.toString(minute.calls()));
            minute.errorRate().ifPresent(r -> state.buffer.add(HealthMetric.of(server, MetricType.ERROR_RATE, r,
                    status, window, now)));
            state.buffer.add(HealthMetric.of(server, MetricType.THROUGHPUT, minute.throughput(), status, window,
                    now));
            m.lastAggregateAt = Optional.of(now);
        }
        return raised;
    }

    /** What the error rate of real calls in the last minute says, when there were enough of them to say anything. */
    private static HealthStatus realTrafficLevel(ServerMonitor m, Instant now) {
        WindowStats minute = m.windows.counts(now, RollingWindows.ONE_MINUTE);
        long realCalls = minute.calls() - minute.probes();
        if (realCalls < MIN_CALLS_FOR_ERROR_RATE) {
            return HealthStatus.HEALTHY;
        }
        long realErrors = minute.errors() - (minute.probes() - minute.answeredProbes());
        double rate = (double) realErrors / realCalls;
        if (rate >= m.server.thresholds().errorRateCritical()) {
            return HealthStatus.CRITICAL;
        }
        return rate >= m.server.thresholds().errorRateWarning() ? HealthStatus.WARNING : HealthStatus.HEALTHY;
    }

    private static void drift(ServerMonitor m, ProbeOutcome outcome, Instant now, List<MonitorEvent> raised) {
        if (outcome instanceof ProbeOutcome.Answered a && a.tools().isPresent()) {
            if (m.tools.isPresent()) {
                ToolDrift.between(m.tools.get(), a.tools().get())
                        .ifPresent(d -> raised.add(new MonitorEvent.ToolsDrifted(m.server.id(), d, now)));
            }
            m.tools = a.tools();
        }
    }
}
