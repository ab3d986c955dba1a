package dev.mcphealth.domain.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.learning.CapacityModel.LoadPoint;
import dev.mcphealth.domain.learning.UsageProfile.Minute;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's capacity backtest: a pool of two instances (queues of 4 workers, 200 ms a call: 20 calls a second each)
 * under seasonal demand for three simulated weeks, its profile and capacity learned from what it saw; the plan made
 * from them followed through a fourth week of fresh demand. Counts the hours whose 95th-percentile minute utilization
 * went above the target and what the plan cost against the fewest instances that would have held it minute by minute.
 * Seeded; prints its figures (docs/learning.md).
 */
class CapacityPlanTest {
    private static final Instant MONDAY = Instant.parse("2026-11-30T00:00:00Z");
    private static final int WORKERS = 4;
    private static final double SERVICE = 0.2;
    private static final double CAPACITY = WORKERS / SERVICE;

    /** A minute's calls: the seasonal rate, overdispersed, as a Poisson count. */
    private static int calls(int minute, double peak, SplittableRandom random) {
        double mean = AnomalySimulationTest.rate(minute, peak) * Math.exp(0.15 * UsageProfileTest.gaussian(random)
                - 0.0113);
        return UsageProfileTest.poisson(mean, random);
    }

    @Test
    void followingThePlanKeepsEveryHourUnderTheTargetAtItsPercentileAndSaysWhatItCosts() {
        StringBuilder out = new StringBuilder("capacity backtest (target 70 %, the 4th week of each):\n");
        for (double peak : new double[] {1_200, 1_700, 2_400}) { // calls a minute at the weekday peak
            for (long seed = 1; seed <= 2; seed++) {
                SplittableRandom random = new SplittableRandom(seed * 1000 + (long) peak);
                UsageProfile profile = new UsageProfile();
                List<LoadPoint> load = new ArrayList<>();
                int running = 2;
                for (int i = 0; i < 3 * 10080; i++) {
                    int n = calls(i, peak, random);
                    double perInstance = Math.min(n / 60.0 / running, 0.97 * CAPACITY);
                    double latency = CapacityModelTest.queueLatency(WORKERS, SERVICE, perInstance)
                            * Math.exp(0.05 * UsageProfileTest.gaussian(random));
                    profile.observe(MONDAY.plus(Duration.ofMinutes(i)), ZoneOffset.UTC, n == 0 ? Minute.idle()
                            : new Minute(n, 0, OptionalDouble.of(latency * 1000), OptionalDouble.of(latency * 3000)));
                    load.add(new LoadPoint(perInstance * running, latency, running)); // a queue serves no more than it can
                }
                CapacityModel.Estimate capacity = CapacityModel.estimate(load);
                CapacityPlan.Plan plan = assertInstanceOf(CapacityPlan.Plan.class, CapacityPlan.plan(profile,
                        capacity, running, CapacityPlan.DEFAULT_TARGET, new HourOfWeek(0)));

                double[][] utilization = new double[HourOfWeek.COUNT][60];
                long planned = 0;
                long least = 0;
                int minutesOver = 0;
                for (int i = 3 * 10080; i < 4 * 10080; i++) {
                    int h = (i % 10080) / 60;
                    int n = calls(i, peak, random);
                    int instances = plan.hours().get(h).instances();
                    double u = n / 60.0 / (instances * CAPACITY);
                    utilization[h][i % 60] = u;
                    minutesOver += u > CapacityPlan.DEFAULT_TARGET ? 1 : 0;
                    planned += instances;
                    least += Math.max(1, (int) Math.ceil(n / 60.0 / (CAPACITY * CapacityPlan.DEFAULT_TARGET)));
                }
                double worst = 0;
                for (double[] hour : utilization) {
                    double[] sorted = hour.clone();
                    Arrays.sort(sorted);
                    worst = Math.max(worst, sorted[(int) Math.ceil(0.95 * 60) - 1]);
                }
                out.append(String.format(Locale.ROOT, "   peak %4.0f/min seed %d: capacity %.1f/s (truth %.0f, %s,"
                                + " low %.1f), instances %d..%d, worst hour's p95 utilization %.0f %%, minutes over"
                                + " target %.2f %%, instance-hours %.2fx the least%n", peak, seed,
                        capacity.capacity().getAsDouble(), CAPACITY, capacity.fit().orElseThrow().method(),
                        plan.capacityPerInstance(), plan.fewest(), plan.peak(), 100 * worst,
                        100.0 * minutesOver / 10080, planned / (double) least));
                assertTrue(Math.abs(capacity.capacity().getAsDouble() / CAPACITY - 1) <= 0.15, capacity.toString());
                assertTrue(worst <= CapacityPlan.DEFAULT_TARGET, out.toString());
            }
        }
        System.out.print(out);
    }

    /**
     * A pool growing 5, 10 or 20 % a week for five simulated weeks (the profile and the demand trend learned online from
     * its minutes, the capacity known), planned at the start of the sixth from the learned week alone and from it
     * raised by the measured growth, both followed through the sixth week of fresh demand. Raised, every run's worst
     * hour is lower, none goes over 90 %; the learned week alone goes over 100 % (docs/learning.md).
     */
    @Test
    void aGrowingPoolPlannedWithItsMeasuredGrowthStaysUnderTheTargetWhereTheLearnedWeekAloneFallsBehind() {
        StringBuilder out = new StringBuilder("growth backtest (target 70 %, capacity 20/s an instance, week 6):\n");
        int week = 10080;
        double learnedAloneWorst = 0;
        double raisedWorst = 0;
        for (double growth : new double[] {0.05, 0.10, 0.20}) {
            for (long seed = 1; seed <= 2; seed++) {
                SplittableRandom random = new SplittableRandom(seed * 7919 + (long) (growth * 100));
                UsageProfile profile = new UsageProfile();
                DemandTrend trend = new DemandTrend();
                double[] day = {1};
                java.util.function.IntToDoubleFunction lambda = i -> {
                    if (i % 1440 == 0) {
                        day[0] = Math.exp(0.1 * UsageProfileTest.gaussian(random) - 0.005);
                    }
                    return AnomalySimulationTest.rate(i % (4 * week), 1500) * day[0] * Math.pow(1 + growth,
                            i / (double) week) * Math.exp(0.15 * UsageProfileTest.gaussian(random) - 0.0113);
                };
                for (int i = 0; i < 5 * week; i++) {
                    int n = UsageProfileTest.poisson(lambda.applyAsDouble(i), random);
                    Instant t = MONDAY.plus(Duration.ofMinutes(i));
                    trend.observe(t, ZoneOffset.UTC, n, profile);
                    profile.observe(t, ZoneOffset.UTC, n == 0 ? Minute.idle() : new Minute(n, 0, OptionalDouble.of(40),
                            OptionalDouble.of(90)));
                }
                java.util.Optional<DemandTrend.Growth> measured = trend.growth(profile);
                assertTrue(measured.isPresent() && measured.get().clear(), "measured: " + measured);
                CapacityPlan.Plan alone = assertInstanceOf(CapacityPlan.Plan.class, CapacityPlan.plan(profile,
                        known(CAPACITY), 2, CapacityPlan.DEFAULT_TARGET, new HourOfWeek(0)));
                CapacityPlan.Plan raised = assertInstanceOf(CapacityPlan.Plan.class, CapacityPlan.plan(profile,
                        known(CAPACITY), 2, CapacityPlan.DEFAULT_TARGET, new HourOfWeek(0), 60, measured));
                assertTrue(raised.raisedBy().isPresent());
                double[][] uAlone = new double[HourOfWeek.COUNT][60];
                double[][] uRaised = new double[HourOfWeek.COUNT][60];
                long hoursAlone = 0;
                long hoursRaised = 0;
                long least = 0;
                for (int i = 5 * week; i < 6 * week; i++) {
                    int h = (i % week) / 60;
                    double perSecond = UsageProfileTest.poisson(lambda.applyAsDouble(i), random) / 60.0;
                    uAlone[h][i % 60] = perSecond / (alone.hours().get(h).instances() * CAPACITY);
                    uRaised[h][i % 60] = perSecond / (raised.hours().get(h).instances() * CAPACITY);
                    hoursAlone += alone.hours().get(h).instances();
                    hoursRaised += raised.hours().get(h).instances();
                    least += Math.max(1, (int) Math.ceil(perSecond / (CAPACITY * CapacityPlan.DEFAULT_TARGET)));
                }
                double worstAlone = worstHour(uAlone);
                double worstRaised = worstHour(uRaised);
                learnedAloneWorst = Math.max(learnedAloneWorst, worstAlone);
                out.append(String.format(Locale.ROOT, "   %2.0f %%/week seed %d: measured %+.1f %%/week (%+.1f %% above"
                                + " the learned week); learned week alone: peak %d, worst hour's p95 utilization %.0f %%,"
                                + " instance-hours %.2fx the least; raised: peak %d, worst %.0f %%, %.2fx%n",
                        growth * 100, seed, measured.get().weekly() * 100,
                        measured.get().aboveLearned().orElse(0) * 100, alone.peak(), 100 * worstAlone,
                        hoursAlone / (double) least, raised.peak(), 100 * worstRaised, hoursRaised / (double) least));
                raisedWorst = Math.max(raisedWorst, worstRaised);
                assertTrue(worstRaised < worstAlone && raised.peak() >= alone.peak(), "raised, it holds more: " + out);
            }
        }
        System.out.print(out);
        // not the target itself: the worst of 168 hours' 95th percentiles of one week, with the capacity known (no
        // estimate's low end to plan from, as in the backtest above), runs over it by chance at any growth
        assertTrue(raisedWorst <= 0.9, out.toString());
        assertTrue(learnedAloneWorst > 1, "the learned week alone falls behind: " + out);
    }

    /** The highest of the hours' 95th-percentile minute utilization. */
    private static double worstHour(double[][] utilization) {
        double worst = 0;
        for (double[] hour : utilization) {
            double[] sorted = hour.clone();
            Arrays.sort(sorted);
            worst = Math.max(worst, sorted[(int) Math.ceil(0.95 * 60) - 1]);
        }
        return worst;
    }

    private static UsageProfile steadyDay(double callsPerMinute) {
        UsageProfile p = new UsageProfile();
        for (int i = 0; i < 1_440; i++) {
            p.observe(MONDAY.plus(Duration.ofMinutes(i)), ZoneOffset.UTC, new Minute(callsPerMinute, 0,
                    OptionalDouble.of(100), OptionalDouble.of(300)));
        }
        return p;
    }

    private static CapacityModel.Estimate known(double capacity) {
        return new CapacityModel.Estimate(100, 3, capacity * 0.8, java.util.Optional.of(new CapacityModel.Queue(1,
                1 / capacity)), OptionalDouble.of(capacity), OptionalDouble.of(capacity), OptionalDouble.of(capacity),
                java.util.Optional.empty());
    }

    @Test
    void tooLittleDataSaysWhatIsMissing() {
        CapacityModel.Estimate unknown = CapacityModel.estimate(List.of());
        CapacityPlan.TooLittle noCapacity = assertInstanceOf(CapacityPlan.TooLittle.class,
                CapacityPlan.plan(steadyDay(60), unknown, 2, 0.7, new HourOfWeek(0)));
        assertTrue(noCapacity.reason().contains("capacity is not known yet"), noCapacity.reason());
        UsageProfile young = new UsageProfile();
        young.observe(MONDAY, ZoneOffset.UTC, new Minute(60, 0, OptionalDouble.of(100), OptionalDouble.of(300)));
        CapacityPlan.TooLittle noDay = assertInstanceOf(CapacityPlan.TooLittle.class,
                CapacityPlan.plan(young, known(10), 2, 0.7, new HourOfWeek(0)));
        assertTrue(noDay.reason().contains("learned for 1 minutes; 180 are needed"), noDay.reason());
    }

    @Test
    void countsFollowTheHpaFormulaWithItsToleranceAndSayWhatCanGoAndWhenItRunsShort() {
        // 600 calls a minute, steady: at most about 11 a second at the 95th percentile
        CapacityPlan.Plan plan = assertInstanceOf(CapacityPlan.Plan.class,
                CapacityPlan.plan(steadyDay(600), known(2), 12, 0.7, new HourOfWeek(5)));
        double demand = plan.at(new HourOfWeek(5)).demandPerSecond();
        assertTrue(demand > 10 && demand < 11, "10 a second and its percentile: " + demand);
        int need = (int) Math.ceil(demand / (2 * 0.7));
        assertEquals(need, plan.peak());
        assertEquals(12 - need, plan.removable());
        assertTrue(plan.hoursUntilShort().isEmpty());

        CapacityPlan.Plan short2 = assertInstanceOf(CapacityPlan.Plan.class,
                CapacityPlan.plan(steadyDay(600), known(2), 2, 0.7, new HourOfWeek(5)));
        assertEquals(0, short2.hoursUntilShort().getAsInt(), "short now");
        assertEquals(need, CapacityPlan.instances(demand, 2, 0.7, 0), "none running: the formula alone");
        assertEquals(8, CapacityPlan.instances(10.5, 2, 0.7, 8), "up to 10 % under the target: kept");
        assertEquals(9, CapacityPlan.instances(11.5, 2, 0.7, 8), "over the target: never kept");
        assertEquals(1, CapacityPlan.instances(0, 2, 0.7, 3), "at least one");
    }

    @Test
    void headroomIsHowMuchTheBusiestHourCanGrowAndGrowthSaysWhenItRunsOut() {
        CapacityPlan.Plan plan = assertInstanceOf(CapacityPlan.Plan.class,
                CapacityPlan.plan(steadyDay(600), known(2), 12, 0.7, new HourOfWeek(5)));
        double busiest = plan.hours().stream().mapToDouble(CapacityPlan.Hour::demandPerSecond).max().orElseThrow();
        double room = 12 * 2 * 0.7 / busiest - 1;
        assertEquals(room, plan.headroom().getAsDouble(), 1e-12);
        assertTrue(room > 0.5 && room < 0.7, "16.8 a second for about 10.5: " + room);
        assertEquals(Math.log1p(room) / Math.log1p(0.1), plan.weeksUntilShort(0.1).getAsDouble(), 1e-12);
        assertTrue(plan.weeksUntilShort(0).isEmpty(), "no growth, never short");

        CapacityPlan.Plan short2 = assertInstanceOf(CapacityPlan.Plan.class,
                CapacityPlan.plan(steadyDay(600), known(2), 2, 0.7, new HourOfWeek(5)));
        assertTrue(short2.headroom().getAsDouble() < 0, "short already: " + short2.headroom());
        assertEquals(0, short2.weeksUntilShort(0.1).getAsDouble());
        CapacityPlan.Plan none = assertInstanceOf(CapacityPlan.Plan.class,
                CapacityPlan.plan(steadyDay(600), known(2), 0, 0.7, new HourOfWeek(5)));
        assertTrue(none.headroom().isEmpty());
    }

    @Test
    void aClearRiseRaisesEachHourToWhenItComesAndNoTrendEverLowersIt() {
        CapacityPlan.Plan plain = assertInstanceOf(CapacityPlan.Plan.class,
                CapacityPlan.plan(steadyDay(600), known(2), 12, 0.7, new HourOfWeek(5)));
        DemandTrend.Growth rising = new DemandTrend.Growth(0.1, 0.05, 0.15, 21, OptionalDouble.of(0.2));
        CapacityPlan.Plan raised = assertInstanceOf(CapacityPlan.Plan.class, CapacityPlan.plan(steadyDay(600),
                known(2), 12, 0.7, new HourOfWeek(5), 60, java.util.Optional.of(rising)));
        assertEquals(java.util.Optional.of(rising), raised.raisedBy());
        CapacityPlan.Hour now = raised.at(new HourOfWeek(5));
        assertEquals(now.demandPerSecond() * 1.2 * Math.pow(1.15, 1 / 168.0), now.forecastPerSecond(), 1e-9,
                "the hour under way: 20 % above the learned week, and an hour of the band's high growth");
        CapacityPlan.Hour last = raised.at(new HourOfWeek(4));
        assertEquals(last.demandPerSecond() * 1.2 * 1.15, last.forecastPerSecond(), 1e-9, "a week ahead");
        assertTrue(raised.peak() > plain.peak(), raised.peak() + " against " + plain.peak());
        for (DemandTrend.Growth g : List.of(new DemandTrend.Growth(-0.2, -0.3, -0.1, 21, OptionalDouble.of(-0.3)),
                new DemandTrend.Growth(0.1, -0.05, 0.25, 21, OptionalDouble.of(0.2)))) {
            CapacityPlan.Plan p = assertInstanceOf(CapacityPlan.Plan.class, CapacityPlan.plan(steadyDay(600),
                    known(2), 12, 0.7, new HourOfWeek(5), 60, java.util.Optional.of(g)));
            assertEquals(plain.hours(), p.hours(), "a fall, or a rise not told from chance, changes nothing: " + g);
            assertTrue(p.raisedBy().isEmpty());
        }
    }
}
