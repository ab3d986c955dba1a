package dev.mcphealth.domain.routing;

import java.time.Duration;
import java.util.Objects;

/**
 * How long one call of a tool may wait for its answer on one instance: {@value #FACTOR} times the tool's p99 of late
 * (its answered calls of the last one to two minutes, {@link ToolLatency}), at least {@link #FLOOR}, at most the
 * configured ceiling; the ceiling itself until {@value #MIN_ANSWERED} of its calls have answered. A tool that answers
 * in 40 ms is given 5 s, not 30: a stuck call fails over (or fails) in seconds. The margin is wide because a call that
 * times out is a failure and its time is not learned: a tool whose calls legitimately become more than eight times
 * slower fails them until too few answer in the window (at most two minutes), and then has the ceiling again while its
 * new times are learned.
 */
public final class CallTimeout {
    public static final int FACTOR = 8;
    public static final Duration FLOOR = Duration.ofSeconds(5);
    public static final int MIN_ANSWERED = 20;
    public static final double QUANTILE = 0.99;

    private CallTimeout() {
    }

    /**
     * The timeout of a call whose tool has had {@code answered} answered calls of late, at a p99 of {@code p99Nanos}
     * (-1: none), under {@code ceiling}.
     */
    public static Duration of(Duration ceiling, long answered, long p99Nanos) {
        Objects.requireNonNull(ceiling, "ceiling");
        if (ceiling.isNegative() || ceiling.isZero()) {
            throw new IllegalArgumentException("the ceiling must be positive, got " + ceiling);
        }
        if (answered < MIN_ANSWERED || p99Nanos <= 0) {
            return ceiling;
        }
        long ceilingNanos = ceiling.toNanos();
        long derived = p99Nanos > ceilingNanos / FACTOR ? ceilingNanos : Math.max(p99Nanos * FACTOR, FLOOR.toNanos());
        return Duration.ofNanos(Math.min(derived, ceilingNanos));
    }
}
