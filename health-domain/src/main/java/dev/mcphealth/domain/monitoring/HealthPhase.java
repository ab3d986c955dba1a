package dev.mcphealth.domain.monitoring;

import dev.mcphealth.domain.model.HealthStatus;

/**
 * A server's health episode in one word: the states of {@link HealthTransition}'s table. The status says how bad;
 * the phase says which episode the server is in.
 */
public enum HealthPhase {
    /** Not observed yet. */
    UNKNOWN,
    /** Healthy. */
    HEALTHY,
    /** Answering, but slow, throttled, erring on real calls, or not yet proven back after a failure. */
    DEGRADED,
    /** Failing: its probes fail (critical, then offline) or its session was lost. */
    DOWN;

    public static HealthPhase of(HealthState state) {
        if (state.status().isEmpty()) {
            return UNKNOWN;
        }
        HealthStatus status = state.status().get();
        if (status == HealthStatus.HEALTHY) {
            return HEALTHY;
        }
        if (status == HealthStatus.OFFLINE || state.lastFailed() && status == HealthStatus.CRITICAL) {
            return DOWN;
        }
        return DEGRADED;
    }
}
