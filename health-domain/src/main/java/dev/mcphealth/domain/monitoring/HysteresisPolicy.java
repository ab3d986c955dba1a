package dev.mcphealth.domain.monitoring;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.Thresholds;
import java.util.Optional;

/**
 * Status with hysteresis, so that a server's status tells the truth without flapping. The table (docs/monitoring.md):
 * <ul>
 *   <li>The first observation sets the status directly (a failure counts as the first of a run).</li>
 *   <li>A failed probe: the k-th in a row makes the server {@code offline} once k reaches
 *       {@link Thresholds#offlineAfterFailures()}, {@code critical} before that. Failing acts at once: a server that
 *       stops answering is not healthy, and waiting for a second timeout would double the time to know.</li>
 *   <li>A rate-limited probe (429) makes it {@code warning} and is not counted toward offline: the server is up.</li>
 *   <li>A session lost between probes (a process that exited, a stream that broke) makes it {@code offline} at once:
 *       it cannot answer, and its outage must show even when recovery brings it back before the next probe.</li>
 *   <li>A slow answer (warning or critical latency) moves a healthy server only when it is the second slow answer in a
 *       row ({@link #DEGRADE_AFTER}): one garbage-collection pause is not an incident. A server already unhealthy takes
 *       the answer's level at once.</li>
 *   <li>A healthy answer right after a failure counts as {@code warning} for that interval: one answer does not prove a
 *       recovery. After that, {@link Thresholds#healthyAfterSuccesses()} healthy answers in a row make it healthy;
 *       until then it stays {@code warning}.</li>
 * </ul>
 */
public final class HysteresisPolicy {
    /** Slow answers in a row before a healthy server is called degraded. */
    public static final int DEGRADE_AFTER = 2;

    private HysteresisPolicy() {
    }

    /**
     * The state after {@code observation}; every change of phase is one of {@link HealthTransition}'s table.
     *
     * @throws IllegalStateException if it would not be (a bug)
     */
    public static HealthState next(HealthState state, Observation observation, Thresholds thresholds) {
        HealthState after = step(state, observation, thresholds);
        HealthPhase from = HealthPhase.of(state);
        HealthPhase to = HealthPhase.of(after);
        if (from != to) {
            HealthTransition.between(from, to);
        }
        return after;
    }

    private static HealthState step(HealthState state, Observation observation, Thresholds thresholds) {
        if (observation instanceof Observation.Failed failed) {
            return failed(state, failed.type(), thresholds);
        }
        if (observation instanceof Observation.Answered answered) {
            return answered(state, answered.level(), thresholds);
        }
        if (observation instanceof Observation.Lost) {
            // not a probe that may have been unlucky: the session is gone, so the server is offline at once
            int failures = Math.max(state.consecutiveFailures() + 1, thresholds.offlineAfterFailures());
            return new HealthState(Optional.of(HealthStatus.OFFLINE), failures, 0, 0, true);
        }
        throw new IllegalStateException("unknown observation " + observation);
    }

    private static HealthState failed(HealthState state, FailureType type, Thresholds thresholds) {
        if (type == FailureType.RATE_LIMIT) {
            return new HealthState(Optional.of(HealthStatus.WARNING), state.consecutiveFailures(), 0, 0, true);
        }
        int failures = state.consecutiveFailures() + 1;
        HealthStatus status = failures >= thresholds.offlineAfterFailures() ? HealthStatus.OFFLINE : HealthStatus.CRITICAL;
        return new HealthState(Optional.of(status), failures, 0, 0, true);
    }

    private static HealthState answered(HealthState state, HealthStatus level, Thresholds thresholds) {
        if (state.status().isEmpty()) {
            boolean healthy = level == HealthStatus.HEALTHY;
            return new HealthState(Optional.of(level), 0, healthy ? 1 : 0, healthy ? 0 : 1, false);
        }
        HealthStatus current = state.status().get();
        if (level == HealthStatus.HEALTHY) {
            int successes = state.consecutiveSuccesses() + 1;
            HealthStatus status;
            if (current == HealthStatus.HEALTHY) {
                status = HealthStatus.HEALTHY;
            } else if (state.lastFailed() || successes < thresholds.healthyAfterSuccesses()) {
                status = HealthStatus.WARNING;
            } else {
                status = HealthStatus.HEALTHY;
            }
            return new HealthState(Optional.of(status), 0, successes, 0, false);
        }
        int degraded = state.consecutiveDegraded() + 1;
        HealthStatus status = current == HealthStatus.HEALTHY && degraded < DEGRADE_AFTER ? HealthStatus.HEALTHY : level;
        return new HealthState(Optional.of(status), 0, 0, degraded, false);
    }
}
