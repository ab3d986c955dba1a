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
 *       {@code confirmations}, and enough to span {@code minConfirmation}; a fast approach of a latency (a
 *       {@link Sprint}) after a few seconds.</li>
 * </ol>
 *
 * <p>Deduplication, one raise per approach: after a raise nothing more is raised until not even a weak forecast (half
 * the t-statistic, twice the horizon) has held for one long window in a row: the approach is over. A level at or over
 * the threshold (on both lines) is never predicted, since the status policy already reports it; after it, nothing is
 * raised until the long line's level has come back down to {@code rearmFraction} of the threshold.
 */
public final class TrendPredictor {

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

    private final TrendTuning tuning;
    private final RecentSamples recent;
    /** When the current fit started: a line is trusted once it has seen one of its windows. */
    private final Instant fitFrom;
    private final DiscountedLine fast;
    private final DiscountedLine slow;
    private final TrendPhase phase;

    private TrendPredictor(TrendTuning tuning, RecentSamples recent, Instant fitFrom, DiscountedLine fast,
                           DiscountedLine slow, TrendPhase phase) {
        this.tuning = tuning;
        this.recent = recent;
        this.fitFrom = fitFrom;
        this.fast = fast;
        this.slow = slow;
        this.phase = phase;
    }

    /**
     * A predictor with no samples yet.
     *
     * @param threshold     the critical threshold, in the metric's unit: positive, at most {@code maxValue}
     * @param probeInterval how often the metric is sampled (the configured interval; the actual spacing may vary)
     * @param settings      how to weigh the samples
     */
    public static TrendPredictor start(double threshold, Duration probeInterval, TrendSettings settings) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(probeInterval, "probeInterval");
        if (probeInterval.isNegative() || probeInterval.isZero()) {
            throw new IllegalArgumentException("probeInterval must be positive, got " + probeInterval);
        }
        if (!(threshold > 0 && threshold <= settings.maxValue() && Double.isFinite(threshold))) {
            throw new IllegalArgumentException("threshold must be a positive number up to " + settings.maxValue()
                    + ", got " + threshold);
        }
        double interval = DiscountedLine.seconds(probeInterval);
        double window = Math.max(DiscountedLine.seconds(settings.minWindow()), settings.windowSamples() * interval);
        double horizon = Math.max(DiscountedLine.seconds(settings.minHorizon()), settings.horizonSamples() * interval);
        double correlation = Math.sqrt(Math.max(1.0, DiscountedLine.seconds(settings.noiseCorrelation()) / interval));
        int confirmations = (int) Math.max(settings.confirmations(),
                Math.ceil(DiscountedLine.seconds(settings.minConfirmation()) / interval) + 1);
        return new TrendPredictor(new TrendTuning(settings, threshold, horizon, correlation, confirmations,
                Sprint.confirmations(interval), Seasonality.NONE),
                RecentSamples.NONE, null, DiscountedLine.empty(window),
                DiscountedLine.empty(window * settings.longWindowFactor()), TrendPhase.WATCHING);
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
                return start(thresholds.responseTimeCritical().toNanos() / 1e6, probeInterval, TrendSettings.LATENCY);
            case ERROR_RATE:
                return start(thresholds.errorRateCritical(), probeInterval, TrendSettings.ERROR_RATE);
            default:
                throw new IllegalArgumentException("no trend prediction for " + metric.code()
                        + ": only response_time and error_rate rise toward a critical threshold");
        }
    }

    /**
     * This predictor (its samples and phase kept), holding back a forecast while the level is what
     * {@code seasonality} says is usual at the time and nothing usual then or a horizon ahead reaches the threshold:
     * a usual Monday-morning rise is not a fault.
     */
    public TrendPredictor withSeasonality(Seasonality seasonality) {
        Objects.requireNonNull(seasonality, "seasonality");
        return new TrendPredictor(tuning.with(seasonality), recent, fitFrom, fast, slow, phase);
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
        TrendSettings settings = tuning.settings();
        if (!(value >= 0 && value <= settings.maxValue() && Double.isFinite(value))) {
            throw new IllegalArgumentException("value must be a number from 0 to " + settings.maxValue() + ", got "
                    + value);
        }
        if (recent.count() > 0 && at.equals(recent.at1())) {
            return new Step(this, Optional.empty());
        }
        if (recent.count() == 0 || at.isBefore(recent.at1())
                || DiscountedLine.secondsBetween(recent.at1(), at) > RESET_AFTER_WINDOWS * slow.window()) {
            return new Step(new TrendPredictor(tuning, RecentSamples.NONE.push(at, value), at,
                    DiscountedLine.empty(fast.window()), DiscountedLine.empty(slow.window()), phase.restarted()),
                    Optional.empty());
        }
        if (recent.count() < 2) {
            return new Step(new TrendPredictor(tuning, recent.push(at, value), fitFrom, fast, slow, phase),
                    Optional.empty());
        }
        double median = recent.medianOfThree(value);
        DiscountedLine f = fast.add(recent.at1(), tuning.scale(median));
        DiscountedLine s = recent.count() >= 4 ? slow.add(recent.at2(), tuning.scale(recent.medianOfFive(value))) : slow;
        return new TrendPredictor(tuning, recent.push(at, value), fitFrom, f, s, phase)
                .decide(at, median);
    }

    private boolean trusted(DiscountedLine line, Instant at) {
        return line.effectiveSamples() >= MIN_EFFECTIVE_SAMPLES
                && DiscountedLine.secondsBetween(fitFrom, at) >= line.window();
    }

    private Optional<TrendTuning.Reading> read(DiscountedLine line, double medianLongRun, Instant at) {
        return trusted(line, at) ? Optional.of(tuning.read(line, medianLongRun, at)) : Optional.empty();
    }

    /**
     * @param median the median of the last three samples: if it is over the threshold, so are most recent samples,
     *               and the status policy is already reporting what a forecast would announce
     */
    private Step decide(Instant at, double median) {
        Optional<TrendTuning.Reading> fastReading = read(fast, MEDIAN_OF_THREE_LONG_RUN, at);
        if (fastReading.isEmpty()) {
            return new Step(this, Optional.empty());
        }
        TrendTuning.Reading quick = fastReading.get();
        Optional<TrendTuning.Reading> slowReading = read(slow, MEDIAN_OF_FIVE_LONG_RUN, at);
        // the long line's level, while it is not yet trusted the short one's
        double steadyLevel = slowReading.orElse(quick).level();
        double threshold = tuning.threshold();
        TrendSettings settings = tuning.settings();
        // Above the threshold only when both lines say so: a pair of outliers can lift the short line for a moment.
        // While only the short line, or only the latest samples, are above, nothing is raised and nothing re-armed.
        boolean quickAbove = quick.level() >= threshold || median >= threshold;
        if (quickAbove && steadyLevel >= threshold) {
            return next(TrendPhase.ABOVE, Optional.empty());
        }
        if (phase instanceof TrendPhase.Watching watching) {
            Optional<TrendTuning.Reading> holds = quickAbove ? Optional.empty()
                    : fastReading.filter(tuning::strong).or(() -> slowReading.filter(tuning::strong));
            // the latest samples' median: on a fast rise the fitted level lags it by many seconds
            double now = Math.max(median, quick.level());
            boolean sprint = !quickAbove && settings.logScale() && slowReading.isPresent() && Sprint.shows(
                    now, quick.tStatistic(), quick.secondsToCross(), tuning.unscale(slow.mean()),
                    settings.minTStatistic(), tuning.horizon());
            if (holds.isEmpty() && !sprint || tuning.usual(now, at)) {
                return next(TrendPhase.WATCHING, Optional.empty());
            }
            int sprinting = sprint ? watching.sprinting() + 1 : 0;
            if (holds.isPresent() && watching.holding() + 1 >= tuning.confirmations()
                    || sprinting >= tuning.sprintConfirmations()) {
                TrendTuning.Reading r = holds.orElse(quick);
                Duration toCross = Duration.ofMillis(Math.max(1, Math.round(r.secondsToCross() * 1000)));
                return next(new TrendPhase.Raised(Optional.empty()),
                        Optional.of(new Forecast(threshold, r.level(), r.slope(), toCross, at)));
            }
            return next(new TrendPhase.Watching(holds.isEmpty() ? 0 : watching.holding() + 1, sprinting),
                    Optional.empty());
        }
        if (phase instanceof TrendPhase.Raised raised) {
            if (quickAbove || fastReading.filter(tuning::weak).or(() -> slowReading.filter(tuning::weak)).isPresent()) {
                return next(new TrendPhase.Raised(Optional.empty()), Optional.empty());
            }
            Instant clear = raised.clearSince().orElse(at);
            if (DiscountedLine.secondsBetween(clear, at) >= slow.window()) {
                return next(TrendPhase.WATCHING, Optional.empty());
            }
            return next(new TrendPhase.Raised(Optional.of(clear)), Optional.empty());
        }
        // above: the long line's level, the short one is noisy enough to dip below the re-arm level mid-approach
        if (steadyLevel <= settings.rearmFraction() * threshold) {
            return next(TrendPhase.WATCHING, Optional.empty());
        }
        return next(TrendPhase.ABOVE, Optional.empty());
    }

    private Step next(TrendPhase phase, Optional<Forecast> raise) {
        return new Step(new TrendPredictor(tuning, recent, fitFrom, fast, slow, phase), raise);
    }

    // for tests

    TrendPhase phase() {
        return phase;
    }

    double threshold() {
        return tuning.threshold();
    }
}
