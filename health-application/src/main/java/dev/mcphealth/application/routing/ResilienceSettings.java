package dev.mcphealth.application.routing;

import java.time.Duration;

/**
 * How the resilient client routes calls.
 *
 * @param callTimeout how long one tool call may take on one instance (real tools take longer than a ping)
 * @param failbackAfter how long an earlier instance (the primary) must have been healthy before calls go back to it
 * @param maxInstancesPerCall how many instances one call may try before it fails
 */
public record ResilienceSettings(Duration callTimeout, Duration failbackAfter, int maxInstancesPerCall) {

    public static final ResilienceSettings DEFAULTS = new ResilienceSettings(Duration.ofSeconds(30),
            Duration.ofSeconds(30), 3);

    public ResilienceSettings {
        if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive, got " + callTimeout);
        }
        if (failbackAfter == null || failbackAfter.isNegative()) {
            throw new IllegalArgumentException("failbackAfter must be zero or more, got " + failbackAfter);
        }
        if (maxInstancesPerCall < 1) {
            throw new IllegalArgumentException("maxInstancesPerCall must be at least 1, got " + maxInstancesPerCall);
        }
    }
}
