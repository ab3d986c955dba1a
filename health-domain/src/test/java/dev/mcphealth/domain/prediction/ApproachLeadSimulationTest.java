package dev.mcphealth.domain.prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.domain.learning.ProfileSeasonality;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.model.UsageFigure;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's forecast figure: at a 1 s interval, latency approaches to the critical threshold (100 ms, then a straight
 * line through 2000 ms) taking 60 s to 30 min from onset to crossing, at 5, 10 and 20 % noise with 1 % outliers,
 * jittered and with missed probes (the ramps of {@link PredictionSimulationTest}): the first raise must come at least
 * half the approach time before the crossing, and only once. Prints the lead over the approach time per cell.
 */
class ApproachLeadSimulationTest {
    private static final int SEEDS = Integer.getInteger("predictions.seeds", 10);

    @Test
    void everyApproachFromAMinuteToHalfAnHourIsRaisedWithAtLeastHalfItsTimeLeft() {
        List<String> failures = new ArrayList<>();
        StringBuilder out = new StringBuilder("[predictions] approach lead at 1 s (lead / approach time: worst,"
                + " median):\n");
        for (int seconds : new int[] {60, 120, 300, 600, 1200, 1800}) {
            for (double noise : new double[] {0.05, 0.10, 0.20}) {
                List<Double> ratios = new ArrayList<>();
                for (long seed = 1; seed <= SEEDS; seed++) {
                    PredictionSimulationTest.RampResult r = PredictionSimulationTest.latencyRamp(1, seconds, noise,
                            seed * 7_919L + seconds);
                    String scenario = seconds + " s, noise " + noise + ", seed " + seed;
                    if (r.early()) {
                        failures.add("raised before the onset: " + scenario);
                    }
                    if (Double.isNaN(r.lead())) {
                        failures.add("not raised: " + scenario);
                        ratios.add(0.0);
                        continue;
                    }
                    if (r.raises() != 1) {
                        failures.add("raised " + r.raises() + " times: " + scenario);
                    }
                    ratios.add(r.lead() / seconds);
                    if (r.lead() < seconds / 2.0) {
                        failures.add(String.format(Locale.ROOT, "raised %.0f s ahead of a %d s approach: %s",
                                r.lead(), seconds, scenario));
                    }
                }
                Collections.sort(ratios);
                out.append(String.format(Locale.ROOT, "   %4d s, noise %2.0f %%: %.2f, %.2f%n", seconds, noise * 100,
                        ratios.get(0), ratios.get(ratios.size() / 2)));
            }
        }
        System.out.print(out);
        assertEquals(List.of(), failures);
    }

    /**
     * A server's usual probe latency at second {@code t} of a week under seasonal traffic, as a queue sees it:
     * {@code 100 ms / (1 - load)}, the load 8 % of the peak at night and up to {@code peak} in the working day (a
     * sine-squared day from 07:00 to 19:00), weekends at a quarter, and each weekday's 09:00 a login surge that takes
     * the load to the peak in {@code surgeMinutes} minutes and holds it for an hour.
     */
    static double seasonal(double t, double peak, double surgeMinutes) {
        int day = (int) (t % (7 * 86_400) / 86_400);
        double hour = (t % 86_400) / 3600;
        boolean weekend = day >= 5;
        double work = hour < 7 || hour > 19 ? 0 : Math.pow(Math.sin(Math.PI * (hour - 7) / 12), 2);
        double load = peak * (0.08 + (weekend ? 0.25 : 0.92) * work);
        if (!weekend && hour >= 9 && hour < 10.25) { // the surge: to the peak in surgeMinutes, held, then back
            double in = Math.min(1, (hour - 9) * 60 / surgeMinutes);
            double out = hour > 10 ? (10.25 - hour) * 4 : 1;
            load = load + (peak - load) * Math.min(in, out);
        }
        return 100 / (1 - load);
    }

    /**
     * Three weeks of that latency probed every second (10 % noise, 1 % outliers, jitter and missed probes as above):
     * the first two teach a {@link UsageProfile} (each minute's median probe), the third is watched by a predictor
     * with that profile as its seasonality and by one without. Returns the predictions of each in the third week.
     */
    static int[] seasonalWeeks(double peak, double surgeMinutes, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        UsageProfile profile = new UsageProfile();
        TrendPredictor plain = TrendPredictor.forMetric(MetricType.RESPONSE_TIME, Thresholds.DEFAULTS,
                Duration.ofSeconds(1));
        TrendPredictor seasoned = plain.withSeasonality(new ProfileSeasonality(profile, UsageFigure.P50,
                ZoneOffset.UTC));
        int[] raised = new int[2];
        double[] minute = new double[60];
        int inMinute = 0;
        for (long k = 0; k < 3 * 7 * 86_400L; k++) {
            double t = k + (random.nextDouble() - 0.5) * 0.2;
            double value = PredictionSimulationTest.latency(random, seasonal(t, peak, surgeMinutes), 0.10);
            boolean missed = random.nextDouble() < 0.02;
            if (k < 2 * 7 * 86_400L) {
                if (!missed) {
                    minute[inMinute++] = value;
                }
                if (k % 60 == 59) {
                    java.util.Arrays.sort(minute, 0, inMinute);
                    profile.observe(PredictionSimulationTest.at(k - 59), ZoneOffset.UTC, new UsageProfile.Minute(
                            inMinute, 0, java.util.OptionalDouble.of(minute[inMinute / 2]),
                            java.util.OptionalDouble.of(minute[(int) (inMinute * 0.95)])));
                    inMinute = 0;
                }
                continue;
            }
            if (missed) {
                continue;
            }
            TrendPredictor.Step a = plain.observe(PredictionSimulationTest.at(t), value);
            plain = a.next();
            raised[0] += a.raise().isPresent() ? 1 : 0;
            TrendPredictor.Step b = seasoned.observe(PredictionSimulationTest.at(t), value);
            seasoned = b.next();
            raised[1] += b.raise().isPresent() ? 1 : 0;
        }
        return raised;
    }

    @Test
    void aWeekOfSeasonalTrafficWithMorningSurgesRaisesNothingOnceItsProfileIsKnown() {
        StringBuilder out = new StringBuilder("[predictions] the third week of seasonal traffic at 1 s, predictions"
                + " without / with its profile:");
        int total = 0;
        for (double peak : new double[] {0.5, 0.75, 0.9}) {
            for (double surge : new double[] {2, 5, 15}) {
                int[] raised = seasonalWeeks(peak, surge, (long) (peak * 100 + surge));
                total += raised[1];
                out.append(String.format(Locale.ROOT, " peak %.0f %% surge %.0f min: %d / %d;", peak * 100, surge,
                        raised[0], raised[1]));
            }
        }
        System.out.println(out);
        assertEquals(0, total, out.toString());
    }

    /** Two weeks of seasonal probe latency (peak 75 %, 5-minute surges) learned a minute at a time. */
    private static UsageProfile learnedWeeks(java.util.SplittableRandom random) {
        UsageProfile profile = new UsageProfile();
        double[] minute = new double[60];
        for (long m = 0; m < 2 * 7 * 1440L; m++) {
            for (int i = 0; i < 60; i++) {
                minute[i] = PredictionSimulationTest.latency(random, seasonal(m * 60 + i, 0.75, 5), 0.10);
            }
            java.util.Arrays.sort(minute);
            profile.observe(PredictionSimulationTest.at(m * 60), ZoneOffset.UTC, new UsageProfile.Minute(60, 0,
                    java.util.OptionalDouble.of(minute[30]), java.util.OptionalDouble.of(minute[57])));
        }
        return profile;
    }

    /**
     * The same approaches on top of a seasonal week whose profile the predictor knows: from a random weekday time of
     * the third week (08:00 to 18:00, the busy hours, where the usual band is widest), the latency leaves its usual
     * curve in a straight line through the threshold {@code seconds} later. The profile holds back only what is
     * usual: every approach is still raised with at least half its time left.
     */
    @Test
    void withTheProfileAFaultOnTopOfTheUsualWeekIsStillRaisedWithHalfItsTimeLeft() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(16);
        UsageProfile profile = learnedWeeks(random);
        List<String> failures = new ArrayList<>();
        StringBuilder out = new StringBuilder("[predictions] approaches over a known seasonal week at 1 s (lead /"
                + " approach time, worst):");
        for (int seconds : new int[] {60, 120, 300, 600, 1200, 1800}) {
            double worst = Double.POSITIVE_INFINITY;
            for (int n = 0; n < SEEDS; n++) {
                double onset = 14 * 86_400 + random.nextInt(5) * 86_400 + (8 + random.nextDouble() * 10) * 3600;
                double from = seasonal(onset, 0.75, 5);
                double crossing = onset + seconds;
                TrendPredictor p = TrendPredictor.forMetric(MetricType.RESPONSE_TIME, Thresholds.DEFAULTS,
                        Duration.ofSeconds(1)).withSeasonality(new ProfileSeasonality(profile, UsageFigure.P50,
                        ZoneOffset.UTC));
                double first = Double.NaN;
                int raises = 0;
                for (double t = onset - 1800; t < crossing; t += 1) {
                    double at = t + (random.nextDouble() - 0.5) * 0.2;
                    double level = at < onset ? seasonal(at, 0.75, 5)
                            : from + (2000 - from) * (at - onset) / seconds;
                    double value = PredictionSimulationTest.latency(random, level, 0.10);
                    if (random.nextDouble() < 0.02) {
                        continue;
                    }
                    TrendPredictor.Step step = p.observe(PredictionSimulationTest.at(at), value);
                    p = step.next();
                    if (step.raise().isPresent()) {
                        if (at < onset) {
                            failures.add("raised before the onset: " + seconds + " s, n " + n);
                        } else if (raises++ == 0) {
                            first = at;
                        }
                    }
                }
                double lead = crossing - first;
                worst = Math.min(worst, Double.isNaN(lead) ? 0 : lead / seconds);
                if (Double.isNaN(lead) || lead < seconds / 2.0) {
                    failures.add(String.format(Locale.ROOT, "%d s approach from %.0f ms raised %.0f s ahead",
                            seconds, from, lead));
                }
            }
            out.append(String.format(Locale.ROOT, " %d s: %.2f;", seconds, worst));
        }
        System.out.println(out);
        assertEquals(List.of(), failures);
    }
}
