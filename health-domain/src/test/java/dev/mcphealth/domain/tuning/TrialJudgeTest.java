package dev.mcphealth.domain.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.TrialVerdict;
import dev.mcphealth.domain.model.WindowStats;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The verdict on a trial's two windows, by example and over simulated windows: how often a change that did nothing is
 * rolled back (by chance), and how often one that made things worse is (docs/learning.md quotes these figures).
 */
class TrialJudgeTest {
    private static final Duration W = Duration.ofMinutes(15);

    /** {@code probes} probes with {@code failedProbes} failed, {@code calls} real calls with {@code errors} failed. */
    private static WindowStats window(long probes, long failedProbes, long calls, long errors, long p95Ms) {
        Optional<Duration> p = Optional.of(Duration.ofMillis(p95Ms));
        return new WindowStats(W, probes + calls, failedProbes + errors, probes, probes - failedProbes, p, p, p);
    }

    @Test
    void moreFailedProbesIsWorse() {
        TrialJudge.Judgement j = TrialJudge.judge(window(90, 0, 0, 0, 40), window(90, 8, 0, 0, 40));
        assertEquals(TrialVerdict.WORSE, j.verdict());
        assertEquals(List.of("worse: probes failed 0 of 90 before, 8 of 90 after", "p95 40 ms before, 40 ms after"),
                j.evidence());
    }

    @Test
    void oneFailureAmongFewProbesIsNotEnoughWhateverTheirShare() {
        // a longer interval leaves few probes: one failure of 10 is 10 %, and no evidence
        assertEquals(TrialVerdict.NO_WORSE, TrialJudge.judge(window(90, 0, 0, 0, 40), window(10, 1, 0, 0, 40))
                .verdict());
        assertEquals(TrialVerdict.NO_WORSE, TrialJudge.judge(window(90, 0, 0, 0, 40), window(10, 2, 0, 0, 40))
                .verdict());
        assertEquals(TrialVerdict.WORSE, TrialJudge.judge(window(90, 0, 0, 0, 40), window(10, 3, 0, 0, 40))
                .verdict());
    }

    @Test
    void theP95CanBeLeftOut() {
        assertEquals(TrialVerdict.WORSE, TrialJudge.judge(window(90, 0, 100, 0, 40), window(30, 0, 100, 0, 90))
                .verdict());
        TrialJudge.Judgement j = TrialJudge.judge(window(90, 0, 100, 0, 40), window(30, 0, 100, 0, 90), false);
        assertEquals(TrialVerdict.NO_WORSE, j.verdict());
        assertEquals(List.of("probes failed 0 of 90 before, 0 of 30 after", "calls failed 0 of 100 before, 0 of 100"
                + " after"), j.evidence());
    }

    @Test
    void aFewMoreFailuresAreNotEnough() {
        // 2 of 90 against 0 of 90 is within chance at the 1 % level
        assertEquals(TrialVerdict.NO_WORSE, TrialJudge.judge(window(90, 0, 0, 0, 40), window(90, 2, 0, 0, 40))
                .verdict());
    }

    @Test
    void moreFailedCallsIsWorseAndFewerIsBetter() {
        assertEquals(TrialVerdict.WORSE, TrialJudge.judge(window(90, 0, 5000, 10, 40), window(90, 0, 5000, 120, 40))
                .verdict());
        TrialJudge.Judgement better = TrialJudge.judge(window(90, 0, 5000, 120, 40), window(90, 0, 5000, 10, 40));
        assertEquals(TrialVerdict.BETTER, better.verdict());
        assertTrue(better.evidence().contains("better: calls failed 120 of 5000 before, 10 of 5000 after"),
                better.evidence().toString());
    }

    @Test
    void aTinyRiseOfAHugeCountIsNoWorse() {
        // significant, but under one percentage point
        assertEquals(TrialVerdict.NO_WORSE, TrialJudge.judge(window(90, 0, 1_000_000, 1000, 40),
                window(90, 0, 1_000_000, 5000, 40)).verdict());
    }

    @Test
    void aLongerP95IsWorseOnlyWhenBothMuchAndNoticeablyLonger() {
        assertEquals(TrialVerdict.WORSE, TrialJudge.judge(window(90, 0, 100, 0, 40), window(90, 0, 100, 0, 61))
                .verdict());
        assertEquals(TrialVerdict.NO_WORSE, TrialJudge.judge(window(90, 0, 100, 0, 40), window(90, 0, 100, 0, 59))
                .verdict());
        // half again as long, but 3 ms: noise on a fast server
        assertEquals(TrialVerdict.NO_WORSE, TrialJudge.judge(window(90, 0, 100, 0, 6), window(90, 0, 100, 0, 9))
                .verdict());
    }

    @Test
    void tooFewToJudgeSaysSo() {
        TrialJudge.Judgement j = TrialJudge.judge(window(3, 0, 4, 0, 40), window(90, 30, 500, 200, 40));
        assertEquals(TrialVerdict.TOO_FEW_CALLS, j.verdict());
        assertEquals(List.of("too few to judge: 3 probes and 4 calls before, 90 probes and 500 calls after (at least"
                + " 5 probes or 20 calls in each window)"), j.evidence());
    }

    /**
     * Simulated trials: probes every 10 s (90 a window), 600 real calls, a failure rate and a latency that stay as they
     * were (the change did nothing) or get worse: the failure rate doubled, or 5 points more (a timeout cut too short),
     * or the p95 doubled. The p95 of a window is drawn around its true value with the spread of a 95th percentile of 600
     * lognormal latencies (about 6 %).
     */
    @Test
    void simulatedTrialsRollBackHarmlessChangesRarelyAndHarmfulOnesMostly() {
        SplittableRandom random = new SplittableRandom(16);
        int perRate = 1000;
        double[] rates = {0.0, 0.005, 0.01, 0.02, 0.05};
        int harmless = 0;
        int falseRollbacks = 0;
        int fewerProbes = 0;
        int fivePoints = 0;
        int slow = 0;
        StringBuilder doubled = new StringBuilder();
        for (double rate : rates) {
            int caughtDoubled = 0;
            for (int i = 0; i < perRate; i++) {
                WindowStats before = simulated(random, rate, 40);
                harmless++;
                falseRollbacks += worse(before, simulated(random, rate, 40));
                fewerProbes += worse(before, simulated(random, 30, rate, 40));
                caughtDoubled += worse(before, simulated(random, rate * 2, 40));
                fivePoints += worse(before, simulated(random, rate + 0.05, 40));
                slow += worse(before, simulated(random, rate, 80));
            }
            doubled.append(String.format(Locale.ROOT, " %.1f %%: %d", rate * 100, caughtDoubled));
        }
        int all = perRate * rates.length;
        System.out.printf(Locale.ROOT, "trial judge over %d simulated trials a case: harmless changes rolled back %d"
                + " (%.2f %%), with a third of the probes after (a longer interval) %d (%.2f %%); 5 points more failures rolled back %d (%.1f %%); p95 doubled rolled back %d (%.1f %%);"
                + " failure rate doubled, rolled back per %d, from%s%n", all, falseRollbacks,
                100.0 * falseRollbacks / all, fewerProbes, 100.0 * fewerProbes / all, fivePoints, 100.0 * fivePoints / all, slow, 100.0 * slow / all, perRate,
                doubled);
        assertTrue(falseRollbacks <= harmless * 0.02, falseRollbacks + " harmless changes rolled back");
        assertTrue(fewerProbes <= harmless * 0.02, fewerProbes + " harmless interval changes rolled back");
        assertTrue(fivePoints >= all * 0.95, fivePoints + " of " + all + " with 5 points more failures");
        assertTrue(slow >= all * 0.99, slow + " of " + all + " with the p95 doubled");
    }

    private static int worse(WindowStats before, WindowStats after) {
        return TrialJudge.judge(before, after).verdict() == TrialVerdict.WORSE ? 1 : 0;
    }

    private static WindowStats simulated(SplittableRandom random, double rate, double p95Ms) {
        return simulated(random, 90, rate, p95Ms);
    }

    private static WindowStats simulated(SplittableRandom random, int probes, double rate, double p95Ms) {
        long failedProbes = binomial(random, probes, rate);
        long errors = binomial(random, 600, rate);
        double p95 = p95Ms * Math.exp(0.06 * gaussian(random));
        return window(probes, failedProbes, 600, errors, Math.round(p95));
    }

    private static long binomial(SplittableRandom random, int n, double p) {
        long k = 0;
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() < p) {
                k++;
            }
        }
        return k;
    }

    private static double gaussian(SplittableRandom random) {
        double u = Math.max(random.nextDouble(), 1e-12);
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
