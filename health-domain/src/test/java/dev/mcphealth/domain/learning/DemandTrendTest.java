package dev.mcphealth.domain.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link DemandTrend} on simulated pools (docs/learning.md, "The demand trend"): the anomaly simulation's seasonal
 * week (a daily cycle, quiet weekends, a holiday), growing by a known share a week, with Poisson minutes, minute noise
 * and a day-to-day factor of 10 % (which bounds what 4 weeks of days can tell: a least-squares slope through 28 days
 * of 10 % noise is known to about 1.6 points a week); the growth measured after 3 and after 5 weeks against the
 * truth.
 */
class DemandTrendTest {
    private static final Instant MONDAY = Instant.parse("2026-11-02T00:00:00Z");
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final int DAY = 1440;

    private record Run(double truth, long seed, Optional<DemandTrend.Growth> week3, Optional<DemandTrend.Growth> week5) {
    }

    /** {@code weeks} weeks of a pool peaking at {@code peak} calls a minute, growing {@code growth} a week. */
    private static Run simulate(double growth, double peak, long seed, int weeks) {
        SplittableRandom random = new SplittableRandom(seed);
        UsageProfile profile = new UsageProfile();
        DemandTrend trend = new DemandTrend();
        Optional<DemandTrend.Growth> week3 = Optional.empty();
        double dayFactor = 1;
        for (int i = 0; i < weeks * 7 * DAY; i++) {
            if (i % DAY == 0) {
                dayFactor = Math.exp(0.1 * UsageProfileTest.gaussian(random) - 0.005);
            }
            if (i == 3 * 7 * DAY) {
                week3 = trend.growth();
            }
            double lambda = AnomalySimulationTest.rate(i % (4 * 7 * DAY), peak) * dayFactor
                    * Math.pow(1 + growth, i / (7.0 * DAY)) * Math.exp(0.15 * UsageProfileTest.gaussian(random) - 0.0113);
            int calls = UsageProfileTest.poisson(lambda, random);
            Instant t = MONDAY.plusSeconds(60L * i);
            trend.observe(t, UTC, calls, profile);
            profile.observe(t, UTC, calls == 0 ? UsageProfile.Minute.idle() : new UsageProfile.Minute(calls, 0,
                    OptionalDouble.of(40), OptionalDouble.of(90)));
        }
        return new Run(growth, seed, week3, trend.growth(profile));
    }

    @Test
    void theGrowthOfSimulatedPoolsIsMeasuredWithinFivePointsAWeekAfterFiveWeeks() {
        List<String> lines = new ArrayList<>();
        int covered = 0;
        int runs = 0;
        double worst5 = 0;
        double worst3 = 0;
        for (double growth : new double[] {-0.05, 0, 0.02, 0.05, 0.10}) {
            for (double peak : new double[] {30, 300}) {
                for (long seed = 1; seed <= 3; seed++) {
                    Run r = simulate(growth, peak, seed * 31 + (long) peak, 5);
                    DemandTrend.Growth g5 = r.week5().orElseThrow();
                    DemandTrend.Growth g3 = r.week3().orElseThrow(() -> new AssertionError("no growth after 3 weeks: "
                            + r));
                    worst5 = Math.max(worst5, Math.abs(g5.weekly() - growth));
                    worst3 = Math.max(worst3, Math.abs(g3.weekly() - growth));
                    covered += g5.low() <= growth && growth <= g5.high() ? 1 : 0;
                    runs++;
                    lines.add(String.format(Locale.ROOT, "growth %+.0f %%, peak %.0f/min, seed %d: after 3 weeks"
                                    + " %+.1f %% (%+.1f..%+.1f), after 5 %+.1f %% (%+.1f..%+.1f)", growth * 100, peak,
                            r.seed(), g3.weekly() * 100, g3.low() * 100, g3.high() * 100, g5.weekly() * 100,
                            g5.low() * 100, g5.high() * 100));
                }
            }
        }
        lines.forEach(System.out::println);
        Run growing = simulate(0.10, 300, 7, 5);
        double above = growing.week5().orElseThrow().aboveLearned().orElseThrow();
        // a profile remembering 4 weeks, grown 10 % a week: its week is some 2 weeks of growth behind the level now
        System.out.printf(Locale.ROOT, "growing 10 %% a week: the level is %.1f %% above the learned week after 5"
                + " weeks%n", above * 100);
        assertTrue(above > 0.10 && above < 0.40, "about two weeks of growth above it: " + above);
        double stable = simulate(0, 300, 7, 5).week5().orElseThrow().aboveLearned().orElseThrow();
        assertTrue(Math.abs(stable) < 0.08, "a stable pool is at its learned week: " + stable);
        System.out.printf(Locale.ROOT, "demand trend: %d runs, worst error after 3 weeks %.1f points a week, after 5"
                + " weeks %.1f; the band held the truth in %d of %d%n", runs, worst3 * 100, worst5 * 100, covered, runs);
        assertTrue(worst5 <= 0.05, "within 5 points a week after 5 weeks: " + worst5);
        assertTrue(covered >= runs * 0.8, "the band holds the truth mostly: " + covered + " of " + runs);
    }

    @Test
    void nothingIsToldBeforeAWeekOfDaysAgainstALearnedWeek() {
        assertEquals(Optional.empty(), simulate(0.05, 300, 3, 1).week5(), "the first week learns the shape");
        assertEquals(Optional.empty(), simulate(0.05, 300, 3, 2).week5(), "then 6 days are over, not 7");
        DemandTrend.Growth g = simulate(0.05, 300, 3, 3).week5().orElseThrow();
        assertTrue(g.days() >= 12 && g.days() <= 13, "13 days at most, a holiday maybe left out: " + g);
    }

    @Test
    void aRestoredTrendGoesOnWhereItStopped() {
        SplittableRandom random = new SplittableRandom(9);
        UsageProfile profile = new UsageProfile();
        DemandTrend trend = new DemandTrend();
        DemandTrend copy = null;
        for (int i = 0; i < 3 * 7 * DAY; i++) {
            if (i == 2 * 7 * DAY + 100) {
                copy = DemandTrend.restore(trend.state());
            }
            int calls = UsageProfileTest.poisson(AnomalySimulationTest.rate(i, 100), random);
            Instant t = MONDAY.plusSeconds(60L * i);
            trend.observe(t, UTC, calls, profile);
            if (copy != null) {
                copy.observe(t, UTC, calls, profile);
            }
            profile.observe(t, UTC, new UsageProfile.Minute(calls, 0, OptionalDouble.of(40), OptionalDouble.of(90)));
        }
        DemandTrend.Growth kept = trend.growth().orElseThrow();
        DemandTrend.Growth restored = copy.growth().orElseThrow();
        // the copy's week mean of the hour it was restored in is taken then, not at the hour's start: a hair apart
        assertEquals(kept.weekly(), restored.weekly(), 1e-6);
        assertEquals(kept.days(), restored.days());
        dev.mcphealth.domain.prediction.DiscountedLine line = dev.mcphealth.domain.prediction.DiscountedLine.empty(
                DemandTrend.WINDOW_SECONDS);
        assertThrows(IllegalArgumentException.class, () -> new DemandTrend.State(0, -1, 0, line, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new DemandTrend.State(0, 0, Double.NaN, line, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new DemandTrend.State(0, 0, 0,
                dev.mcphealth.domain.prediction.DiscountedLine.empty(3600), 0, 0, 0), "another window");
    }
}
