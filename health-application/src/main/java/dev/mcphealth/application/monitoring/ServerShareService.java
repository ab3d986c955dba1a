package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.port.in.ShareServersUseCase;
import dev.mcphealth.application.port.out.OpenEpisodesPort;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.monitoring.AlertEpisode;
import dev.mcphealth.domain.monitoring.FailureEpisode;
import dev.mcphealth.domain.monitoring.HealthState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A server coming into this monitor's share of the work, or leaving it (docs/cluster.md). Leaving, what was seen of it
 * here is forgotten without a row or an event: the monitor that takes it carries its episodes on. Coming in, it is
 * forgotten the same way, then its open failure episode and alert are read back and carried on, exactly as a
 * restarted monitor carries its own ({@link EpisodeBook#carryOver}): its next probe continues them or closes them at
 * the last time a probe of it was recorded, so a server that was failing when its monitor died is one episode, one
 * alert, not two.
 */
final class ServerShareService implements ShareServersUseCase {
    private final MonitorState state;
    private final EpisodeBook episodes;
    private final OpenEpisodesPort open;

    ServerShareService(MonitorState state, EpisodeBook episodes, OpenEpisodesPort open) {
        this.state = state;
        this.episodes = episodes;
        this.open = Objects.requireNonNull(open, "open");
    }

    @Override
    public boolean adopted(ServerId server) {
        ServerMonitor m = state.monitor(server);
        forget(m);
        Optional<Failure> failure = newest(open.openFailures().stream().filter(f -> f.serverInstance().equals(server))
                .toList());
        Optional<Alert> alert = newest(open.openAlerts().stream().filter(a -> a.server().equals(server)).toList());
        if (failure.isEmpty() && alert.isEmpty()) {
            return false;
        }
        Instant from = failure.map(Failure::occurredAt).orElseGet(() -> alert.orElseThrow().raisedAt());
        if (alert.isPresent() && alert.get().raisedAt().isBefore(from)) {
            from = alert.get().raisedAt();
        }
        Instant lastSeen = open.lastProbe(server, from, state.clock.instant().plusSeconds(1)).orElse(from);
        return episodes.carryOver(server, failure, alert, lastSeen);
    }

    @Override
    public void released(ServerId server) {
        state.find(server).ifPresent(ServerShareService::forget);
        state.statusChanged = true;
    }

    /** Its newest: the stores list them oldest first. */
    private static <T> Optional<T> newest(List<T> oldestFirst) {
        return oldestFirst.isEmpty() ? Optional.empty() : Optional.of(oldestFirst.get(oldestFirst.size() - 1));
    }

    /** Back to what a monitor knows of a server it has never probed. Under the server's lock. */
    private static void forget(ServerMonitor m) {
        synchronized (m) {
            m.state = HealthState.UNKNOWN;
            m.since = Optional.empty();
            m.tools = Optional.empty();
            m.alert = AlertEpisode.NONE;
            m.failure = FailureEpisode.NONE;
            m.lastFailure = Optional.empty();
            m.lastFailureAt = Optional.empty();
            m.slaProbes = 0;
            m.slaAnswered = 0;
            m.lastAggregateAt = Optional.empty();
            m.lastSeen = Optional.empty();
            m.watchedFrom = Optional.empty();
            m.downSince = Optional.empty();
            m.downtime = Duration.ZERO;
            m.carriedUntil = Optional.empty();
            m.forgotten();
        }
    }
}
