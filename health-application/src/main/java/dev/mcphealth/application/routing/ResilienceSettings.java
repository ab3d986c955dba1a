package dev.mcphealth.application.routing;

import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.routing.Balancing;
import dev.mcphealth.domain.routing.CallTimeout;
import dev.mcphealth.domain.routing.RetryBudget;
import dev.mcphealth.domain.routing.ToolLatency;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the resilient client routes calls.
 *
 * @param callTimeout how long one tool call may take on one instance at most (real tools take longer than a ping): the
 *                    ceiling of each tool's own timeout when {@code adaptiveTimeouts}, else every call's
 * @param adaptiveTimeouts whether a tool's calls wait as long as its observed latency says ({@link CallTimeout})
 * @param failbackAfter how long an earlier instance (the primary) must have been healthy before calls go back to it
 *                      ({@link Balancing#STICKY})
 * @param maxInstancesPerCall how many instances one call may try before it fails
 * @param balancing how each server type's calls are spread over its instances; a type not in it gets
 *                  {@code defaultBalancing}
 * @param retryBudget how many extra requests (failovers, replays) each pool may send beyond one per call
 * @param usageWindow the window of each tool's call statistics: a minute, or shorter to compress the learned week
 *                    ({@code health.learning.minuteSeconds}); hedging and timeouts read the last one or two
 */
public record ResilienceSettings(Duration callTimeout, Duration failbackAfter, int maxInstancesPerCall,
                                 Map<ServerType, Balancing> balancing, Balancing defaultBalancing,
                                 RetryBudget.Settings retryBudget, boolean adaptiveTimeouts, Duration usageWindow) {

    /** A hedge goes out once a request has taken longer than this share of its tool's recent calls: the p95. */
    public static final double HEDGE_QUANTILE = 0.95;
    /** A tool is hedged only once this many of its calls are known (in the last one to two minutes). */
    public static final int HEDGE_MIN_CALLS = 20;

    public static final ResilienceSettings DEFAULTS = new ResilienceSettings(Duration.ofSeconds(30),
            Duration.ofSeconds(30), 3, Map.of(), Balancing.DEFAULT, RetryBudget.Settings.DEFAULT, true,
            Duration.ofNanos(ToolLatency.DEFAULT_WINDOW_NANOS));

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
        balancing = Map.copyOf(Objects.requireNonNull(balancing, "balancing"));
        Objects.requireNonNull(defaultBalancing, "defaultBalancing");
        Objects.requireNonNull(retryBudget, "retryBudget");
        if (usageWindow == null || usageWindow.compareTo(Duration.ofSeconds(1)) < 0
                || usageWindow.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("usageWindow must be 1 s to a minute, got " + usageWindow);
        }
    }

    /** How {@code type}'s calls are spread over its instances. */
    public Balancing balancing(ServerType type) {
        return balancing.getOrDefault(type, defaultBalancing);
    }

    /** These settings with every type balanced as {@code balancing} says, and the rest by {@code defaultBalancing}. */
    public ResilienceSettings withBalancing(Map<ServerType, Balancing> byType, Balancing otherwise) {
        return new ResilienceSettings(callTimeout, failbackAfter, maxInstancesPerCall, byType, otherwise,
                retryBudget, adaptiveTimeouts, usageWindow);
    }

    /** These settings with every pool's retry budget as {@code budget} says. */
    public ResilienceSettings withRetryBudget(RetryBudget.Settings budget) {
        return new ResilienceSettings(callTimeout, failbackAfter, maxInstancesPerCall, balancing, defaultBalancing,
                budget, adaptiveTimeouts, usageWindow);
    }

    /** These settings with calls waiting at most {@code ceiling}, each tool's own timeout derived or not. */
    public ResilienceSettings withCallTimeout(Duration ceiling, boolean adaptive) {
        return new ResilienceSettings(ceiling, failbackAfter, maxInstancesPerCall, balancing, defaultBalancing,
                retryBudget, adaptive, usageWindow);
    }

    /** These settings with each tool's call statistics kept in windows of {@code window}. */
    public ResilienceSettings withUsageWindow(Duration window) {
        return new ResilienceSettings(callTimeout, failbackAfter, maxInstancesPerCall, balancing, defaultBalancing,
                retryBudget, adaptiveTimeouts, window);
    }

    /** How long a call of a tool whose recent calls are {@code latency} may wait (now: {@code nowNanos}). */
    Duration timeout(java.util.Optional<ToolLatency> latency, long nowNanos) {
        if (!adaptiveTimeouts || latency.isEmpty()) {
            return callTimeout;
        }
        ToolLatency.Summary l = latency.get().summary(nowNanos);
        return CallTimeout.of(callTimeout, l.answered(), l.p99Nanos());
    }
}
