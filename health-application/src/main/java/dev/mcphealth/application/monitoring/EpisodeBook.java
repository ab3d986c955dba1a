package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.recovery.RecoveryListener;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.monitoring.AlertEpisode;
import dev.mcphealth.domain.monitoring.FailureEpisode;
import dev.mcphealth.domain.monitoring.HealthState;
import dev.mcphealth.domain.monitoring.HysteresisPolicy;
import dev.mcphealth.domain.monitoring.Observation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The servers' failure and alert episodes as recovery and an earlier run tell of them: what recovery did and for which
 * linked task, its giving up, a session lost or reopened between probes, an episode carried over from a run that
 * stopped while a server failed. The composition root registers it with recovery ({@link RecoveryListener}); it never
 * calls recovery back.
 */
public final class EpisodeBook implements RecoveryListener, EpisodeCarrier {
    private final MonitorState state;
    private final EpisodeSteps steps;

    EpisodeBook(MonitorState state, EpisodeSteps steps) {
        this.state = state;
        this.steps = steps;
    }

    @Override
    public void acted(ServerId server, RecoveryAction action) {
        if (!state.share.owns(server)) {
            return; // another monitor's (a cluster's): its episodes are that monitor's to tell
        }
        ServerMonitor m = state.monitor(server);
        synchronized (m) {
            steps.apply(m, m.failure.acted(action));
        }
    }

    /**
     * An attempt of a run linked to an orchestrator task: the failure episode it handles (the open one, or the one
     * opened next in this episode, say by the attempt's own failure) records that task as its recovery task. A later
     * linked run's task replaces it; attempts of no run leave it.
     */
    @Override
    public void handledBy(ServerId server, String recoveryTaskId) {
        if (!state.share.owns(server)) {
            return; // another monitor's (a cluster's): its episodes are that monitor's to tell
        }
        ServerMonitor m = state.monitor(server);
        synchronized (m) {
            steps.apply(m, m.failure.handledBy(recoveryTaskId));
        }
    }

    @Override
    public void exhausted(ServerId server, int attempts, Instant nextRetryAt) {
        if (!state.share.owns(server)) {
            return; // another monitor's (a cluster's): its episodes are that monitor's to tell
        }
        ServerMonitor m = state.monitor(server);
        Instant now = state.clock.instant();
        String why = server.value() + ": recovery exhausted after " + attempts + " attempt" + (attempts == 1 ? "" : "s")
                + "; retrying slowly, next at " + nextRetryAt;
        AlertEpisode.Step step;
        synchronized (m) {
            step = m.alert.exhausted(server, why, now);
            m.alert = step.next();
            step.write().ifPresent(state.buffer::add);
        }
        step.event().ifPresent(state.events::publish);
    }

    @Override
    public void episodeBegan(ServerId server, MonitorEvent.FailureSummary failure, Instant at) {
        if (!state.share.owns(server)) {
            return; // another monitor's (a cluster's): its episodes are that monitor's to tell
        }
        ServerMonitor m = state.monitor(server);
        synchronized (m) {
            m.lastFailure = Optional.of(failure);
            m.lastFailureAt = Optional.of(at);
            steps.apply(m, m.failure.failed(Failure.open(m.server, failure.type(), "recovery server=" + m.server.id(),
                    failure.message(), at)));
        }
    }

    /** The servers this monitor watches. */
    @Override
    public Set<ServerId> watched() {
        return state.ids();
    }

    /**
     * An earlier run left {@code failure} and {@code alert} open for {@code server} and last saw it at {@code lastSeen}:
     * they become this run's open episode, which the first observation continues (a failure) or closes at
     * {@code lastSeen} (an answer). False, and nothing taken, when this run has observed the server already or holds
     * an episode of its own.
     */
    @Override
    public boolean outOfService(ServerId server) {
        return !state.standby.probed(server);
    }

    @Override
    public boolean carryOver(ServerId server, Optional<Failure> failure, Optional<Alert> alert, Instant lastSeen) {
        ServerMonitor m = state.monitor(server);
        synchronized (m) {
            if (m.lastSeen.isPresent() || m.failure.openRow().isPresent() || m.alert.open().isPresent()) {
                return false;
            }
            FailureEpisode before = m.failure;
            failure.ifPresent(f -> m.failure = FailureEpisode.carried(f, before));
            alert.ifPresent(a -> m.alert = AlertEpisode.carried(a));
            m.carriedUntil = Optional.of(lastSeen);
            state.statusChanged = true;
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
        if (!state.share.owns(server)) {
            return; // another monitor's (a cluster's): its episodes are that monitor's to tell
        }
        Optional<ServerMonitor> known = state.find(server);
        if (known.isEmpty()) {
            return;
        }
        ServerMonitor m = known.get();
        List<MonitorEvent> raised = new ArrayList<>();
        synchronized (m) {
            if (state.stopped || !state.standby.probed(server)) {
                return; // stopped, or a standby instance cooled (its session closed on purpose, or died meanwhile)
            }
            Instant when = m.lastSeen.filter(at::isBefore).orElse(at);
            m.lastSeen = Optional.of(when);
            m.carriedUntil = Optional.empty();
            m.lastFailure = Optional.of(failure);
            m.lastFailureAt = Optional.of(when);
            EpisodeSteps.wentDown(m, when);
            m.windows.add(when, true, true, Optional.empty());
            HealthState before = m.state;
            m.state = HysteresisPolicy.next(before, new Observation.Lost(failure.type()), m.server.thresholds());
            HealthStatus status = m.state.status().orElseThrow();
            if (!before.status().equals(m.state.status())) {
                m.statusChanged(when);
                state.changedStatuses.add(server);
                raised.add(new MonitorEvent.StatusChanged(server, before.status(), status, when, Optional.of(failure)));
            }
            steps.alerts(m, status, Optional.of(failure), Optional.empty(), when, raised, Optional.empty());
            steps.failures(m, Optional.of(failure), status, when, when, "session lost server=" + server,
                    Optional.empty());
            state.buffer.add(HealthMetric.of(m.server, MetricType.AVAILABILITY, 0.0, status,
                    Map.of("observed", "session_lost"), when));
        }
        raised.forEach(state.events::publish);
    }

    /** Recovery reopened the session: the server answers again from {@code at} (the outage's end). */
    @Override
    public void reopened(ServerId server, Instant at) {
        Optional<ServerMonitor> known = state.find(server);
        if (known.isEmpty()) {
            return;
        }
        ServerMonitor m = known.get();
        synchronized (m) {
            if (!state.stopped) {
                EpisodeSteps.cameUp(m, at);
            }
        }
    }
}
