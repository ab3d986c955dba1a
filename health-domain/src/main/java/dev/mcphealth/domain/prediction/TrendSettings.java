package dev.mcphealth.domain.prediction;

import java.time.Duration;
import java.util.Objects;

/**
 * How a predictor weighs its samples. The windows and the horizon scale with the probe interval so that a server
 * probed once a minute gets as many samples per window as one probed every second, but never shrink below their
 * minimum durations. Reasons for the defaults: docs/predictions.md.
 *
 * @param minWindow          the shortest forgetting time constant of the short line
 * @param windowSamples      the short line's time constant in probe intervals, when longer than minWindow
 * @param longWindowFactor   how many times longer the long line's time constant is (1: one line only)
 * @param minHorizon         the shortest look-ahead: crossings further away are not predicted
 * @param horizonSamples     the look-ahead in probe intervals, when longer than minHorizon
 * @param minTStatistic      how many standard errors the slope must be above zero
 * @param confirmations      consecutive samples the forecast must hold before it is raised
 * @param minConfirmation    the least time those samples must span (at one sample per interval)
 * @param noiseFloor         on a linear scale, the smallest residual deviation assumed, in the metric's unit: a
 *                           perfectly flat series must not make the smallest later change significant. On a log
 *                           scale, the offset added before taking the logarithm (so that 0 is legal)
 * @param relativeNoiseFloor the smallest residual deviation assumed, as a fraction of the level (on a log scale,
 *                           the smallest deviation of the logarithm, which is the same thing)
 * @param noiseCorrelation   how long the noise stays correlated: a rolling-window metric repeats most of its
 *                           window in the next sample, so samples closer than this count as fewer
 * @param rearmFraction      after the level reached the threshold, the fraction of it the level must come back
 *                           down to before a new approach can be predicted
 * @param maxValue           the largest legal value (1 for a fraction)
 * @param logScale           whether to fit the logarithm of the value: right for noise proportional to the level
 */
public record TrendSettings(Duration minWindow, int windowSamples, double longWindowFactor, Duration minHorizon,
                       int horizonSamples, double minTStatistic, int confirmations, Duration minConfirmation,
                       double noiseFloor, double relativeNoiseFloor, Duration noiseCorrelation,
                       double rearmFraction, double maxValue, boolean logScale) {

    /**
     * Probe round-trip times in milliseconds: independent noise proportional to the level, outliers several times
     * the level, no upper bound.
     */
    public static final TrendSettings LATENCY = new TrendSettings(Duration.ofMinutes(1), 8, 4, Duration.ofMinutes(30),
            30, 4.0, 2, Duration.ofSeconds(30), 1.0, 0.01, Duration.ZERO, 0.75, Double.POSITIVE_INFINITY, true);

    /**
     * Rolling one-minute error rates, fractions 0..1: step-like, correlated over the rolling minute, often
     * exactly zero.
     */
    public static final TrendSettings ERROR_RATE = new TrendSettings(Duration.ofMinutes(5), 10, 4,
            Duration.ofMinutes(30), 30, 4.0, 3, Duration.ofMinutes(1), 0.01, 0.0, Duration.ofMinutes(1), 0.75, 1.0,
            false);

    public TrendSettings {
        requirePositive(minWindow, "minWindow");
        requirePositive(minHorizon, "minHorizon");
        requireNotNegative(minConfirmation, "minConfirmation");
        if (minConfirmation.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("minConfirmation must be at most a day, got " + minConfirmation);
        }
        requireNotNegative(noiseCorrelation, "noiseCorrelation");
        if (windowSamples < 3 || windowSamples > 10_000) {
            throw new IllegalArgumentException("windowSamples must be 3..10000, got " + windowSamples);
        }
        if (!(longWindowFactor >= 1 && longWindowFactor <= 100)) {
            throw new IllegalArgumentException("longWindowFactor must be 1..100, got " + longWindowFactor);
        }
        if (horizonSamples < 1 || horizonSamples > 10_000) {
            throw new IllegalArgumentException("horizonSamples must be 1..10000, got " + horizonSamples);
        }
        if (!(minTStatistic > 0 && minTStatistic <= 100)) {
            throw new IllegalArgumentException("minTStatistic must be above 0 and at most 100, got "
                    + minTStatistic);
        }
        if (confirmations < 1 || confirmations > 100) {
            throw new IllegalArgumentException("confirmations must be 1..100, got " + confirmations);
        }
        if (!(noiseFloor > 0 && Double.isFinite(noiseFloor))) {
            throw new IllegalArgumentException("noiseFloor must be a positive number, got " + noiseFloor);
        }
        if (!(relativeNoiseFloor >= 0 && relativeNoiseFloor < 1)) {
            throw new IllegalArgumentException("relativeNoiseFloor must be 0 or more and below 1, got "
                    + relativeNoiseFloor);
        }
        if (!(rearmFraction > 0 && rearmFraction < 1)) {
            throw new IllegalArgumentException("rearmFraction must be strictly between 0 and 1, got "
                    + rearmFraction);
        }
        if (!(maxValue > 0)) {
            throw new IllegalArgumentException("maxValue must be positive, got " + maxValue);
        }
    }

    private static void requirePositive(Duration d, String what) {
        requireNotNegative(d, what);
        if (d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }

    private static void requireNotNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + d);
        }
    }
}
