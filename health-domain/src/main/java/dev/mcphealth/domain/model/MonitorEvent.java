package dev.mcphealth.domain.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What the monitor tells the outside world, as it happens. Every event names its server and when. */
public sealed interface MonitorEvent permits MonitorEvent.StatusChanged, MonitorEvent.AlertRaised,
        MonitorEvent.AlertResolved, MonitorEvent.PredictionRaised, MonitorEvent.ToolsDrifted {

    ServerId server();

    Instant at();

    /** The event's name in every output: status_changed, alert, alert_resolved, prediction, drift. */
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
}
