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
        orchestratorTaskId.ifPresent(id -> Text.requireText(id, "orchestratorTaskId"));
        orchestratorSessionId.ifPresent(id -> Text.requireText(id, "orchestratorSessionId"));
        if (orchestratorTaskId.isPresent() && orchestratorSessionId.isEmpty()) {
            throw new IllegalArgumentException("an orchestrator task belongs to a session: the task "
                    + orchestratorTaskId.get() + " has none");
        }
        details = Map.copyOf(new TreeMap<>(Objects.requireNonNull(details, "details")));
    }

    /** A metric not linked to an orchestrator task. */
    public static HealthMetric of(MonitoredServer server, MetricType type, double value, HealthStatus status,
                                  Map<String, String> details, Instant at) {
        return new HealthMetric(server.type(), server.id(), type, value, status, details, at,
                Optional.empty(), Optional.empty());
    }

    /**
     * This metric measured by a run linked to an orchestrator session: the session, and the run's task once the
     * orchestrator planned it (a run whose plan waits in the outbox has none yet).
     */
    public HealthMetric linkedTo(String sessionId, Optional<String> taskId) {
        return new HealthMetric(serverType, serverInstance, metricType, value, status, details, measuredAt, taskId,
                Optional.of(sessionId));
    }
}
