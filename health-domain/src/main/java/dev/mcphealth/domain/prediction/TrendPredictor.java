package dev.mcphealth.domain.prediction;

import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.Thresholds;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Predicts that one metric of one server will cross its critical threshold soon, from the stream of its samples.
 * Immutable: {@link #observe} returns the next state and, at most once per approach, the {@link Forecast} to raise.
 * No clock, no randomness: the same samples always give the same forecasts.
 *
 * <p>Method (docs/predictions.md has the reasons, the parameters and the measured figures):
 * <ol>
 *   <li>outliers go first: the short line takes the median of the last three samples, the long line the median of
 *       the last five (one slow probe, or for the long line two in a row, are not a trend);</li>
 *   <li>latency is fitted on a log scale, because its noise and its outliers are proportional to the level; error
 *       rates on their own scale;</li>
 *   <li>two straight lines are fitted by least squares with exponential forgetting in <em>time</em>
 *       ({@link DiscountedLine}): a short window for fast ramps, a four times longer one for slow ramps in heavy
 *       noise. Forgetting by time copes with irregular spacing and missed probes, and needs no buffer;</li>
 *   <li>a line forecasts a crossing when its level is below the threshold, its slope is significant (the slope's
 *       t-statistic against the line's own residual noise is at least {@code minTStatistic}) and at the current
 *       pace the threshold is reached within the horizon;</li>
 *   <li>the forecast is raised once either line has held it for enough consecutive samples: at least
 *       {@code confirmations}, and enough to span {@code minConfirmation}.</li>
 * </ol>
 *
 * <p>Deduplication, one raise per approach: after a raise nothing more is raised until not even a weak forecast (half
 * the t-statistic, twice the horizon) has held for one long window in a row: the approach is over. A level at or over
 * the threshold (on both lines) is never predicted, since the status policy already reports it; after it, nothing is
 * raised until the long line's level has come back down to {@code rearmFraction} of the threshold.
 */
public final class TrendPredictor {

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
    public record Settings(Duration minWindow, int windowSamples, double longWindowFactor, Duration minHorizon,
                           int horizonSamples, double minTStatistic, int confirmations, Duration minConfirmation,
                           double noiseFloor, double relativeNoiseFloor, Duration noiseCorrelation,
                           double rearmFraction, double maxValue, boolean logScale) {

        /**
         * Probe round-trip times in milliseconds: independent noise proportional to the level, outliers several times
         * the level, no upper bound.
         */
        public static final Settings LATENCY = new Settings(Duration.ofMinutes(1), 8, 4, Duration.ofMinutes(30), 30,
                4.0, 2, Duration.ofSeconds(30), 1.0, 0.01, Duration.ZERO, 0.75, Double.POSITIVE_INFINITY, true);

        /**
         * Rolling one-minute error rates, fractions 0..1: step-like, correlated over the rolling minute, often
         * exactly zero.
         */
        public static final Settings ERROR_RATE = new Settings(Duration.ofMinutes(5), 10, 4, Duration.ofMinutes(30),
                30, 4.0, 3, Duration.ofMinutes(1), 0.01, 0.0, Duration.ofMinutes(1), 0.75, 1.0, false);

        public Settings {
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

    /**
     * The result of one sample: the state to keep for the next one, and the forecast to raise now, if any.
     *
     * @param next  the predictor to call with the next sample
     * @param raise a forecast, present only on the sample that starts an approach episode
     */
    public record Step(TrendPredictor next, Optional<Forecast> raise) {
        public Step {
            Objects.requireNonNull(next, "next");
            Objects.requireNonNull(raise, "raise");
        }
    }

    /** Where the predictor is in an approach episode. */
    enum Phase {
        /** Nothing raised; counting consecutive samples that forecast a crossing. */
        WATCHING,
        /** Raised for this approach; waiting for the forecast to stay clear for one long window. */
        RAISED,
        /** The level reached the threshold; waiting for it to come back down to the re-arm level. */
        ABOVE
    }

    /** Fewer effective samples than this and a line is not trusted. */
    static final double MIN_EFFECTIVE_SAMPLES = 8;
    /** A gap longer than this many long windows leaves nothing of the old fit worth keeping. */
    static final double RESET_AFTER_WINDOWS = 3;
    /**
     * Consecutive medians share samples, so their errors are correlated and a slope varies more than independent
     * residuals of the same size would say. For independent Gaussian noise the medians of three have lag
     * correlations 0.55 and 0.26, so the slope's standard error grows by sqrt(1 + 2 (0.55 + 0.26)) = 1.62; the medians
     * of five have 0.70, 0.50, 0.32, 0.16, so 2.08. Without these factors the t-statistic of a flat series has a
     * standard deviation of 1.6 or 2.1 instead of 1 (measured).
     */
    static final double MEDIAN_OF_THREE_LONG_RUN = 1.62;
    static final double MEDIAN_OF_FIVE_LONG_RUN = 2.08;

    /** What stays the same for the life of one predictor. */
    private record Tuning(Settings settings, double threshold, double horizon, double correlation,
                          int confirmations) {
    }

    /**
     * The last four raw samples, newest first, for the medians: the short line takes the median of the last three,
     * placed at the middle one's time ({@code at1}), the long line the median of the last five, at {@code at2}.
     */
    private record Recent(int count, Instant at1, double v1, Instant at2, double v2, double v3, double v4) {
        static final Recent NONE = new Recent(0, null, 0, null, 0, 0, 0);

        Recent push(Instant at, double v) {
            return new Recent(Math.min(4, count + 1), at, v, at1, v1, v2, v3);
        }

        double medianOfThree(double v) {
            return Medians.of(v, v1, v2);
        }

        double medianOfFive(double v) {
            return Medians.of(v, v1, v2, v3, v4);
        }
    }

    private final Tuning tuning;
    private final Recent recent;
    /** When the current fit started: a line is trusted once it has seen one of its windows. */
    private final Instant fitFrom;
    private final DiscountedLine fast;
    private final DiscountedLine slow;
    private final Phase phase;
    /** WATCHING: consecutive samples the forecast held; otherwise 0. */
    private final int holding;
    /** RAISED: since when not even a weak forecast has held; otherwise null. */
    private final Instant clearSince;

    private TrendPredictor(Tuning tuning, Recent recent, Instant fitFrom, DiscountedLine fast, DiscountedLine slow,
                           Phase phase, int holding, Instant clearSince) {
        this.tuning = tuning;
        this.recent = recent;
        this.fitFrom = fitFrom;
        this.fast = fast;
        this.slow = slow;
        this.phase = phase;
        this.holding = holding;
        this.clearSince = clearSince;
    }

    /**
     * A predictor with no samples yet.
     *
     * @param threshold     the critical threshold, in the metric's unit: positive, at most {@code maxValue}
     * @param probeInterval how often the metric is sampled (the configured interval; the actual spacing may vary)
     * @param settings      how to weigh the samples
     */
    public static TrendPredictor start(double threshold, Duration probeInterval, Settings settings) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(probeInterval, "probeInterval");
        if (probeInterval.isNegative() || probeInterval.isZero()) {
            throw new IllegalArgumentException("probeInterval must be positive, got " + probeInterval);
        }
        if (!(threshold > 0 && threshold <= settings.maxValue() && Double.isFinite(threshold))) {
            throw new IllegalArgumentException("threshold must be a positive number up to " + settings.maxValue()
                    + ", got " + threshold);
        }
        double interval = seconds(probeInterval);
        double window = Math.max(seconds(settings.minWindow()), settings.windowSamples() * interval);
        double horizon = Math.max(seconds(settings.minHorizon()), settings.horizonSamples() * interval);
        double correlation = Math.sqrt(Math.max(1.0, seconds(settings.noiseCorrelation()) / interval));
        int confirmations = (int) Math.max(settings.confirmations(),
                Math.ceil(seconds(settings.minConfirmation()) / interval) + 1);
        return new TrendPredictor(new Tuning(settings, threshold, horizon, correlation, confirmations), Recent.NONE,
                null, DiscountedLine.empty(window), DiscountedLine.empty(window * settings.longWindowFactor()),
                Phase.WATCHING, 0, null);
    }

    /**
     * A predictor for one server's metric against its critical threshold: the response time in milliseconds
     * against {@link Thresholds#responseTimeCritical()}, or the error rate against
     * {@link Thresholds#errorRateCritical()}. Availability and throughput fall as they worsen and are not predicted.
     */
    public static TrendPredictor forMetric(MetricType metric, Thresholds thresholds, Duration probeInterval) {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(thresholds, "thresholds");
        switch (metric) {
            case RESPONSE_TIME:
                return start(thresholds.responseTimeCritical().toNanos() / 1e6, probeInterval, Settings.LATENCY);
            case ERROR_RATE:
                return start(thresholds.errorRateCritical(), probeInterval, Settings.ERROR_RATE);
            default:
                throw new IllegalArgumentException("no trend prediction for " + metric.code()
                        + ": only response_time and error_rate rise toward a critical threshold");
        }
    }

    /**
     * Takes one sample.
     *
     * @param at    when it was measured. A sample at the same instant as the previous one is ignored; one earlier
     *              than the previous (the clock stepped back), or after a gap of more than three long windows,
     *              starts the fit afresh (the phase, and so the deduplication, is kept)
     * @param value the measured value, 0..maxValue
     * @return the next state, and the forecast to raise now if this sample starts an approach episode
     */
    public Step observe(Instant at, double value) {
        Objects.requireNonNull(at, "at");
        Settings settings = tuning.settings();
        if (!(value >= 0 && value <= settings.maxValue() && Double.isFinite(value))) {
            throw new IllegalArgumentException("value must be a number from 0 to " + settings.maxValue() + ", got "
                    + value);
        }
        if (recent.count() > 0 && at.equals(recent.at1())) {
            return new Step(this, Optional.empty());
        }
        if (recent.count() == 0 || at.isBefore(recent.at1())
                || secondsBetween(recent.at1(), at) > RESET_AFTER_WINDOWS * slow.window()) {
            return new Step(new TrendPredictor(tuning, Recent.NONE.push(at, value), at,
                    DiscountedLine.empty(fast.window()), DiscountedLine.empty(slow.window()), phase, 0, null),
                    Optional.empty());
        }
        if (recent.count() < 2) {
            return new Step(new TrendPredictor(tuning, recent.push(at, value), fitFrom, fast, slow, phase, holding,
                    clearSince), Optional.empty());
        }
        double median = recent.medianOfThree(value);
        DiscountedLine f = fast.add(recent.at1(), scale(median));
        DiscountedLine s = recent.count() >= 4 ? slow.add(recent.at2(), scale(recent.medianOfFive(value))) : slow;
        return new TrendPredictor(tuning, recent.push(at, value), fitFrom, f, s, phase, holding, clearSince)
                .decide(at, median);
    }

    /** What the lines fit: the value, or for multiplicative noise its logarithm. */
    private double scale(double value) {
        Settings settings = tuning.settings();
        return settings.logScale() ? Math.log(value + settings.noiseFloor()) : value;
    }

    private boolean trusted(DiscountedLine line, Instant at) {
        return line.effectiveSamples() >= MIN_EFFECTIVE_SAMPLES
                && secondsBetween(fitFrom, at) >= line.window();
    }

    /** One line's reading at one instant. */
    private record Reading(double level, double slope, double tStatistic, double secondsToCross) {
    }

    private Optional<Reading> read(DiscountedLine line, double medianLongRun, Instant at) {
        if (!trusted(line, at)) {
            return Optional.empty();
        }
        Settings settings = tuning.settings();
        double fitted = line.levelAt(at);
        double fittedSlope = line.slope();
        double floor = settings.logScale() ? settings.relativeNoiseFloor()
                : Math.max(settings.noiseFloor(), settings.relativeNoiseFloor() * Math.abs(line.mean()));
        // with few points the residual deviation is itself uncertain: widen by a Student t's standard deviation
        double dof = line.effectiveSamples() - 2;
        double smallSample = Math.sqrt(dof / (dof - 2));
        // a rolling-window metric is already smooth: its window's correlation dominates the median's, they do not add
        double error = line.slopeError(line.residualDeviation(floor)) * Math.max(medianLongRun, tuning.correlation())
                * smallSample;
        // values are never negative, so neither is a level worth reporting
        double level = Math.max(0, settings.logScale() ? Math.exp(fitted) - settings.noiseFloor() : fitted);
        double slope = settings.logScale() ? (level + settings.noiseFloor()) * fittedSlope : fittedSlope;
        double toCross = slope > 0 ? (tuning.threshold() - level) / slope : Double.POSITIVE_INFINITY;
        return Optional.of(new Reading(level, slope, fittedSlope / error, toCross));
    }

    private boolean strong(Reading r) {
        return r.level() < tuning.threshold() && r.tStatistic() >= tuning.settings().minTStatistic()
                && r.secondsToCross() <= tuning.horizon();
    }

    private boolean weak(Reading r) {
        return r.tStatistic() >= tuning.settings().minTStatistic() / 2 && r.secondsToCross() <= 2 * tuning.horizon();
    }

    /**
     * @param median the median of the last three samples: if it is over the threshold, so are most recent samples,
     *               and the status policy is already reporting what a forecast would announce
     */
    private Step decide(Instant at, double median) {
        Optional<Reading> fastReading = read(fast, MEDIAN_OF_THREE_LONG_RUN, at);
        if (fastReading.isEmpty()) {
            return new Step(this, Optional.empty());
        }
        Reading quick = fastReading.get();
        Optional<Reading> slowReading = read(slow, MEDIAN_OF_FIVE_LONG_RUN, at);
        // the long line's level, while it is not yet trusted the short one's
        double steadyLevel = slowReading.orElse(quick).level();
        double threshold = tuning.threshold();
        Settings settings = tuning.settings();
        // Above the threshold only when both lines say so: a pair of outliers can lift the short line for a moment.
        // While only the short line, or only the latest samples, are above, nothing is raised and nothing re-armed.
        boolean quickAbove = quick.level() >= threshold || median >= threshold;
        if (quickAbove && steadyLevel >= threshold) {
            return next(Phase.ABOVE, 0, null, Optional.empty());
        }
        switch (phase) {
            case WATCHING: {
                Optional<Reading> holds = quickAbove ? Optional.empty()
                        : fastReading.filter(this::strong).or(() -> slowReading.filter(this::strong));
                if (holds.isEmpty()) {
                    return next(Phase.WATCHING, 0, null, Optional.empty());
                }
                if (holding + 1 >= tuning.confirmations()) {
                    Reading r = holds.get();
                    Duration toCross = Duration.ofMillis(Math.max(1, Math.round(r.secondsToCross() * 1000)));
                    return next(Phase.RAISED, 0, null,
                            Optional.of(new Forecast(threshold, r.level(), r.slope(), toCross, at)));
                }
                return next(Phase.WATCHING, holding + 1, null, Optional.empty());
            }
            case RAISED: {
                if (quickAbove
                        || fastReading.filter(this::weak).or(() -> slowReading.filter(this::weak)).isPresent()) {
                    return next(Phase.RAISED, 0, null, Optional.empty());
                }
                Instant clear = clearSince == null ? at : clearSince;
                if (secondsBetween(clear, at) >= slow.window()) {
                    return next(Phase.WATCHING, 0, null, Optional.empty());
                }
                return next(Phase.RAISED, 0, clear, Optional.empty());
            }
            case ABOVE:
                // the long line's level: the short one is noisy enough to dip below the re-arm level mid-approach
                if (steadyLevel <= settings.rearmFraction() * threshold) {
                    return next(Phase.WATCHING, 0, null, Optional.empty());
                }
                return next(Phase.ABOVE, 0, null, Optional.empty());
            default:
                throw new IllegalStateException("unknown phase " + phase);
        }
    }

    private Step next(Phase phase, int holding, Instant clearSince, Optional<Forecast> raise) {
        return new Step(new TrendPredictor(tuning, recent, fitFrom, fast, slow, phase, holding, clearSince), raise);
    }

    // for tests

    Phase phase() {
        return phase;
    }

    double threshold() {
        return tuning.threshold();
    }

    private static double seconds(Duration d) {
        return DiscountedLine.seconds(d);
    }

    private static double secondsBetween(Instant from, Instant to) {
        return DiscountedLine.secondsBetween(from, to);
    }
}
