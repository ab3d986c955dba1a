package dev.mcphealth.domain.learning;

/**
 * The error figure of a {@link UsageProfile}: per slot, the share of calls failing (failures per call over its
 * minutes: the calls' and failures' running means, their ratio, not a mean of each minute's share, which a quiet hour's
 * rare failure, 1 of 3 calls, would make an outlier and clip away), the slot's mean calls per minute, and the
 * dispersion of its failures: the mean squared Pearson residual of its minutes' failures, 1 when failures come one by
 * one, more when they come in bursts (a dependency's bad minutes), as the rate's learned spread scales its band. A
 * minute's failures beyond what the share makes likely (the expected plus 3 of its deviations, plus 2) are clipped, so
 * a burst does not become the norm. Works on the profile's own arrays of this figure.
 */
final class FailureShares {
    /**
     * The least variance a minute's failures are divided by: with a fraction of a failure expected, one failure is no
     * burst, and the mean of the squared residuals stays at or below 1 (failures one by one).
     */
    private static final double LEAST_VARIANCE = 0.25;
    /**
     * A minute's squared residual counts at most this much: a burst's first minutes (learned before it is raised) do
     * not make every minute bursty.
     */
    private static final double MOST_RESIDUAL = 100;

    private final double[] weight;
    private final double[] level;
    private final double[] meanCalls;
    private final double[] dispersion;

    FailureShares(double[] weight, double[] level, double[] meanCalls, double[] dispersion) {
        this.weight = weight;
        this.level = level;
        this.meanCalls = meanCalls;
        this.dispersion = dispersion;
    }

    /**
     * How unlikely {@code failures} are where {@code expected} were usual, if only the usual minute-to-minute swing of
     * the share made them: each minute's share taken as the usual one times a log-normal factor whose variance gives
     * the learned {@code dispersion} (its mean over the window: Fenton-Wilkinson), scored as a normal deviate of the
     * log. Infinite when failures come one by one (nothing to allow for) or are no more than usual. A Poisson score
     * scaled by the dispersion matches its variance, not its tail: a bad minute of a bursty dependency is 10-20 times
     * the usual share, which such a score calls impossible.
     */
    static double burstZ(double failures, double expected, double dispersion) {
        if (!(dispersion > 1) || !(expected > 0) || failures <= expected) {
            return Double.POSITIVE_INFINITY;
        }
        double s2 = Math.log(1 + (dispersion - 1) / expected);
        return (Math.log(failures / expected) + s2 / 2) / Math.sqrt(s2);
    }

    /** The slot's dispersion: 1 until learned (a slot stored before it was kept, or too young). */
    double dispersion(int slot) {
        return Math.max(1, dispersion[slot]);
    }

    /** Learns a minute of {@code calls} calls, {@code failed} of them failing, into {@code slot}. */
    void learn(int slot, double calls, double failed, double cap, boolean clip) {
        double w = weight[slot];
        if (w == 0) {
            weight[slot] = 1;
            level[slot] = Math.min(1, failed / calls);
            meanCalls[slot] = calls;
            dispersion[slot] = 1;
            return;
        }
        double p = level[slot];
        double expected = p * calls;
        double phi = dispersion(slot);
        double clipped = clip ? Math.min(failed, expected + UsageProfile.CLIP * Math.sqrt(phi * expected) + 2) : failed;
        double next = Math.min(w + 1, cap);
        double residual = (failed - expected) * (failed - expected) / Math.max(expected * (1 - p), LEAST_VARIANCE);
        double d = dispersion[slot] == 0 ? 1 : dispersion[slot];
        dispersion[slot] = d + (Math.min(residual, MOST_RESIDUAL) - d) / next;
        double calls2 = meanCalls[slot] + (calls - meanCalls[slot]) / next;
        double meanFailures = p * meanCalls[slot];
        meanFailures += (clipped - meanFailures) / next;
        level[slot] = calls2 > 0 ? Math.min(1, meanFailures / calls2) : p;
        meanCalls[slot] = calls2;
        weight[slot] = next;
    }
}
