package dev.mcphealth.domain.monitoring;

import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.AlertSeverity;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.ServerId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One server's alert episode: {@link Quiet}, or one alert {@link Raised} per unhealthy episode, escalated while it
 * gets worse, restated critical when recovery gives up, resolved once the server is healthy. Each change gives the
 * alert to write and the event to publish, if any. Pure and immutable.
 */
public sealed interface AlertEpisode permits AlertEpisode.Quiet, AlertEpisode.Raised {

    AlertEpisode NONE = new Quiet();

    /** The open alert, if any. */
    default Optional<Alert> open() {
        return this instanceof Raised r ? Optional.of(r.alert()) : Optional.empty();
    }

    /** No alert open. */
    record Quiet() implements AlertEpisode {
    }

    /** The episode's alert is open. */
    record Raised(Alert alert) implements AlertEpisode {
        public Raised {
            Objects.requireNonNull(alert, "alert");
        }
    }

    /** The episode after a change, the alert to write and the event to publish. */
    record Step(AlertEpisode next, Optional<Alert> write, Optional<MonitorEvent> event) {
        public Step {
            Objects.requireNonNull(next, "next");
            Objects.requireNonNull(write, "write");
            Objects.requireNonNull(event, "event");
        }
    }

    /** An alert an earlier run left open, carried into this run until its first observation. */
    static AlertEpisode carried(Alert alert) {
        return new Raised(alert);
    }

    /**
     * The server's status is {@code status} at {@code now}: healthy resolves the open alert (one an earlier run left
     * open and this run found healthy at once: at {@code carriedUntil}, that run's last sight of the server, its
     * best-known end); anything else raises one or escalates it, saying {@code why}.
     */
    default Step status(ServerId server, HealthStatus status, Supplier<String> why, Instant now,
                        Optional<Instant> carriedUntil) {
        if (status == HealthStatus.HEALTHY) {
            if (!(this instanceof Raised r)) {
                return new Step(this, Optional.empty(), Optional.empty());
            }
            Instant raisedAt = r.alert().raisedAt();
            Alert resolved = r.alert().resolvedAt(carriedUntil.filter(c -> !c.isBefore(raisedAt))
                    .orElse(carriedUntil.isPresent() ? raisedAt : now));
            return new Step(NONE, Optional.of(resolved), Optional.of(new MonitorEvent.AlertResolved(resolved)));
        }
        if (this instanceof Raised r) {
            Alert escalated = r.alert().escalatedTo(AlertSeverity.of(status), why.get());
            return escalated == r.alert() ? new Step(this, Optional.empty(), Optional.empty())
                    : new Step(new Raised(escalated), Optional.of(escalated), Optional.empty());
        }
        Alert alert = Alert.raise(server, AlertSeverity.of(status), why.get(), now);
        return new Step(new Raised(alert), Optional.of(alert), Optional.of(new MonitorEvent.AlertRaised(alert)));
    }

    /** Recovery gave up on the server for now: the open alert says so as critical, or a critical one is raised. */
    default Step exhausted(ServerId server, String why, Instant now) {
        if (this instanceof Raised r) {
            Alert restated = r.alert().restated(AlertSeverity.CRITICAL, why);
            return new Step(new Raised(restated), Optional.of(restated), Optional.empty());
        }
        Alert alert = Alert.raise(server, AlertSeverity.CRITICAL, why, now);
        return new Step(new Raised(alert), Optional.of(alert), Optional.of(new MonitorEvent.AlertRaised(alert)));
    }
}
