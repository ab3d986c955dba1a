package dev.mcphealth.application.monitoring;

import dev.mcphealth.application.port.in.ResumeEpisodesUseCase;
import dev.mcphealth.application.port.out.AlertStorePort;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.application.port.out.OpenEpisodesPort;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.ServerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what earlier runs left open and hands each watched server's newest open failure and alert to the monitor
 * ({@link MonitoringService#carryOver}); closes the rest at their best-known end: the last probe of their server that
 * their run recorded before the next episode of that server began (or before now), since the server was still
 * failing then and nobody saw it after. An episode of a server no longer watched is closed the same way.
 */
public final class ResumeEpisodesService implements ResumeEpisodesUseCase {
    private final OpenEpisodesPort episodes;
    private final FailureStorePort failures;
    private final AlertStorePort alerts;
    private final EpisodeCarrier monitor;
    private final Clock clock;

    public ResumeEpisodesService(OpenEpisodesPort episodes, FailureStorePort failures, AlertStorePort alerts,
                                 EpisodeCarrier monitor, Clock clock) {
        this.episodes = Objects.requireNonNull(episodes);
        this.failures = Objects.requireNonNull(failures);
        this.alerts = Objects.requireNonNull(alerts);
        this.monitor = Objects.requireNonNull(monitor);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public Resumed resume(java.util.function.Predicate<ServerId> scope) {
        Instant now = clock.instant();
        List<Failure> openFailures = episodes.openFailures().stream().filter(f -> scope.test(f.serverInstance()))
                .toList();
        List<Alert> openAlerts = episodes.openAlerts().stream().filter(a -> scope.test(a.server())).toList();
        Set<ServerId> watched = monitor.watched();
        Map<ServerId, Failure> newestFailure = new LinkedHashMap<>();
        openFailures.stream().filter(f -> watched.contains(f.serverInstance()))
                .forEach(f -> newestFailure.put(f.serverInstance(), f)); // oldest first: the last one stays
        Map<ServerId, Alert> newestAlert = new LinkedHashMap<>();
        openAlerts.stream().filter(a -> watched.contains(a.server())).forEach(a -> newestAlert.put(a.server(), a));

        int carried = 0;
        List<Failure> closedFailures = new ArrayList<>();
        List<Alert> closedAlerts = new ArrayList<>();
        Set<ServerId> servers = new java.util.TreeSet<>(newestFailure.keySet());
        servers.addAll(newestAlert.keySet());
        for (ServerId server : servers) {
            Optional<Failure> f = Optional.ofNullable(newestFailure.get(server));
            Optional<Alert> a = Optional.ofNullable(newestAlert.get(server));
            Instant from = earliest(f.map(Failure::occurredAt), a.map(Alert::raisedAt));
            Instant lastSeen = episodes.lastProbe(server, from, now).orElse(from);
            if (monitor.outOfService(server)) {
                // a cold standby instance: never probed in this run, so nothing would end them
                f.ifPresent(x -> closedFailures.add(closed(x, lastSeen, "a standby instance, out of service in this"
                        + " run")));
                a.ifPresent(x -> closedAlerts.add(x.resolvedAt(later(lastSeen, x.raisedAt()))));
            } else if (monitor.carryOver(server, f, a, lastSeen)) {
                carried += (f.isPresent() ? 1 : 0) + (a.isPresent() ? 1 : 0);
            } else {
                // the monitor has observed the server already: close them as if not carried
                f.ifPresent(x -> closedFailures.add(closed(x, lastSeen, "the monitor was already watching it")));
                a.ifPresent(x -> closedAlerts.add(x.resolvedAt(later(lastSeen, x.raisedAt()))));
            }
        }
        for (int i = 0; i < openFailures.size(); i++) {
            Failure f = openFailures.get(i);
            if (f == newestFailure.get(f.serverInstance())) {
                continue;
            }
            Instant next = nextStart(openFailures, i, now);
            Instant end = episodes.lastProbe(f.serverInstance(), f.occurredAt(), next).orElse(f.occurredAt());
            closedFailures.add(closed(f, end, watched.contains(f.serverInstance())
                    ? "a later episode of it was opened" : "the server is no longer watched"));
        }
        for (int i = 0; i < openAlerts.size(); i++) {
            Alert a = openAlerts.get(i);
            if (a == newestAlert.get(a.server())) {
                continue;
            }
            Instant next = now;
            for (int j = i + 1; j < openAlerts.size(); j++) {
                if (openAlerts.get(j).server().equals(a.server())) {
                    next = openAlerts.get(j).raisedAt();
                    break;
                }
            }
            Instant end = episodes.lastProbe(a.server(), a.raisedAt(), next).orElse(a.raisedAt());
            closedAlerts.add(a.resolvedAt(later(end, a.raisedAt())));
        }
        failures.record(closedFailures);
        alerts.save(closedAlerts);
        return new Resumed(carried, closedFailures.size() + closedAlerts.size());
    }

    /** When the next open episode of the same server began (the latest this one can have lasted), else {@code now}. */
    private static Instant nextStart(List<Failure> open, int i, Instant now) {
        ServerId server = open.get(i).serverInstance();
        for (int j = i + 1; j < open.size(); j++) {
            if (open.get(j).serverInstance().equals(server)) {
                return open.get(j).occurredAt();
            }
        }
        return now;
    }

    private static Failure closed(Failure f, Instant end, String why) {
        Duration lasted = Duration.between(f.occurredAt(), end);
        return new Failure(f.serverType(), f.serverInstance(), f.type(), f.taskContext(), "[left open by a run that "
                + "stopped while it was failing; closed at the next start (" + why + "); ended after " + end
                + ", the last time that run saw it] " + f.errorDetails(), f.recoveryAction(),
                Optional.of(lasted.isNegative() ? Duration.ZERO : lasted), f.occurredAt(),
                f.orchestratorRecoveryTaskId());
    }

    private static Instant earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isPresent() && b.isPresent()) {
            return a.get().isBefore(b.get()) ? a.get() : b.get();
        }
        return a.or(() -> b).orElseThrow();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
