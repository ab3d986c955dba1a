package dev.mcphealth.domain.routing;

import java.time.Duration;

/**
 * How each server instance's circuit breaker trips: on the failure rate of the calls in a sliding window of time
 * (once it holds {@code minimumCalls}), on {@code consecutiveFailures} in a row, or on the rate of calls slower than
 * {@code slowCall}; it stays open for {@code openFor}, then lets {@code trialCalls} through (half-open).
 */
public record BreakerSettings(double failureRate, int minimumCalls, Duration window, int consecutiveFailures,
                              Duration slowCall, double slowCallRate, Duration openFor, int trialCalls) {

    /** The largest of the counts (minimumCalls, consecutiveFailures, trialCalls). */
    public static final int MAX_COUNT = 1000;
    /** The longest of the periods (window, slowCall, openFor). */
    public static final Duration MAX_PERIOD = Duration.ofHours(1);

    /**
     * ContextForge's breaker (50 % of at least 10 calls in 60 s, or 5 failures in a row), open for 30 s rather than
     * 60 s: the pool routes around an open instance, and a recovered one should get trial calls soon.
     */
    public static final BreakerSettings DEFAULTS = new BreakerSettings(0.5, 10, Duration.ofSeconds(60), 5,
            Duration.ofSeconds(10), 1.0, Duration.ofSeconds(30), 1);

    public BreakerSettings {
        if (!(failureRate > 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("breaker failureRate must be in (0, 1], got " + failureRate);
        }
        if (!(slowCallRate > 0 && slowCallRate <= 1)) {
            throw new IllegalArgumentException("breaker slowCallRate must be in (0, 1], got " + slowCallRate);
        }
        requireCount(minimumCalls, "minimumCalls");
        requireCount(consecutiveFailures, "consecutiveFailures");
        requireCount(trialCalls, "trialCalls");
        requirePositive(window, "windowSeconds");
        requirePositive(slowCall, "slowCallMs");
        requirePositive(openFor, "openSeconds");
    }

    /** These settings with another slow-call threshold. */
    public BreakerSettings withSlowCall(Duration slowCall) {
        return new BreakerSettings(failureRate, minimumCalls, window, consecutiveFailures, slowCall, slowCallRate,
                openFor, trialCalls);
    }

    /** These settings with another failure rate, a fraction in (0, 1]. */
    public BreakerSettings withFailureRate(double failureRate) {
        return new BreakerSettings(failureRate, minimumCalls, window, consecutiveFailures, slowCall, slowCallRate,
                openFor, trialCalls);
    }

    /** These settings with another open duration. */
    public BreakerSettings withOpenFor(Duration openFor) {
        return new BreakerSettings(failureRate, minimumCalls, window, consecutiveFailures, slowCall, slowCallRate,
                openFor, trialCalls);
    }

    private static void requireCount(int n, String what) {
        if (n < 1 || n > MAX_COUNT) {
            throw new IllegalArgumentException("breaker " + what + " must be 1.." + MAX_COUNT + ", got " + n);
        }
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero() || d.compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException("breaker " + what + " must be positive and at most an hour, got " + d);
        }
    }
}
