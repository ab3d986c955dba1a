package dev.mcphealth.domain.prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MediansTest {

    private static double sorted(double... values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }

    /** Every order of five values, some of them equal. */
    @Test
    void everyOrderOfFive() {
        double[][] sets = {{1, 2, 3, 4, 5}, {1, 1, 2, 3, 3}, {7, 7, 7, 1, 9}, {0, 0, 0, 0, 0}, {-1, 5, 5, 2, 2}};
        for (double[] set : sets) {
            permute(set, 0);
        }
    }

    private static void permute(double[] v, int k) {
        if (k == v.length) {
            assertEquals(sorted(v), Medians.of(v[0], v[1], v[2], v[3], v[4]), Arrays.toString(v));
            assertEquals(sorted(v[0], v[1], v[2]), Medians.of(v[0], v[1], v[2]), Arrays.toString(v));
            return;
        }
        for (int i = k; i < v.length; i++) {
            double t = v[k];
            v[k] = v[i];
            v[i] = t;
            permute(v, k + 1);
            v[i] = v[k];
            v[k] = t;
        }
    }

    @Test
    void randomValues() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            double a = random.nextInt(10), b = random.nextGaussian(), c = random.nextInt(10), d = random.nextGaussian();
            double e = random.nextInt(10);
            assertEquals(sorted(a, b, c, d, e), Medians.of(a, b, c, d, e));
        }
    }
}
