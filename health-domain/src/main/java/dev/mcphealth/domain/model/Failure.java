package dev.mcphealth.domain.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One failure episode of one server: a row of integration_failures. */
public record Failure(
        ServerType serverType,
        ServerId serverInstance,
        FailureType type,
        String taskContext,
        String errorDetails,
        RecoveryAction recoveryAction,
        Optional<Duration> resolutionTime,
        Instant occurredAt,
        Optional<String> orchestratorRecoveryTaskId) {

    /** Longer error texts are cut to this many characters. */
    public static final int MAX_DETAILS = 4000;

    public Failure {
        Objects.requireNonNull(serverType, "serverType");
        Objects.requireNonNull(serverInstance, "serverInstance");
        Objects.requireNonNull(type, "type");
        Text.requireText(taskContext, "taskContext");
        Text.requireText(errorDetails, "errorDetails");
        Objects.requireNonNull(recoveryAction, "recoveryAction");
        Objects.requireNonNull(resolutionTime, "resolutionTime");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(orchestratorRecoveryTaskId, "orchestratorRecoveryTaskId");
        resolutionTime.ifPresent(d -> {
            if (d.isNegative()) {
                throw new IllegalArgumentException("resolution time cannot be negative: " + d);
            }
        });
        if (errorDetails.length() > MAX_DETAILS) {
            errorDetails = errorDetails.substring(0, MAX_DETAILS - 1) + "…";
        }
    }

    /** A failure just seen, not yet resolved, with nothing done about it yet. */
    public static Failure open(MonitoredServer server, FailureType type, String taskContext, String errorDetails,
                               Instant at) {
        return new Failure(server.type(), server.id(), type, taskContext, errorDetails, RecoveryAction.NONE,
                Optional.empty(), at, Optional.empty());
    }

    public boolean resolved() {
        return resolutionTime.isPresent();
    }
}
