package dev.mcphealth.domain.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** One measured value of one server: a row of integration_health_metrics. */
public record HealthMetric(
        ServerType serverType,
        ServerId serverInstance,
        MetricType metricType,
        double value,
        HealthStatus status,
        Map<String, String> details,
        Instant measuredAt,
        Optional<String> orchestratorTaskId,
        Optional<String> orchestratorSessionId) {

    public HealthMetric {
        Objects.requireNonNull(serverType, "serverType");
        Objects.requireNonNull(serverInstance, "serverInstance");
        Objects.requireNonNull(metricType, "metricType");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(measuredAt, "measuredAt");
        Objects.requireNonNull(orchestratorTaskId, "orchestratorTaskId");
        Objects.requireNonNull(orchestratorSessionId, "orchestratorSessionId");
        if (!metricType.accepts(value)) {
            throw new IllegalArgumentException(metricType.code() + " cannot be " + value);
        }
        details = Map.copyOf(new TreeMap<>(Objects.requireNonNull(details, "details")));
    }

    /** A metric not linked to an orchestrator task. */
    public static HealthMetric of(MonitoredServer server, MetricType type, double value, HealthStatus status,
                                  Map<String, String> details, Instant at) {
        return new HealthMetric(server.type(), server.id(), type, value, status, details, at,
                Optional.empty(), Optional.empty());
    }
}
