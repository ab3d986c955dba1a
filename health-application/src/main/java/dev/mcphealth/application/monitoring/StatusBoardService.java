package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.RecordWatchdogRestartUseCase;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.routing.InstanceView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * What the monitor knows now, for people and the router: each server's status snapshot (status, windows, SLA,
 * uptime, last failure, breaker, alert), the monitor's own row (its lag, its breakers, its buffer), and one instance's
 * view for routing. Breaker changes and watchdog restarts are shown here.
 */
public final class StatusBoardService implements ObserveMonitoringUseCase, RecordWatchdogRestartUseCase, InstanceViews,
        CooledInstances, SelfView, OwnBoard {
    private final MonitorState state;
    private final Map<String, Supplier<BreakerState>> ownBreakers = new ConcurrentSkipListMap<>();
    private volatile InstanceLoads loads = InstanceLoads.NONE;

    StatusBoardService(MonitorState state) {
        this.state = state;
    }

    /**
     * Every server's status: of one of several monitors sharing a database, the servers another holds as their holder
     * last stored them (marked {@code heldElsewhere}), so that any member shows the whole cluster's servers.
     */
    @Override
    public List<StatusSnapshot> snapshot() {
        return board(true, id -> true);
    }

    @Override
    public List<StatusSnapshot> own(java.util.function.Predicate<ServerId> which) {
        return board(false, which);
    }

    private List<StatusSnapshot> board(boolean others, java.util.function.Predicate<ServerId> which) {
        Instant now = state.clock.instant();
        Map<ServerId, StatusSnapshot> stored = others ? state.others : Map.of();
        List<StatusSnapshot> all = new ArrayList<>();
        state.all().stream().filter(m -> which.test(m.server.id())).sorted(Comparator.comparing(m -> m.server.id()))
                .forEach(m -> {
                    StatusSnapshot theirs = stored.isEmpty() || state.share.owns(m.server.id()) ? null
                            : stored.get(m.server.id());
                    if (theirs != null) {
                        all.add(heldElsewhere(theirs));
                        return;
                    }
                    synchronized (m) {
                        all.add(snapshotOf(m, now));
                    }
                });
        all.add(selfSnapshot(now));
        return all;
    }

    private static StatusSnapshot heldElsewhere(StatusSnapshot s) {
        Map<String, String> details = new LinkedHashMap<>(s.details());
        details.put(StatusSnapshot.HELD_ELSEWHERE, "true");
        return new StatusSnapshot(s.server(), s.type(), s.status(), s.since(), s.windows(), s.slaProbes(),
                s.slaAnswered(), s.uptime(), s.slaTarget(), s.lastFailure(), s.lastFailureAt(), s.updatedAt(),
                details);
    }

    /**
     * What the router needs to know of one instance now: of one of several monitors sharing a database, an instance
     * another member holds has the status that member last stored for it (this one does not probe it).
     */
    @Override
    public InstanceView view(ServerId id, boolean fallback, BreakerState breaker) {
        ServerMonitor m = state.monitor(id);
        Map<ServerId, StatusSnapshot> stored = state.others;
        if (!stored.isEmpty() && !state.share.owns(id)) {
            StatusSnapshot theirs = stored.get(id);
            // however old (its holder gone, the database away): a server stored as down stays down to the router
            // until a holder says otherwise; made unknown it would be routed to again (unknown is usable)
            if (theirs != null) {
                return new InstanceView(id, fallback, theirs.status(), theirs.since(), breaker);
            }
        }
        return m.view(fallback, breaker); // without the lock: the monitor publishes its views
    }

    /** Where each instance's load as the router's balancer sees it comes from (the composition root sets it). */
    public void reportLoadsFrom(InstanceLoads loads) {
        this.loads = Objects.requireNonNull(loads, "loads");
    }

    @Override
    public boolean cooled(ServerId server, java.util.function.BooleanSupplier leave) {
        java.util.Optional<ServerMonitor> known = state.find(server);
        if (known.isEmpty()) {
            return leave.getAsBoolean();
        }
        ServerMonitor m = known.get();
        synchronized (m) {
            if (m.downSince.isPresent() || m.failure.openRow().isPresent() || m.alert.open().isPresent()
                    || !leave.getAsBoolean()) {
                return false;
            }
            m.state = dev.mcphealth.domain.monitoring.HealthState.UNKNOWN;
            m.tools = java.util.Optional.empty();
            // its uptime and SLA are of its time in service: a cold spell is neither up nor down
            m.watchedFrom = java.util.Optional.empty();
            m.downtime = Duration.ZERO;
            m.slaProbes = 0;
            m.slaAnswered = 0;
            m.statusChanged(state.clock.instant());
        }
        state.statusChanged = true;
        return true;
    }

    /** A breaker changed state: shown in the status and recorded at the next flush. */
    public void breakerChanged(MonitorEvent.BreakerChanged change) {
        state.find(change.server()).ifPresent(m -> {
            synchronized (m) {
                m.breaker = change.to();
            }
        });
        synchronized (state.breakerChanges) {
            state.breakerChanges.addLast(change);
            while (state.breakerChanges.size() > state.settings.bufferCapacity()) {
                state.breakerChanges.pollFirst();
            }
        }
        state.changedStatuses.add(change.server());
    }

    /**
     * Shows the state of a breaker of the monitor's own (one that is not a monitored server's, such as the breaker
     * around calls to the orchestrator) in the monitor's row, under {@code detailKey}.
     */
    public void watchBreaker(String detailKey, Supplier<BreakerState> breakerState) {
        Objects.requireNonNull(detailKey, "detailKey");
        Objects.requireNonNull(breakerState, "breakerState");
        ownBreakers.put(detailKey, breakerState);
    }

    @Override
    public void restarted(ServerId server, Duration stalledFor) {
        state.self.watchdogRestarted(server, state.clock.instant());
    }

    /** The monitor's own row, with every server's breaker state summed up and its own breakers' states. */
    @Override
    public StatusSnapshot selfSnapshot(Instant now) {
        Map<String, String> breakers = new LinkedHashMap<>();
        Map<BreakerState, Integer> counts = new EnumMap<>(BreakerState.class);
        List<String> notClosed = new ArrayList<>();
        state.all().stream().sorted(Comparator.comparing(m -> m.server.id())).forEach(m -> {
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
        ownBreakers.forEach((key, own) -> {
            try {
                breakers.put(key, own.get().code());
            } catch (RuntimeException e) {
                breakers.put(key, "unknown");
            }
        });
        return state.self.snapshot(now, state.buffer.pending(), state.buffer.dropped(), state.settings.slaTarget(),
                breakers);
    }

    private StatusSnapshot snapshotOf(ServerMonitor m, Instant now) {
        List<WindowStats> windows = List.of(m.windows.board(now, RollingWindows.ONE_MINUTE),
                m.windows.board(now, RollingWindows.FIFTEEN_MINUTES), m.windows.board(now, RollingWindows.ONE_HOUR));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("intervalSeconds", Long.toString(m.probedEvery().toSeconds()));
        if (m.stretched != null) { // an idle hour's (probe hours): over the interval in force
            details.put("intervalInForceSeconds", Long.toString(m.interval.toSeconds()));
        }
        details.put("transport", m.server.transport().code());
        m.alert.open().ifPresent(a -> details.put("alert", a.id()));
        m.tools.ifPresent(t -> details.put("toolsHash", t.hash()));
        m.lastSeen.ifPresent(t -> details.put("lastProbeAt", t.toString()));
        details.put("breaker", m.breaker.code());
        m.failure.recoveryAction().ifPresent(a -> details.put("recovery", a.code()));
        state.standby.entry(m.server.id()).ifPresent(e -> {
            details.put("standby", e.phase().code());
            details.put("standbySince", e.since().toString());
        });
        loads.of(m.server.id(), now).ifPresent(f -> {
            details.put("balancing", f.balancing());
            details.put("balancerLatencyMs", String.format(java.util.Locale.ROOT, "%.3f", f.latencyMillis()));
            details.put("inFlight", Integer.toString(f.inFlight()));
            details.put("callsRouted", Long.toString(f.calls()));
            details.put("callShare", String.format(java.util.Locale.ROOT, "%.3f", f.share()));
            f.concurrencyLimit().ifPresent(l -> details.put("concurrencyLimit", Integer.toString(l)));
        });
        return new StatusSnapshot(m.server.id(), m.server.type(), m.state.status(), m.since, windows, m.slaProbes,
                m.slaAnswered, EpisodeSteps.uptime(m, now), state.settings.slaTarget(), m.lastFailure,
                m.lastFailureAt, now, details);
    }
}
