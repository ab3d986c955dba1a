package dev.mcphealth.application.monitoring;

import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ProbeDetails;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.Uptime;
import dev.mcphealth.domain.monitoring.AlertEpisode;
import dev.mcphealth.domain.monitoring.FailureEpisode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a probe taken in and a session lost between probes do alike to a server's record: its outage clock, its alert
 * and failure episodes (the domain values decide; their rows go to the buffer). Every method runs under the record's
 * lock.
 */
final class EpisodeSteps {
    private final WriteBuffer buffer;

    EpisodeSteps(WriteBuffer buffer) {
        this.buffer = buffer;
    }

    /** The alert episode after a status: its alert buffered, its event added to {@code raised}. */
    void alerts(ServerMonitor m, HealthStatus status, Optional<MonitorEvent.FailureSummary> failed,
                Optional<Duration> latency, Instant now, List<MonitorEvent> raised, Optional<Instant> carried) {
        AlertEpisode.Step step = m.alert.status(m.server.id(), status, () -> message(m.server.id(), status, failed,
                latency), now, carried);
        m.alert = step.next();
        step.write().ifPresent(buffer::add);
        step.event().ifPresent(raised::add);
    }

    /** The failure episode after an observation: opened by its first failure, resolved once healthy. */
    void failures(ServerMonitor m, Optional<MonitorEvent.FailureSummary> failed, HealthStatus status, Instant at,
                  Instant now, String context, Optional<Instant> carried) {
        if (failed.isPresent() && m.failure.openRow().isEmpty()) {
            apply(m, m.failure.failed(Failure.open(m.server, failed.get().type(), context, failed.get().message(),
                    at)));
        } else if (status == HealthStatus.HEALTHY) {
            apply(m, m.failure.healthy(now, carried));
        }
    }

    /** A change of the failure episode: the episode after it, and its row buffered. */
    void apply(ServerMonitor m, FailureEpisode.Step step) {
        m.failure = step.next();
        step.write().ifPresent(buffer::add);
    }

    /** The server stopped answering at {@code at}: an outage begins, unless one goes on. */
    static void wentDown(ServerMonitor m, Instant at) {
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
    static void cameUp(ServerMonitor m, Instant at) {
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
    static Uptime uptime(ServerMonitor m, Instant now) {
        if (m.watchedFrom.isEmpty()) {
            return Uptime.NONE;
        }
        Duration observed = nonNegative(Duration.between(m.watchedFrom.get(), now));
        Duration down = m.downtime.plus(m.downSince.map(d -> nonNegative(Duration.between(d, now)))
                .orElse(Duration.ZERO));
        return new Uptime(observed, down.compareTo(observed) > 0 ? observed : down);
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

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
