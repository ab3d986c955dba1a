package dev.mcphealth.domain.prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DiscountedLineTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private static Instant at(double seconds) {
        return T0.plusNanos(Math.round(seconds * 1e9));
    }

    @Test
    void recoversAnExactLineFromEvenlySpacedPoints() {
        DiscountedLine line = DiscountedLine.empty(60);
        for (int t = 0; t <= 300; t += 5) {
            line = line.add(at(t), 100 + 2.5 * t);
        }
        assertEquals(2.5, line.slope(), 1e-9);
        assertEquals(100 + 2.5 * 330, line.levelAt(at(330)), 1e-6);
    }

    @Test
    void recoversAnExactLineFromIrregularPointsWithGaps() {
        SplittableRandom random = new SplittableRandom(7);
        DiscountedLine line = DiscountedLine.empty(120);
        double t = 0;
        for (int i = 0; i < 200; i++) {
            t += random.nextDouble(0.1, 30);
            if (i % 17 == 0) {
                t += 300; // a stretch of missed probes
            }
            line = line.add(at(t), 0.05 - 0.0001 * t);
        }
        assertEquals(-0.0001, line.slope(), 1e-12);
        assertEquals(0.05 - 0.0001 * (t + 10), line.levelAt(at(t + 10)), 1e-9);
    }

    /** The running sums give what weighted least squares computed from all the points gives. */
    @Test
    void agreesWithWeightedLeastSquaresOverAllPoints() {
        SplittableRandom random = new SplittableRandom(11);
        double window = 90;
        DiscountedLine line = DiscountedLine.empty(window);
        List<double[]> points = new ArrayList<>();
        double t = 1000;
        for (int i = 0; i < 120; i++) {
            t += random.nextDouble(0.5, 8);
            double y = 300 + 0.7 * t + 40 * random.nextGaussian();
            points.add(new double[] {t, y});
            line = line.add(at(t), y);
        }
        double s0 = 0, sx = 0, sy = 0, q0 = 0;
        for (double[] p : points) {
            double w = Math.exp(-(t - p[0]) / window);
            s0 += w;
            sx += w * p[0];
            sy += w * p[1];
            q0 += w * w;
        }
        double mx = sx / s0, my = sy / s0;
        double sxx = 0, sxy = 0, squares = 0;
        for (double[] p : points) {
            double w = Math.exp(-(t - p[0]) / window);
            sxx += w * (p[0] - mx) * (p[0] - mx);
            sxy += w * (p[0] - mx) * (p[1] - my);
            squares += w * w * (p[0] - mx) * (p[0] - mx);
        }
        double slope = sxy / sxx;
        double rss = 0;
        for (double[] p : points) {
            double w = Math.exp(-(t - p[0]) / window);
            double e = p[1] - (my + slope * (p[0] - mx));
            rss += w * e * e;
        }
        double n = s0 * s0 / q0;
        double sigma = Math.sqrt(rss / s0 * n / (n - 2));

        assertEquals(n, line.effectiveSamples(), 1e-9 * n);
        assertEquals(slope, line.slope(), 1e-9 * Math.abs(slope));
        assertEquals(my + slope * (t + 5 - mx), line.levelAt(at(t + 5)), 1e-6);
        assertEquals(my, line.mean(), 1e-6);
        assertEquals(sigma, line.residualDeviation(0), 1e-6 * sigma);
        assertEquals(sigma * Math.sqrt(squares) / sxx, line.slopeError(sigma), 1e-6 * sigma * Math.sqrt(squares) / sxx);
    }

    @Test
    void evenSpacingGivesTheKnownEffectiveSampleSize() {
        DiscountedLine line = DiscountedLine.empty(60);
        for (int t = 0; t < 3000; t++) {
            line = line.add(at(t), 1);
        }
        double decay = Math.exp(-1.0 / 60);
        assertEquals((1 + decay) / (1 - decay), line.effectiveSamples(), 1e-6);
    }

    @Test
    void noSpreadNoSlope() {
        DiscountedLine one = DiscountedLine.empty(60).add(T0, 5);
        assertEquals(0, one.slope());
        assertEquals(Double.POSITIVE_INFINITY, one.slopeError(1));
        assertEquals(Double.POSITIVE_INFINITY, one.residualDeviation(0));
    }

    @Test
    void theFloorBoundsTheResidualDeviation() {
        DiscountedLine line = DiscountedLine.empty(60);
        for (int t = 0; t < 100; t++) {
            line = line.add(at(t), 42);
        }
        assertEquals(0.5, line.residualDeviation(0.5));
    }

    @Test
    void pointsMustComeInTimeOrder() {
        DiscountedLine line = DiscountedLine.empty(60).add(at(10), 1);
        assertThrows(IllegalArgumentException.class, () -> line.add(at(9), 1));
    }

    @Test
    void windowMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> DiscountedLine.empty(0));
        assertThrows(IllegalArgumentException.class, () -> DiscountedLine.empty(Double.NaN));
    }
}
