package dev.mcphealth.domain.prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.prediction.TrendPredictor.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TrendPredictorTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final double CRITICAL_MS = 2000;

    private static Instant at(double seconds) {
        return T0.plusNanos(Math.round(seconds * 1e9));
    }

    /** Drives one predictor through samples and keeps what it raised. */
    private static final class Feed {
        TrendPredictor predictor;
        final List<Forecast> raised = new ArrayList<>();
        final List<Double> raisedAt = new ArrayList<>();

        Feed(TrendPredictor predictor) {
            this.predictor = predictor;
        }

        static Feed latency(int intervalSeconds) {
            return new Feed(TrendPredictor.forMetric(MetricType.RESPONSE_TIME, Thresholds.DEFAULTS,
                    Duration.ofSeconds(intervalSeconds)));
        }

        static Feed errorRate(int intervalSeconds) {
            return new Feed(TrendPredictor.forMetric(MetricType.ERROR_RATE, Thresholds.DEFAULTS,
                    Duration.ofSeconds(intervalSeconds)));
        }

        Feed sample(double t, double value) {
            Step step = predictor.observe(at(t), value);
            predictor = step.next();
            step.raise().ifPresent(f -> {
                raised.add(f);
                raisedAt.add(t);
            });
            return this;
        }

        /** One sample every {@code interval} seconds in [from, to), valued {@code value(t)}. */
        Feed run(double from, double to, double interval, DoubleUnaryOperator value) {
            for (double t = from; t < to; t += interval) {
                sample(t, value.applyAsDouble(t));
            }
            return this;
        }
    }

    /** 100 ms, then from {@code onset} a straight line reaching 2000 ms {@code duration} seconds later. */
    private static DoubleUnaryOperator ramp(double onset, double duration) {
        return t -> t < onset ? 100 : 100 + (CRITICAL_MS - 100) * (t - onset) / duration;
    }

    private static DoubleUnaryOperator noisy(DoubleUnaryOperator level, double relative, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return t -> Math.max(0, level.applyAsDouble(t) * (1 + relative * random.nextGaussian()));
    }

    // --- construction

    @Test
    void forMetricPredictsAgainstTheCriticalThresholds() {
        assertEquals(2000, TrendPredictor.forMetric(MetricType.RESPONSE_TIME, Thresholds.DEFAULTS,
                Duration.ofMinutes(1)).threshold());
        assertEquals(0.25, TrendPredictor.forMetric(MetricType.ERROR_RATE, Thresholds.DEFAULTS,
                Duration.ofMinutes(1)).threshold());
        Thresholds custom = new Thresholds(Duration.ofMillis(100), Duration.ofMillis(750), 0.1, 0.5, 3, 2);
        assertEquals(750, TrendPredictor.forMetric(MetricType.RESPONSE_TIME, custom, Duration.ofSeconds(5))
                .threshold());
    }

    @ParameterizedTest
    @EnumSource(value = MetricType.class, names = {"AVAILABILITY", "THROUGHPUT"})
    void onlyMetricsThatRiseAsTheyWorsenArePredicted(MetricType metric) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrendPredictor.forMetric(metric, Thresholds.DEFAULTS, Duration.ofMinutes(1)));
        assertTrue(e.getMessage().startsWith("no trend prediction for " + metric.code()), e.getMessage());
    }

    @Test
    void startRefusesNonsense() {
        Duration minute = Duration.ofMinutes(1);
        assertThrows(IllegalArgumentException.class, () -> TrendPredictor.start(0, minute, TrendSettings.LATENCY));
        assertThrows(IllegalArgumentException.class, () -> TrendPredictor.start(Double.NaN, minute, TrendSettings.LATENCY));
        assertThrows(IllegalArgumentException.class,
                () -> TrendPredictor.start(Double.POSITIVE_INFINITY, minute, TrendSettings.LATENCY));
        assertThrows(IllegalArgumentException.class, () -> TrendPredictor.start(1.5, minute, TrendSettings.ERROR_RATE));
        assertThrows(IllegalArgumentException.class,
                () -> TrendPredictor.start(2000, Duration.ZERO, TrendSettings.LATENCY));
        assertThrows(IllegalArgumentException.class,
                () -> TrendPredictor.start(2000, Duration.ofSeconds(-1), TrendSettings.LATENCY));
        assertThrows(NullPointerException.class, () -> TrendPredictor.start(2000, minute, null));
        assertThrows(NullPointerException.class, () -> TrendPredictor.start(2000, null, TrendSettings.LATENCY));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, Double.NaN, Double.POSITIVE_INFINITY})
    void valuesMustBeLegal(double value) {
        TrendPredictor p = Feed.latency(1).predictor;
        assertThrows(IllegalArgumentException.class, () -> p.observe(T0, value));
    }

    @Test
    void errorRatesAreFractions() {
        TrendPredictor p = Feed.errorRate(1).predictor;
        assertThrows(IllegalArgumentException.class, () -> p.observe(T0, 1.01));
        assertEquals(Optional.empty(), p.observe(T0, 1.0).raise());
        assertThrows(NullPointerException.class, () -> p.observe(null, 0.5));
    }

    @Test
    void settingsAreChecked() {
        TrendSettings d = TrendSettings.LATENCY;
        assertThrows(IllegalArgumentException.class, () -> new TrendSettings(Duration.ZERO, d.windowSamples(),
                d.longWindowFactor(), d.minHorizon(), d.horizonSamples(), d.minTStatistic(), d.confirmations(),
                d.minConfirmation(), d.noiseFloor(), d.relativeNoiseFloor(), d.noiseCorrelation(), d.rearmFraction(),
                d.maxValue(), d.logScale()));
        assertThrows(IllegalArgumentException.class, () -> new TrendSettings(d.minWindow(), 2,
                d.longWindowFactor(), d.minHorizon(), d.horizonSamples(), d.minTStatistic(), d.confirmations(),
                d.minConfirmation(), d.noiseFloor(), d.relativeNoiseFloor(), d.noiseCorrelation(), d.rearmFraction(),
                d.maxValue(), d.logScale()));
        assertThrows(IllegalArgumentException.class, () -> new TrendSettings(d.minWindow(), d.windowSamples(),
                0.5, d.minHorizon(), d.horizonSamples(), d.minTStatistic(), d.confirmations(),
                d.minConfirmation(), d.noiseFloor(), d.relativeNoiseFloor(), d.noiseCorrelation(), d.rearmFraction(),
                d.maxValue(), d.logScale()));
        assertThrows(IllegalArgumentException.class, () -> new TrendSettings(d.minWindow(), d.windowSamples(),
                d.longWindowFactor(), d.minHorizon(), d.horizonSamples(), 0, d.confirmations(),
                d.minConfirmation(), d.noiseFloor(), d.relativeNoiseFloor(), d.noiseCorrelation(), d.rearmFraction(),
                d.maxValue(), d.logScale()));
        assertThrows(IllegalArgumentException.class, () -> new TrendSettings(d.minWindow(), d.windowSamples(),
                d.longWindowFactor(), d.minHorizon(), d.horizonSamples(), d.minTStatistic(), 0,
                d.minConfirmation(), d.noiseFloor(), d.relativeNoiseFloor(), d.noiseCorrelation(), d.rearmFraction(),
                d.maxValue(), d.logScale()));
        assertThrows(IllegalArgumentException.class, () -> new TrendSettings(d.minWindow(), d.windowSamples(),
                d.longWindowFactor(), d.minHorizon(), d.horizonSamples(), d.minTStatistic(), d.confirmations(),
                d.minConfirmation(), 0, d.relativeNoiseFloor(), d.noiseCorrelation(), d.rearmFraction(),
                d.maxValue(), d.logScale()));
        assertThrows(IllegalArgumentException.class, () -> new TrendSettings(d.minWindow(), d.windowSamples(),
                d.longWindowFactor(), d.minHorizon(), d.horizonSamples(), d.minTStatistic(), d.confirmations(),
                d.minConfirmation(), d.noiseFloor(), d.relativeNoiseFloor(), d.noiseCorrelation(), 1.0,
                d.maxValue(), d.logScale()));
        assertThrows(IllegalArgumentException.class, () -> new TrendSettings(d.minWindow(), d.windowSamples(),
                d.longWindowFactor(), d.minHorizon(), d.horizonSamples(), d.minTStatistic(), d.confirmations(),
                Duration.ofSeconds(-1), d.noiseFloor(), d.relativeNoiseFloor(), d.noiseCorrelation(),
                d.rearmFraction(), d.maxValue(), d.logScale()));
        assertThrows(NullPointerException.class, () -> new TrendSettings(d.minWindow(), d.windowSamples(),
                d.longWindowFactor(), d.minHorizon(), d.horizonSamples(), d.minTStatistic(), d.confirmations(),
                d.minConfirmation(), d.noiseFloor(), d.relativeNoiseFloor(), null, d.rearmFraction(),
                d.maxValue(), d.logScale()));
    }

    @Test
    void aStepNeedsItsParts() {
        TrendPredictor p = Feed.latency(1).predictor;
        assertThrows(NullPointerException.class, () -> new Step(null, Optional.empty()));
        assertThrows(NullPointerException.class, () -> new Step(p, null));
    }

    // --- forecasts

    @Test
    void aCleanRampIsRaisedOnceWithAnHonestForecast() {
        double onset = 3600;
        double duration = 1900; // 1 ms per second
        Feed feed = Feed.latency(5).run(0, onset + duration, 5, ramp(onset, duration));

        assertEquals(1, feed.raised.size());
        Forecast f = feed.raised.get(0);
        double t = feed.raisedAt.get(0);
        assertEquals(at(t), f.estimatedAt());
        assertEquals(CRITICAL_MS, f.threshold());
        double trueLevel = ramp(onset, duration).applyAsDouble(t);
        assertEquals(trueLevel, f.level(), 0.1 * trueLevel, "level");
        // the log-scale fit bends a straight ramp's recent past into its trend: somewhat fast, so somewhat early
        assertEquals(1.0, f.trendPerSecond(), 0.3, "trend");
        assertTrue(f.trendPerSecond() >= 1.0, "never slower than the truth on a straight ramp");
        double trueCrossing = onset + duration;
        double predicted = t + f.timeToCross().toMillis() / 1000.0;
        assertEquals(trueCrossing, predicted, 0.3 * (trueCrossing - t), "crossing");
        assertTrue(trueCrossing - t >= 600, "raised " + (trueCrossing - t) + " s ahead");
    }

    @Test
    void aFlatNoisySeriesNeverRaises() {
        Feed feed = Feed.latency(1).run(0, 6 * 3600, 1, noisy(t -> 400, 0.3, 1));
        assertEquals(List.of(), feed.raised);
    }

    @Test
    void outliersAreNotATrend() {
        // every 37th probe is ten times slower, and every 101st starts a pair of them
        Feed feed = Feed.latency(1).run(0, 4 * 3600, 1, t -> {
            long k = (long) t;
            boolean spike = k % 37 == 0 || k % 101 == 0 || k % 101 == 1;
            return spike ? 4000 : 200;
        });
        assertEquals(List.of(), feed.raised);
    }

    @Test
    void nothingIsRaisedBeforeOneShortWindowOfSamples() {
        // a steep ramp from the very first sample: the short line needs a minute of samples at a 1 s interval
        Feed feed = Feed.latency(1).run(0, 600, 1, t -> 100 + 3 * t);
        assertEquals(1, feed.raised.size());
        assertTrue(feed.raisedAt.get(0) >= 60, "raised at " + feed.raisedAt.get(0));
    }

    @Test
    void missedProbesAreOnlyAGap() {
        SplittableRandom random = new SplittableRandom(3);
        double onset = 3600;
        double duration = 900;
        Feed feed = Feed.latency(15);
        DoubleUnaryOperator value = noisy(ramp(onset, duration), 0.1, 5);
        for (double t = 0; t < onset + duration; t += 15) {
            double v = value.applyAsDouble(t);
            if (random.nextDouble() < 1.0 / 3) {
                continue; // a third of the probes never happened
            }
            feed.sample(t + random.nextDouble(-2, 2), v);
        }
        assertEquals(1, feed.raised.size());
        assertTrue(onset + duration - feed.raisedAt.get(0) >= 45, "lead " + (onset + duration - feed.raisedAt.get(0)));
    }

    // --- deduplication

    @Test
    void oneRaisePerApproachAndAnotherForTheNextApproach() {
        DoubleUnaryOperator twoApproaches = t -> {
            if (t < 3600) {
                return 100;
            }
            if (t < 3600 + 2400) { // up through 2000 ms at 1 ms/s to 2500 ms
                return 100 + (t - 3600);
            }
            if (t < 3 * 3600) { // recovered
                return 100;
            }
            return 100 + (t - 3 * 3600); // again
        };
        Feed feed = Feed.latency(5).run(0, 3 * 3600 + 1800, 5, noisy(twoApproaches, 0.1, 2));
        assertEquals(2, feed.raised.size(), feed.raisedAt.toString());
        assertTrue(feed.raisedAt.get(0) > 3600 && feed.raisedAt.get(0) < 3600 + 1900, feed.raisedAt.toString());
        assertTrue(feed.raisedAt.get(1) > 3 * 3600, feed.raisedAt.toString());
    }

    @Test
    void aLevelAlreadyOverTheThresholdIsNotPredicted() {
        Feed feed = Feed.latency(1).run(0, 3600, 1, noisy(t -> 2500 + 0.5 * t, 0.1, 4));
        assertEquals(List.of(), feed.raised);
        assertEquals(TrendPhase.ABOVE, feed.predictor.phase());
    }

    @Test
    void aJumpOverTheThresholdIsNotPredicted() {
        Feed feed = Feed.latency(1).run(0, 7200, 1, noisy(t -> t < 3600 ? 100 : 3000, 0.1, 6));
        assertEquals(List.of(), feed.raised);
        assertEquals(TrendPhase.ABOVE, feed.predictor.phase());
    }

    @Test
    void afterTheThresholdNothingIsRaisedUntilWellBelowIt() {
        // over, then down to 85 % of the threshold and rising again: the same trouble, not a new approach
        DoubleUnaryOperator hovering = t -> {
            if (t < 1800) {
                return 2500;
            }
            if (t < 3600) {
                return 1700;
            }
            return 1700 + 0.2 * (t - 3600);
        };
        Feed feed = Feed.latency(1).run(0, 5000, 1, noisy(hovering, 0.05, 7));
        assertEquals(List.of(), feed.raised);

        // well below it (under 75 %), the predictor watches again
        feed.run(5000, 9000, 1, noisy(t -> 800, 0.05, 8));
        assertInstanceOf(TrendPhase.Watching.class, feed.predictor.phase());
        feed.run(9000, 11000, 1, t -> 800 + (t - 9000));
        assertEquals(1, feed.raised.size());
    }

    @Test
    void aLongGapDoesNotMakeTheSameApproachNew() {
        double onset = 3600;
        Feed feed = Feed.latency(5).run(0, onset + 2400, 5, ramp(onset, 3600));
        assertEquals(1, feed.raised.size());
        // the engine was down for two hours; the server is still on its way up, more slowly
        double back = onset + 2400 + 7200;
        feed.run(back, back + 1800, 5, t -> 1400 + 0.2 * (t - back));
        assertEquals(1, feed.raised.size());
        assertInstanceOf(TrendPhase.Raised.class, feed.predictor.phase());
    }

    // --- time

    @Test
    void aSampleAtTheSameInstantIsIgnored() {
        Feed feed = Feed.latency(1).run(0, 100, 1, t -> 100);
        TrendPredictor before = feed.predictor;
        Step again = before.observe(at(99), 5000);
        assertSame(before, again.next());
        assertEquals(Optional.empty(), again.raise());
    }

    @Test
    void aClockSteppingBackStartsTheFitAgain() {
        Feed feed = Feed.latency(1).run(0, 3600, 1, noisy(t -> 300, 0.1, 9));
        // the clock steps back ten minutes, and the series goes on from there
        feed.run(3000, 4000, 1, noisy(t -> 300, 0.1, 10));
        assertEquals(List.of(), feed.raised);
        // and the fit works again afterwards
        feed.run(4000, 6000, 1, t -> 300 + (t - 4000));
        assertEquals(1, feed.raised.size());
    }

    // --- error rates

    @Test
    void aPerfectServerNeverRaises() {
        Feed feed = Feed.errorRate(1).run(0, 6 * 3600, 1, t -> 0);
        assertEquals(List.of(), feed.raised);
    }

    @Test
    void aRisingErrorRateIsRaisedBeforeItIsCritical() {
        // 2 % for an hour, then rising to the 25 % threshold in 30 minutes
        Feed feed = Feed.errorRate(1).run(0, 3600 + 1800, 1,
                t -> t < 3600 ? 0.02 : 0.02 + 0.23 * (t - 3600) / 1800);
        assertEquals(1, feed.raised.size());
        assertTrue(feed.raisedAt.get(0) < 3600 + 1800 - 300, "raised at " + feed.raisedAt.get(0));
        Forecast f = feed.raised.get(0);
        assertEquals(0.25, f.threshold());
        assertEquals(0.23 / 1800, f.trendPerSecond(), 0.3 * 0.23 / 1800);
    }

    // --- purity

    @Test
    void theSameSamplesGiveTheSameForecastsAndOldStatesStayUsable() {
        Feed first = Feed.latency(5).run(0, 7200, 5, noisy(ramp(3600, 1800), 0.2, 11));
        Feed second = Feed.latency(5).run(0, 7200, 5, noisy(ramp(3600, 1800), 0.2, 11));
        assertEquals(first.raised, second.raised);
        assertEquals(1, first.raised.size());

        Feed halfway = Feed.latency(5).run(0, 3600 + 1200, 5, ramp(3600, 1800));
        TrendPredictor saved = halfway.predictor;
        Step a = saved.observe(at(3600 + 1200), 1500);
        Step b = saved.observe(at(3600 + 1200), 1500);
        assertEquals(a.raise(), b.raise());
        assertEquals(saved.phase(), halfway.predictor.phase());
    }
}
