package dev.mcphealth.domain.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.UsageFigure;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The dispersion of failures a profile learns, and the score a bursty slot's failures get. */
class FailureSharesTest {
    private static final Instant MONDAY = Instant.parse("2026-11-30T00:00:00Z");

    /** Four weeks at 400 calls a minute, 0.5 % failing, each minute's share times a log-normal factor of {@code spread}. */
    private static double learnedDispersion(double spread) {
        SplittableRandom random = new SplittableRandom(11);
        UsageProfile p = new UsageProfile();
        for (int i = 0; i < 4 * 10080; i++) {
            double share = 0.005 * Math.exp(spread * UsageProfileTest.gaussian(random) - spread * spread / 2);
            int failed = 0;
            for (int c = 0; c < 400; c++) {
                failed += random.nextDouble() < share ? 1 : 0;
            }
            p.observe(MONDAY.plus(Duration.ofMinutes(i)), ZoneOffset.UTC, new UsageProfile.Minute(400, failed,
                    OptionalDouble.of(50), OptionalDouble.of(90)));
        }
        return p.norm(new HourOfWeek(10), UsageFigure.ERRORS).orElseThrow().dispersion();
    }

    @Test
    void failuresOneByOneHaveADispersionOfAboutOneAndBurstsMore() {
        double independent = learnedDispersion(0);
        double bursty = learnedDispersion(1.0);
        assertTrue(independent >= 1 && independent < 1.4, "one by one: " + independent);
        // 1 + n p (e^(s^2) - 1) = 1 + 2 x 1.72 = 4.4 for a log-normal of spread 1 (each minute counted up to 100)
        assertTrue(bursty > 3 && bursty < 5.5, "in bursts: " + bursty);
    }

    @Test
    void aBurstyShareAllowsAMinuteTenTimesTheUsualThatAPoissonCallsImpossible() {
        assertEquals(Double.POSITIVE_INFINITY, FailureShares.burstZ(20, 2, 1), "one by one: nothing to allow for");
        assertEquals(Double.POSITIVE_INFINITY, FailureShares.burstZ(2, 2, 4.4), "no more than usual");
        double tenfold = FailureShares.burstZ(20, 2, 4.4);
        assertTrue(tenfold < AnomalyWatch.Z1, "a tenfold minute of a bursty slot is no anomaly: " + tenfold);
        assertTrue(PoissonScore.z(20 / 4.4, 2 / 4.4) > tenfold, "a scaled Poisson calls it less likely");
        assertTrue(FailureShares.burstZ(120, 2, 4.4) > FailureShares.burstZ(60, 2, 4.4), "more failures, higher");
        assertTrue(FailureShares.burstZ(600, 10, 4.4) >= AnomalyWatch.Z5, "30 % of 5 minutes' calls is one");
    }
}
