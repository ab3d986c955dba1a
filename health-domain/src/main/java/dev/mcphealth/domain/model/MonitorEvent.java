package dev.mcphealth.domain.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What the monitor tells the outside world, as it happens. Every event names its server and when. */
public sealed interface MonitorEvent permits MonitorEvent.StatusChanged, MonitorEvent.AlertRaised,
        MonitorEvent.AlertResolved, MonitorEvent.PredictionRaised, MonitorEvent.ToolsDrifted,
        MonitorEvent.BreakerChanged, MonitorEvent.RecoveryStarted, MonitorEvent.RecoverySucceeded,
        MonitorEvent.RecoveryFailed, MonitorEvent.RecoveryExhausted, MonitorEvent.FailedOver,
        AnomalyRaised, AnomalyResolved, ChangeJudged, StandbyChanged {

    ServerId server();

    Instant at();

    /**
     * The event's name in every output: status_changed, alert, alert_resolved, prediction, drift, breaker,
     * recovery_started, recovery_succeeded, recovery_failed, recovery_exhausted, failover, anomaly, anomaly_resolved,
     * change_judged, standby_changed.
     */
    String kind();

    /** Why a probe failed, safe to show. */
    record FailureSummary(FailureType type, String message) {
        public FailureSummary {
            Objects.requireNonNull(type, "type");
            Text.requireText(message, "message");
        }
    }

    /** The status changed; {@code from} is empty for the first status seen. */
    record StatusChanged(ServerId server, Optional<HealthStatus> from, HealthStatus to, Instant at,
                         Optional<FailureSummary> failure) implements MonitorEvent {
        public StatusChanged {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(failure, "failure");
            if (from.filter(to::equals).isPresent()) {
                throw new IllegalArgumentException("a status change changes the status");
            }
        }

        @Override
        public String kind() {
            return "status_changed";
        }
    }

    record AlertRaised(Alert alert) implements MonitorEvent {
        public AlertRaised {
            Objects.requireNonNull(alert, "alert");
        }

        @Override
        public ServerId server() {
            return alert.server();
        }

        @Override
        public Instant at() {
            return alert.raisedAt();
        }

        @Override
        public String kind() {
            return "alert";
        }
    }

    record AlertResolved(Alert alert) implements MonitorEvent {
        public AlertResolved {
            if (!Objects.requireNonNull(alert, "alert").resolved()) {
                throw new IllegalArgumentException("alert " + alert.id() + " is not resolved");
            }
        }

        @Override
        public ServerId server() {
            return alert.server();
        }

        @Override
        public Instant at() {
            return alert.resolvedAt().orElseThrow();
        }

        @Override
        public String kind() {
            return "alert_resolved";
        }
    }

    /**
     * A metric is trending toward its critical threshold: {@code current} (smoothed) will reach {@code threshold} in
     * about {@code timeToCross} at {@code trendPerSecond}.
     */
    record PredictionRaised(ServerId server, MetricType metric, double threshold, double current,
                            double trendPerSecond, Duration timeToCross, Instant at) implements MonitorEvent {
        public PredictionRaised {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(at, "at");
            if (timeToCross == null || timeToCross.isNegative()) {
                throw new IllegalArgumentException("time to cross must be zero or more, got " + timeToCross);
            }
            if (!Double.isFinite(threshold) || !Double.isFinite(current) || !Double.isFinite(trendPerSecond)) {
                throw new IllegalArgumentException("a prediction's numbers must be finite");
            }
        }

        @Override
        public String kind() {
            return "prediction";
        }
    }

    record ToolsDrifted(ServerId server, ToolDrift drift, Instant at) implements MonitorEvent {
        public ToolsDrifted {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(drift, "drift");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String kind() {
            return "drift";
        }
    }

    /** A server instance's circuit breaker changed state; {@code reason} says what tripped or closed it. */
    record BreakerChanged(ServerId server, BreakerState from, BreakerState to, String reason, Instant at)
            implements MonitorEvent {
        public BreakerChanged {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Text.requireText(reason, "reason");
            Objects.requireNonNull(at, "at");
            if (from == to) {
                throw new IllegalArgumentException("a breaker change changes the state");
            }
        }

        @Override
        public String kind() {
            return "breaker";
        }
    }

    /** Attempt {@code attempt} (1-based, within the episode) to bring a server back by {@code action} begins. */
    record RecoveryStarted(ServerId server, RecoveryAction action, int attempt, Instant at) implements MonitorEvent {
        public RecoveryStarted {
            Objects.requireNonNull(server, "server");
            requireAction(action);
            requireAttempt(attempt);
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String kind() {
            return "recovery_started";
        }
    }

    /** The server is back: {@code resolution} is the time from the episode's first failure to now. */
    record RecoverySucceeded(ServerId server, RecoveryAction action, int attempt, Duration resolution, Instant at)
            implements MonitorEvent {
        public RecoverySucceeded {
            Objects.requireNonNull(server, "server");
            requireAction(action);
            requireAttempt(attempt);
            if (resolution == null || resolution.isNegative()) {
                throw new IllegalArgumentException("resolution must be zero or more, got " + resolution);
            }
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String kind() {
            return "recovery_succeeded";
        }
    }

    /** An attempt failed; {@code nextAttemptAt} is when the next one is due. */
    record RecoveryFailed(ServerId server, RecoveryAction action, int attempt, FailureSummary failure,
                          Instant nextAttemptAt, Instant at) implements MonitorEvent {
        public RecoveryFailed {
            Objects.requireNonNull(server, "server");
            requireAction(action);
            requireAttempt(attempt);
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String kind() {
            return "recovery_failed";
        }
    }

    /**
     * All {@code attempts} of an episode failed: from now on the server is retried slowly, next at
     * {@code nextRetryAt} (never a permanent give-up).
     */
    record RecoveryExhausted(ServerId server, int attempts, Instant nextRetryAt, Instant at) implements MonitorEvent {
        public RecoveryExhausted {
            Objects.requireNonNull(server, "server");
            if (attempts < 0) {
                throw new IllegalArgumentException("attempts cannot be negative: " + attempts);
            }
            Objects.requireNonNull(nextRetryAt, "nextRetryAt");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String kind() {
            return "recovery_exhausted";
        }
    }

    /**
     * Calls for {@code serverType} now go to {@code to} instead of {@code from} (a failover, or a fail-back to the
     * primary); {@code server()} is {@code from}.
     */
    record FailedOver(ServerType serverType, ServerId from, ServerId to, String reason, Instant at)
            implements MonitorEvent {
        public FailedOver {
            Objects.requireNonNull(serverType, "serverType");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Text.requireText(reason, "reason");
            Objects.requireNonNull(at, "at");
            if (from.equals(to)) {
                throw new IllegalArgumentException("a failover moves to another instance, both are " + from);
            }
        }

        @Override
        public ServerId server() {
            return from;
        }

        @Override
        public String kind() {
            return "failover";
        }
    }

    private static void requireAction(RecoveryAction action) {
        if (action == null || action == RecoveryAction.NONE || action == RecoveryAction.FAILOVER) {
            throw new IllegalArgumentException("a recovery attempt restarts or reconnects, got " + action);
        }
    }

    private static void requireAttempt(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, got " + attempt);
        }
    }
}
