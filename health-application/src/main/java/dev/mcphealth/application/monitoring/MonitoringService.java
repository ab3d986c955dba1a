package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.recovery.FailureObserver;
import dev.mcphealth.application.recovery.RecoveryGate;
import dev.mcphealth.application.recovery.RecoveryListener;
import dev.mcphealth.domain.model.ProbeDetails;
import dev.mcphealth.domain.model.ProbeMetrics;

import dev.mcphealth.application.port.in.FlushMonitoringUseCase;
import dev.mcphealth.application.port.in.FlushReport;
import dev.mcphealth.application.port.in.MonitoringRound;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.PlanMonitoringUseCase;
import dev.mcphealth.application.port.in.RecordCallUseCase;
import dev.mcphealth.application.port.in.RunMonitoringRoundUseCase;
import dev.mcphealth.application.port.in.RunScheduledProbeUseCase;
import dev.mcphealth.application.port.in.StopMonitoringUseCase;
import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.application.port.out.AlertStorePort;
import dev.mcphealth.application.port.out.BreakerLogPort;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.StatusStorePort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.routing.InstanceView;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.monitoring.AlertEpisode;
import dev.mcphealth.domain.monitoring.FailureEpisode;
import dev.mcphealth.domain.monitoring.HealthState;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.monitoring.Observation;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.ToolDrift;
import dev.mcphealth.domain.model.Uptime;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.monitoring.HealthStatusPolicy;
import dev.mcphealth.domain.monitoring.HysteresisPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The continuous monitor: takes each probe's report through hysteresis into a status, raises one alert per unhealthy
 * episode and resolves it on recovery, keeps one failure row per episode, forecasts latency and error rate, notices
 * tool drift, and keeps rolling windows. Rows wait in a {@link WriteBuffer} until a flush, so the probe path never
 * waits on the database. Thread-safe: probes of different servers may run at once.
 */
public final class MonitoringService implements RunMonitoringRoundUseCase, RunScheduledProbeUseCase,
        dev.mcphealth.application.port.in.RecordWatchdogRestartUseCase,
        FlushMonitoringUseCase, ObserveMonitoringUseCase, RecordCallUseCase, PlanMonitoringUseCase,
        StopMonitoringUseCase, dev.mcphealth.application.port.in.RewriteOpenRecordsUseCase, RecoveryListener, InstanceViews, Rescheduling, EpisodeCarrier {

    /** How often the error-rate and throughput of the last minute are written as rows, per server. */
    static final Duration AGGREGATE_EVERY = Duration.ofMinutes(1);
    /** Real calls in the last minute before their error rate may change a status: fewer say too little. */
    static final int MIN_CALLS_FOR_ERROR_RATE = 20;
    /**
     * How often the status of every server is published to the store for {@code mcp-health status}, at the latest: a
     * change of status is published at the next flush.
     */
    static final Duration STATUS_EVERY = Duration.ofSeconds(5);

    private final ServerCatalogPort catalog;
    private final ProbePort probes;
    private final MetricStorePort metricStore;
    private final FailureStorePort failureStore;
    private final AlertStorePort alertStore;
    private final StatusStorePort statusStore;
    private final MonitorEventPort events;
    private final Clock clock;
    private final MonitoringSettings settings;
    private final Map<ServerId, ServerMonitor> monitors = new LinkedHashMap<>();
    private final Map<String, java.util.function.Supplier<BreakerState>> ownBreakers =
            new java.util.concurrent.ConcurrentSkipListMap<>();
    private final WriteBuffer buffer;
    private final SelfMonitor self;
    private final Object flushLock = new Object();
    private Optional<Instant> statusSavedAt = Optional.empty();
    /** A status changed since the board was last saved: save it at the next flush, not up to 5 s later. */
    private volatile boolean statusChanged;
    private volatile boolean stopped;
    private final Optional<RecoveryGate> gate;
    private final Optional<FailureObserver> observer;
    private final BreakerLogPort breakerLog;
    /** Breaker transitions waiting to be written (few: one per trip), bounded like the metric rows. */
    private final java.util.ArrayDeque<MonitorEvent.BreakerChanged> breakerChanges = new java.util.ArrayDeque<>();

    public MonitoringService(ServerCatalogPort catalog, ProbePort probes, MetricStorePort metricStore,
                             FailureStorePort failureStore, AlertStorePort alertStore, StatusStorePort statusStore,
                             MonitorEventPort events, Clock clock, MonitoringSettings settings) {
        this(catalog, probes, metricStore, failureStore, alertStore, statusStore, changes -> { }, events, clock,
                settings, Optional.empty());
    }

    /**
     * A monitor with automatic recovery: it asks {@code recovery} whether a probe may open a session, tells it what
     * each probe saw, and records what it did on the failure episode.
     */
    public <R extends RecoveryGate & FailureObserver> MonitoringService(ServerCatalogPort catalog, ProbePort probes,
            MetricStorePort metricStore, FailureStorePort failureStore, AlertStorePort alertStore,
            StatusStorePort statusStore, BreakerLogPort breakerLog, MonitorEventPort events, Clock clock,
            MonitoringSettings settings, Optional<R> recovery) {
        this.catalog = Objects.requireNonNull(catalog);
        this.gate = recovery.map(RecoveryGate.class::cast);
        this.observer = recovery.map(FailureObserver.class::cast);
        this.breakerLog = Objects.requireNonNull(breakerLog);
        this.probes = Objects.requireNonNull(probes);
        this.metricStore = Objects.requireNonNull(metricStore);
        this.failureStore = Objects.requireNonNull(failureStore);
        this.alertStore = Objects.requireNonNull(alertStore);
        this.statusStore = Objects.requireNonNull(statusStore);
        this.events = Objects.requireNonNull(events);
        this.clock = Objects.requireNonNull(clock);
        this.settings = Objects.requireNonNull(settings);
        this.buffer = new WriteBuffer(settings.bufferCapacity());
        Instant start = clock.instant();
        for (MonitoredServer s : catalog.servers()) {
            Duration interval = settings.intervalOverride().orElse(s.failover().healthCheckInterval());
            monitors.put(s.id(), new ServerMonitor(s, interval, start));
        }
        this.self = new SelfMonitor(start);
    }

    /** Each server and the interval it is probed at now, changed ones ({@link #reschedule}) included. */
    @Override
    public List<Entry> plan() {
        return monitors.values().stream().map(m -> new Entry(m.server.id(), m.interval)).toList();
    }

    /**
     * Probes {@code server} every {@code interval} from its next probe on, until the monitor stops: the plan says so
     * at once; a round computes the due time after the one already set with it, and the scheduler adapter, which reads
     * the plan whenever it schedules a server's next probe, likewise. Failure rows and the status board show it. The
     * forecasts keep the time constants of the interval they began with, and recovery its configured idea of sustained
     * uptime.
     *
     * @return the interval it replaced
     * @throws UnknownServerException if the monitor does not watch {@code server}
     * @throws IllegalArgumentException if {@code interval} is outside what the configuration allows (1 s to 1 day)
     */
    @Override
    public Duration reschedule(ServerId server, Duration interval) {
        if (interval == null || interval.compareTo(FailoverConfig.MIN_INTERVAL) < 0
                || interval.compareTo(FailoverConfig.MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("a probe interval must be 1 s..1 d, got " + interval);
        }
        ServerMonitor m = monitor(server);
        synchronized (m) {
            Duration before = m.interval;
            m.interval = interval;
            if (!before.equals(interval)) {
                statusChanged = true;
            }
            return before;
        }
    }

    // ---- rounds ---------------------------------------------------------------------------------------------

    @Override
    public synchronized MonitoringRound run() {
        Instant now = clock.instant();
        List<ServerId> probed = new ArrayList<>();
        List<MonitorEvent> raised = new ArrayList<>();
        for (ServerMonitor m : monitors.values()) {
            if (m.nextDue.isAfter(now)) {
                continue;
            }
            Instant scheduled = m.nextDue;
            Duration interval = m.interval;
            int missed = 0;
            Instant next = scheduled.plus(interval);
            while (!next.isAfter(now)) {
                next = next.plus(interval);
                missed++;
            }
            m.nextDue = next;
            raised.addAll(probe(new Command(m.server.id(), scheduled.plus(interval.multipliedBy(missed)), missed)));
            probed.add(m.server.id());
        }
        return new MonitoringRound(now, probed, raised, flush());
    }

    // ---- one probe ------------------------------------------------------------------------------------------

    @Override
    public List<MonitorEvent> probe(Command command) {
        ServerMonitor m = monitor(command.server());
        Instant start = clock.instant();
        self.probeStarted(start, Duration.between(command.scheduledAt(), start), command.missedBefore());
        boolean mayConnect = gate.map(r -> r.probeMayConnect(m.server.id())).orElse(true);
        // the catalog as it is now: a probe timeout changed while the monitor runs applies from this probe on
        MonitoredServer server = catalog.server(m.server.id()).orElse(m.server);
        ProbeReport report = mayConnect ? probes.probe(server, settings.depth())
                : probes.probeKept(server, settings.depth());
        List<MonitorEvent> raised;
        synchronized (m) {
            if (stopped || !command.current().getAsBoolean()) {
                return List.of(); // stopped, or a late answer of a probe the watchdog has given up on
            }
            // A wall clock stepped back must not take a server's own history backwards (an alert resolved before it
            // was raised): per server, time only moves forward.
            Instant done = m.lastSeen.filter(clock.instant()::isBefore).orElse(clock.instant());
            m.lastSeen = Optional.of(done);
            raised = take(m, report, done);
        }
        raised.forEach(events::publish);
        if (command.current().getAsBoolean()) {
            observer.ifPresent(r -> r.observed(m.server.id(), report.outcome()));
        }
        return raised;
    }

    // ---- what recovery and the breakers tell it -------------------------------------------------------------

    @Override
    public void acted(ServerId server, RecoveryAction action) {
        ServerMonitor m = monitor(server);
        synchronized (m) {
            apply(m, m.failure.acted(action));
        }
    }

    /**
     * An attempt of a run linked to an orchestrator task: the failure episode it handles (the open one, or the one
     * opened next in this episode, say by the attempt's own failure) records that task as its recovery task. A later
     * linked run's task replaces it; attempts of no run leave it.
     */
    @Override
    public void handledBy(ServerId server, String recoveryTaskId) {
        ServerMonitor m = monitor(server);
        synchronized (m) {
            apply(m, m.failure.handledBy(recoveryTaskId));
        }
    }

    @Override
    public void exhausted(ServerId server, int attempts, Instant nextRetryAt) {
        ServerMonitor m = monitor(server);
        Instant now = clock.instant();
        String why = server.value() + ": recovery exhausted after " + attempts + " attempt" + (attempts == 1 ? "" : "s")
                + "; retrying slowly, next at " + nextRetryAt;
        AlertEpisode.Step step;
        synchronized (m) {
            step = m.alert.exhausted(server, why, now);
            m.alert = step.next();
            step.write().ifPresent(buffer::add);
        }
        step.event().ifPresent(events::publish);
    }

    @Override
    public void episodeBegan(ServerId server, MonitorEvent.FailureSummary failure, Instant at) {
        ServerMonitor m = monitor(server);
        synchronized (m) {
            m.lastFailure = Optional.of(failure);
            m.lastFailureAt = Optional.of(at);
            apply(m, m.failure.failed(Failure.open(m.server, failure.type(), "recovery server=" + m.server.id(),
                    failure.message(), at)));
        }
    }

    /** The servers this monitor watches. */
    @Override
    public java.util.Set<ServerId> watched() {
        return java.util.Set.copyOf(monitors.keySet());
    }

    /**
     * An earlier run left {@code failure} and {@code alert} open for {@code server} and last saw it at {@code lastSeen}:
     * they become this run's open episode, which the first observation continues (a failure) or closes at
     * {@code lastSeen} (an answer). False, and nothing taken, when this run has observed the server already or holds
     * an episode of its own.
     */
    @Override
    public boolean carryOver(ServerId server, Optional<Failure> failure, Optional<Alert> alert, Instant lastSeen) {
        ServerMonitor m = monitor(server);
        synchronized (m) {
            if (m.lastSeen.isPresent() || m.failure.openRow().isPresent() || m.alert.open().isPresent()) {
                return false;
            }
            FailureEpisode before = m.failure;
            failure.ifPresent(f -> m.failure = FailureEpisode.carried(f, before));
            alert.ifPresent(a -> m.alert = AlertEpisode.carried(a));
            m.carriedUntil = Optional.of(lastSeen);
            statusChanged = true;
            return true;
        }
    }

    /**
     * The session was lost between probes: the server is offline from that moment (status, alert, failure episode, an
     * outage sample in its windows and rows), whatever recovery does before the next probe, which then brings it back
     * through the hysteresis.
     */
    @Override
    public void sessionLost(ServerId server, MonitorEvent.FailureSummary failure, Instant at) {
        ServerMonitor m = monitors.get(server);
        if (m == null) {
            return;
        }
        List<MonitorEvent> raised = new ArrayList<>();
        synchronized (m) {
            if (stopped) {
                return;
            }
            Instant when = m.lastSeen.filter(at::isBefore).orElse(at);
            m.lastSeen = Optional.of(when);
            m.carriedUntil = Optional.empty();
            m.lastFailure = Optional.of(failure);
            m.lastFailureAt = Optional.of(when);
            wentDown(m, when);
            m.windows.add(when, true, true, Optional.empty());
            HealthState before = m.state;
            m.state = HysteresisPolicy.next(before, new Observation.Lost(failure.type()), m.server.thresholds());
            HealthStatus status = m.state.status().orElseThrow();
            if (!before.status().equals(m.state.status())) {
                m.since = Optional.of(when);
                statusChanged = true;
                raised.add(new MonitorEvent.StatusChanged(server, before.status(), status, when, Optional.of(failure)));
            }
            alerts(m, status, Optional.of(failure), Optional.empty(), when, raised, Optional.empty());
            failures(m, Optional.of(failure), status, when, when, "session lost server=" + server, Optional.empty());
            buffer.add(HealthMetric.of(m.server, MetricType.AVAILABILITY, 0.0, status,
                    Map.of("observed", "session_lost"), when));
        }
        raised.forEach(events::publish);
    }

    /** Recovery reopened the session: the server answers again from {@code at} (the outage's end). */
    @Override
    public void reopened(ServerId server, Instant at) {
        ServerMonitor m = monitors.get(server);
        if (m == null) {
            return;
        }
        synchronized (m) {
            if (!stopped) {
                cameUp(m, at);
            }
        }
    }

    /**
     * Shows the state of a breaker of the monitor's own (one that is not a monitored server's, such as the breaker
     * around calls to the orchestrator) in the monitor's row, under {@code detailKey}.
     */
    public void watchBreaker(String detailKey, java.util.function.Supplier<BreakerState> state) {
        Objects.requireNonNull(detailKey, "detailKey");
        Objects.requireNonNull(state, "state");
        ownBreakers.put(detailKey, state);
    }

    /** The monitor's own row, with every server's breaker state summed up and its own breakers' states. */
    private StatusSnapshot selfSnapshot(Instant now) {
        Map<String, String> breakers = new LinkedHashMap<>();
        Map<BreakerState, Integer> counts = new java.util.EnumMap<>(BreakerState.class);
        List<String> notClosed = new ArrayList<>();
        monitors.values().stream().sorted(java.util.Comparator.comparing(m -> m.server.id())).forEach(m -> {
            BreakerState b;
            synchronized (m) {
                b = m.breaker;
            }
            counts.merge(b, 1, Integer::sum);
            if (b != BreakerState.CLOSED) {
                notClosed.add(m.server.id().value() + "=" + b.code());
            }
        });
        breakers.put("breakersClosed", Integer.toString(counts.getOrDefault(BreakerState.CLOSED, 0)));
        breakers.put("breakersOpen", Integer.toString(counts.getOrDefault(BreakerState.OPEN, 0)));
        breakers.put("breakersHalfOpen", Integer.toString(counts.getOrDefault(BreakerState.HALF_OPEN, 0)));
        if (!notClosed.isEmpty()) {
            breakers.put("breakersNotClosed", String.join(",", notClosed));
        }
        ownBreakers.forEach((key, state) -> {
            try {
                breakers.put(key, state.get().code());
            } catch (RuntimeException e) {
                breakers.put(key, "unknown");
            }
        });
        return self.snapshot(now, buffer.pending(), buffer.dropped(), settings.slaTarget(), breakers);
    }

    /** A breaker changed state: shown in the status and recorded. */
    public void breakerChanged(MonitorEvent.BreakerChanged change) {
        ServerMonitor m = monitors.get(change.server());
        if (m != null) {
            synchronized (m) {
                m.breaker = change.to();
            }
        }
        synchronized (breakerChanges) {
            breakerChanges.addLast(change);
            while (breakerChanges.size() > settings.bufferCapacity()) {
                breakerChanges.pollFirst();
            }
        }
        statusChanged = true;
    }

    /** What the router needs to know of one instance now. */
    @Override
    public InstanceView view(ServerId id, boolean fallback, BreakerState breaker) {
        ServerMonitor m = monitor(id);
        synchronized (m) {
            return new InstanceView(id, fallback, m.state.status(), m.since, breaker);
        }
    }

    /** A change of the server's failure episode: the episode after it, and its row buffered. Under m's lock. */
    private void apply(ServerMonitor m, FailureEpisode.Step step) {
        m.failure = step.next();
        step.write().ifPresent(buffer::add);
    }

    private ServerMonitor monitor(ServerId id) {
        ServerMonitor m = monitors.get(id);
        if (m == null) {
            throw new UnknownServerException(new TreeSet<>(List.of(id)), monitors.keySet());
        }
        return m;
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
        if (outcome instanceof ProbeOutcome.Failed f && f.type() != dev.mcphealth.domain.model.FailureType.RATE_LIMIT) {
            wentDown(m, at);
            carried = Optional.empty(); // still failing: the episode goes on in this run
        } else {
            cameUp(m, at); // a 429 is an answer too: the server is up, only busy
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
            m.since = Optional.of(now);
            statusChanged = true;
            raised.add(new MonitorEvent.StatusChanged(server.id(), before.status(), status, now, failed));
        }
        alerts(m, status, failed, latency, now, raised, carried);
        failures(m, failed, status, at, now, "monitor interval=" + m.interval.toSeconds() + "s depth="
                + settings.depth().code() + " server=" + m.server.id(), carried);
        drift(m, outcome, now, raised);
        raised.addAll(m.predictions.observe(server.id(), at, latency.map(ProbeDetails::millis),
                m.windows.counts(now, RollingWindows.ONE_MINUTE).errorRate()));

        ProbeMetrics.of(server, report, status, settings.depth()).forEach(buffer::add);
        if (m.lastAggregateAt.isEmpty()) {
            m.lastAggregateAt = Optional.of(now);
        } else if (!now.isBefore(m.lastAggregateAt.get().plus(AGGREGATE_EVERY))) {
            // the minute of complete buckets, so that calls per second are over a whole minute
            WindowStats minute = m.windows.counts(RollingWindows.lastCompleteBefore(now), RollingWindows.ONE_MINUTE);
            Map<String, String> window = Map.of("window", "1m", "calls", Long.toString(minute.calls()));
            minute.errorRate().ifPresent(r -> buffer.add(HealthMetric.of(server, MetricType.ERROR_RATE, r, status,
                    window, now)));
            buffer.add(HealthMetric.of(server, MetricType.THROUGHPUT, minute.throughput(), status, window, now));
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

    /**
     * One alert per unhealthy episode: raised, escalated, resolved once healthy (an alert an earlier run left open and
     * this run found healthy at once: at {@code carried}, the last time that run saw the server, its best-known end).
     */
    private void alerts(ServerMonitor m, HealthStatus status, Optional<MonitorEvent.FailureSummary> failed,
                        Optional<Duration> latency, Instant now, List<MonitorEvent> raised, Optional<Instant> carried) {
        AlertEpisode.Step step = m.alert.status(m.server.id(), status, () -> message(m.server.id(), status, failed,
                latency), now, carried);
        m.alert = step.next();
        step.write().ifPresent(buffer::add);
        step.event().ifPresent(raised::add);
    }

    private static String message(ServerId server, HealthStatus status, Optional<MonitorEvent.FailureSummary> failed,
                                  Optional<Duration> latency) {
        StringBuilder s = new StringBuilder(server.value()).append(" is ").append(status.code());
        if (failed.isPresent()) {
            s.append(": ").append(failed.get().type().code()).append(" (").append(failed.get().message()).append(')');
        } else if (latency.isPresent()) {
            s.append(": response time ").append(Math.round(ProbeDetails.millis(latency.get()))).append(" ms");
        }
        return s.toString();
    }

    /**
     * One failure row per episode: opened by its first failure (a failed probe, a lost session), resolved when the
     * hysteresis calls the server healthy again, with the time to the first answer after its last failure (so a server
     * back within a second is resolved in that second, however long the probes took to confirm it). An episode an
     * earlier run left open and this run found answering at once ends at {@code carried}, the last time that run saw
     * the server, and says so.
     */
    private void failures(ServerMonitor m, Optional<MonitorEvent.FailureSummary> failed, HealthStatus status,
                          Instant at, Instant now, String context, Optional<Instant> carried) {
        if (failed.isPresent() && m.failure.openRow().isEmpty()) {
            apply(m, m.failure.failed(Failure.open(m.server, failed.get().type(), context, failed.get().message(),
                    at)));
        } else if (status == HealthStatus.HEALTHY) {
            apply(m, m.failure.healthy(now, carried));
        }
    }

    /** The server stopped answering at {@code at}: an outage begins, unless one goes on. */
    private static void wentDown(ServerMonitor m, Instant at) {
        if (m.watchedFrom.isEmpty()) {
            m.watchedFrom = Optional.of(at);
        }
        if (m.downSince.isEmpty()) {
            m.downSince = Optional.of(at);
        }
        m.failure = m.failure.wentDown();
    }

    /**
     * The server answered at {@code at}: an outage going on ends there. An answer to a probe that started before the
     * outage began (its session was lost while it ran) says nothing of the outage's end, and is not taken for it.
     */
    private static void cameUp(ServerMonitor m, Instant at) {
        if (m.watchedFrom.isEmpty()) {
            m.watchedFrom = Optional.of(at);
        }
        if (m.downSince.filter(at::isBefore).isPresent() || m.failure.openedAfter(at)) {
            return;
        }
        if (m.downSince.isPresent()) {
            m.downtime = m.downtime.plus(nonNegative(Duration.between(m.downSince.get(), at)));
            m.downSince = Optional.empty();
        }
        m.failure = m.failure.cameUp(at);
    }

    /** How long the server has been watched in this run, and how long of that it was down. */
    private static Uptime uptime(ServerMonitor m, Instant now) {
        if (m.watchedFrom.isEmpty()) {
            return Uptime.NONE;
        }
        Duration observed = nonNegative(Duration.between(m.watchedFrom.get(), now));
        Duration down = m.downtime.plus(m.downSince.map(d -> nonNegative(Duration.between(d, now)))
                .orElse(Duration.ZERO));
        return new Uptime(observed, down.compareTo(observed) > 0 ? observed : down);
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private void drift(ServerMonitor m, ProbeOutcome outcome, Instant now, List<MonitorEvent> raised) {
        if (outcome instanceof ProbeOutcome.Answered a && a.tools().isPresent()) {
            if (m.tools.isPresent()) {
                ToolDrift.between(m.tools.get(), a.tools().get())
                        .ifPresent(d -> raised.add(new MonitorEvent.ToolsDrifted(m.server.id(), d, now)));
            }
            m.tools = a.tools();
        }
    }

    // ---- real traffic ---------------------------------------------------------------------------------------

    @Override
    public void record(Call call) {
        ServerMonitor m = monitor(call.server());
        Instant now = clock.instant();
        synchronized (m) {
            m.windows.add(now, false, call.failed(), call.failed() ? Optional.empty() : Optional.of(call.latency()));
        }
    }

    // ---- flush ----------------------------------------------------------------------------------------------

    @Override
    public FlushReport flush() {
        synchronized (flushLock) {
            Instant start = clock.instant();
            WriteBuffer.Outcome outcome = buffer.flush(failureStore, alertStore, metricStore);
            Optional<String> problem = outcome.problem();
            if (problem.isEmpty()) {
                problem = flushBreakerChanges();
            }
            boolean due = statusChanged || statusSavedAt.filter(t -> start.isBefore(t.plus(STATUS_EVERY))).isEmpty();
            if (problem.isEmpty() && due) {
                try {
                    statusChanged = false;
                    statusStore.save(snapshot());
                    statusSavedAt = Optional.of(start);
                } catch (StorageUnavailableException e) {
                    statusChanged = true;
                    problem = Optional.of(e.getMessage());
                }
            }
            Instant end = clock.instant();
            self.flushed(end, Duration.between(start, end), problem, outcome.written());
            if (problem.isEmpty()) {
                selfRows(end);
            }
            return new FlushReport(outcome.written(), buffer.pending(), buffer.dropped(), problem);
        }
    }

    private Optional<String> flushBreakerChanges() {
        List<MonitorEvent.BreakerChanged> taken;
        synchronized (breakerChanges) {
            taken = new ArrayList<>(breakerChanges);
            breakerChanges.clear();
        }
        if (taken.isEmpty()) {
            return Optional.empty();
        }
        try {
            breakerLog.record(taken);
            return Optional.empty();
        } catch (StorageUnavailableException e) {
            synchronized (breakerChanges) {
                for (int i = taken.size() - 1; i >= 0; i--) {
                    breakerChanges.addFirst(taken.get(i));
                }
            }
            return Optional.of(e.getMessage());
        }
    }

    private void selfRows(Instant now) {
        if (!self.aggregateDue(now, AGGREGATE_EVERY)) {
            return;
        }
        StatusSnapshot s = selfSnapshot(now);
        HealthStatus status = s.status().orElse(HealthStatus.HEALTHY);
        WindowStats minute = s.window(RollingWindows.ONE_MINUTE).orElseThrow();
        Map<String, String> details = s.details();
        MonitoredServer me = SelfMonitor.SERVER;
        buffer.add(HealthMetric.of(me, MetricType.RESPONSE_TIME,
                minute.p99().map(ProbeDetails::millis).orElse(0.0), status, details, now));
        buffer.add(HealthMetric.of(me, MetricType.THROUGHPUT, minute.throughput(), status, details, now));
        minute.errorRate().ifPresent(r -> buffer.add(HealthMetric.of(me, MetricType.ERROR_RATE, r, status, details,
                now)));
    }

    /** Buffers each open failure episode and open alert again, and the status board, for a store made anew. */
    @Override
    public void rewriteOpenRecords() {
        for (ServerMonitor m : monitors.values()) {
            synchronized (m) {
                m.failure.openRow().ifPresent(buffer::add);
                m.alert.open().ifPresent(buffer::add);
            }
        }
        statusChanged = true;
    }

    @Override
    public FlushReport stop() {
        stopped = true;
        // wait for probes being taken in right now, so that their rows are in the last flush
        for (ServerMonitor m : monitors.values()) {
            synchronized (m) {
                // nothing to do: taking the lock waits for a probe being taken in right now
            }
        }
        statusChanged = true;
        return flush();
    }

    // ---- what it knows now ----------------------------------------------------------------------------------

    @Override
    public List<StatusSnapshot> snapshot() {
        Instant now = clock.instant();
        List<StatusSnapshot> all = new ArrayList<>();
        monitors.values().stream().sorted(java.util.Comparator.comparing(m -> m.server.id())).forEach(m -> {
            synchronized (m) {
                all.add(snapshotOf(m, now));
            }
        });
        all.add(selfSnapshot(now));
        return all;
    }

    private StatusSnapshot snapshotOf(ServerMonitor m, Instant now) {
        List<WindowStats> windows = List.of(m.windows.board(now, RollingWindows.ONE_MINUTE),
                m.windows.board(now, RollingWindows.FIFTEEN_MINUTES), m.windows.board(now, RollingWindows.ONE_HOUR));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("intervalSeconds", Long.toString(m.interval.toSeconds()));
        details.put("transport", m.server.transport().code());
        m.alert.open().ifPresent(a -> details.put("alert", a.id()));
        m.tools.ifPresent(t -> details.put("toolsHash", t.hash()));
        m.lastSeen.ifPresent(t -> details.put("lastProbeAt", t.toString()));
        details.put("breaker", m.breaker.code());
        m.failure.recoveryAction().ifPresent(a -> details.put("recovery", a.code()));
        return new StatusSnapshot(m.server.id(), m.server.type(), m.state.status(), m.since, windows, m.slaProbes,
                m.slaAnswered, uptime(m, now), settings.slaTarget(), m.lastFailure, m.lastFailureAt, now, details);
    }

    @Override
    public void restarted(ServerId server, java.time.Duration stalledFor) {
        self.watchdogRestarted(server, clock.instant());
    }
}
