package dev.mcphealth.domain.monitoring;

import dev.mcphealth.domain.model.HealthStatus;

import java.util.Objects;
import java.util.Optional;

/**
 * What the monitor believes of one server between probes: its status (empty before the first observation) and the
 * run lengths that hysteresis needs. Changed only by {@link dev.mcphealth.domain.monitoring.HysteresisPolicy}.
 *
 * @param consecutiveFailures probes failed in a row (rate limits excluded: a throttled server is up)
 * @param consecutiveSuccesses healthy answers in a row
 * @param consecutiveDegraded slow (warning or critical) answers in a row
 * @param lastFailed whether the previous observation was a failed probe
 */
public record HealthState(Optional<HealthStatus> status, int consecutiveFailures, int consecutiveSuccesses,
                          int consecutiveDegraded, boolean lastFailed) {

    public static final HealthState UNKNOWN = new HealthState(Optional.empty(), 0, 0, 0, false);

    public HealthState {
        Objects.requireNonNull(status, "status");
        if (consecutiveFailures < 0 || consecutiveSuccesses < 0 || consecutiveDegraded < 0) {
            throw new IllegalArgumentException("run lengths cannot be negative");
        }
        if (consecutiveFailures > 0 && (consecutiveSuccesses > 0 || consecutiveDegraded > 0)) {
            throw new IllegalArgumentException("a run of failures excludes a run of answers");
        }
        if (consecutiveSuccesses > 0 && consecutiveDegraded > 0) {
            throw new IllegalArgumentException("a run of healthy answers excludes a run of slow ones");
        }
    }

    public boolean isHealthy() {
        return status.filter(HealthStatus.HEALTHY::equals).isPresent();
    }
}
