package dev.mcphealth.domain.prediction;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A metric is trending toward its critical threshold: where it is now (smoothed), how fast it moves, and when at that
 * pace it will cross. A forecast is only made from below and for a rising trend, so the level is below the threshold,
 * the trend is positive and the time to cross is positive; anything else is a bug in whoever built it.
 *
 * @param threshold      the critical threshold the metric approaches, in the metric's unit (ms, or a fraction)
 * @param level          the smoothed value at {@code estimatedAt}, same unit
 * @param trendPerSecond how fast the smoothed value rises, in the metric's unit per second
 * @param timeToCross    at that pace, how long until {@code level} reaches {@code threshold}
 * @param estimatedAt    the time of the sample the estimate was made on
 */
public record Forecast(double threshold, double level, double trendPerSecond, Duration timeToCross,
                       Instant estimatedAt) {

    public Forecast {
        if (!(Double.isFinite(threshold) && threshold > 0)) {
            throw new IllegalArgumentException("threshold must be a positive number, got " + threshold);
        }
        if (!(Double.isFinite(level) && level < threshold)) {
            throw new IllegalArgumentException("level must be a number below the threshold " + threshold + ", got "
                    + level);
        }
        if (!(Double.isFinite(trendPerSecond) && trendPerSecond > 0)) {
            throw new IllegalArgumentException("trendPerSecond must be a positive number, got " + trendPerSecond);
        }
        Objects.requireNonNull(timeToCross, "timeToCross");
        if (timeToCross.isNegative() || timeToCross.isZero()) {
            throw new IllegalArgumentException("timeToCross must be positive, got " + timeToCross);
        }
        Objects.requireNonNull(estimatedAt, "estimatedAt");
    }

    /** When the metric is expected to reach the threshold, if it keeps its pace. */
    public Instant expectedCrossingAt() {
        return estimatedAt.plus(timeToCross);
    }
}
