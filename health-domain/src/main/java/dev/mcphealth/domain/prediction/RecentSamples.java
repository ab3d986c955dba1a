package dev.mcphealth.domain.prediction;

import java.time.Instant;

/**
 * The last four raw samples, newest first, for the medians: the short line takes the median of the last three,
 * placed at the middle one's time ({@code at1}), the long line the median of the last five, at {@code at2}.
 */
record RecentSamples(int count, Instant at1, double v1, Instant at2, double v2, double v3, double v4) {
    static final RecentSamples NONE = new RecentSamples(0, null, 0, null, 0, 0, 0);

    RecentSamples push(Instant at, double v) {
        return new RecentSamples(Math.min(4, count + 1), at, v, at1, v1, v2, v3);
    }

    double medianOfThree(double v) {
        return Medians.of(v, v1, v2);
    }

    double medianOfFive(double v) {
        return Medians.of(v, v1, v2, v3, v4);
    }
}
