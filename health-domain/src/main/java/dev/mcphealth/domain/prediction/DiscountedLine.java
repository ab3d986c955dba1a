package dev.mcphealth.domain.prediction;

import java.time.Duration;
import java.time.Instant;

/**
 * A straight line fitted by weighted least squares to points whose weight decays with their age: a point {@code a}
 * seconds older than the newest weighs {@code exp(-a / window)}. Forgetting by time, not by count, is what makes
 * irregular spacing harmless: a missed probe simply leaves a gap, and the points around it keep their true ages.
 * For evenly spaced points this is Brown's double exponential smoothing.
 *
 * <p>Nine running sums are the whole memory, kept with ages measured from the newest point (so they never grow with
 * the absolute time and lose no precision): {@code s0 = sum w}, {@code s1 = sum w x}, {@code s2 = sum w x^2},
 * {@code sy = sum w y}, {@code sxy = sum w x y}, {@code syy = sum w y^2}, and the same for the squared weights,
 * {@code q0, q1, q2}, which the slope's standard error needs because the weights are not inverse variances.
 *
 * <p>Used by the latency forecasts ({@link TrendPredictor}) and by the demand trend
 * ({@code dev.mcphealth.domain.learning.DemandTrend}), whose state it is kept in.
 *
 * @param window      the forgetting time constant, seconds
 * @param referenceAt the newest point's time (ages {@code x <= 0} are measured from it); null before the first point
 */
public record DiscountedLine(double window, Instant referenceAt, double s0, double s1, double s2, double sy, double sxy,
                      double syy, double q0, double q1, double q2) {

    public static DiscountedLine empty(double window) {
        if (!(window > 0 && Double.isFinite(window))) {
            throw new IllegalArgumentException("window must be a positive number of seconds, got " + window);
        }
        return new DiscountedLine(window, null, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Adds a point no older than the newest one so far. */
    public DiscountedLine add(Instant at, double y) {
        if (referenceAt == null) {
            return new DiscountedLine(window, at, 1, 0, 0, y, 0, y * y, 1, 0, 0);
        }
        double x = secondsBetween(referenceAt, at);
        if (x < 0) {
            throw new IllegalArgumentException("points must come in time order: " + at + " is before " + referenceAt);
        }
        // move the origin to the new point (every age grows by x), decay, then add the point at age 0
        double l = Math.exp(-x / window);
        double l2 = l * l;
        return new DiscountedLine(window, at,
                l * s0 + 1,
                l * (s1 - x * s0),
                l * (s2 - 2 * x * s1 + x * x * s0),
                l * sy + y,
                l * (sxy - x * sy),
                l * syy + y * y,
                l2 * q0 + 1,
                l2 * (q1 - x * q0),
                l2 * (q2 - 2 * x * q1 + x * x * q0));
    }

    /** Kish's effective number of points: how many equally weighted points would give the same precision. */
    public double effectiveSamples() {
        return q0 == 0 ? 0 : s0 * s0 / q0;
    }

    /** The weighted spread of the ages, times s0; zero when all points share one time. */
    private double sxx() {
        return s0 == 0 ? 0 : s2 - s1 * s1 / s0;
    }

    /** Units per second; zero while the ages do not spread. */
    public double slope() {
        double sxx = sxx();
        return sxx <= 0 ? 0 : (sxy - s1 * sy / s0) / sxx;
    }

    /** The line's value at {@code at} (extrapolated past the newest point). */
    public double levelAt(Instant at) {
        double x = secondsBetween(referenceAt, at);
        return sy / s0 + slope() * (x - s1 / s0);
    }

    /** The mean of the points: where the noise is measured. */
    public double mean() {
        return sy / s0;
    }

    /** The residuals' standard deviation, corrected for the two fitted parameters, at least {@code floor}. */
    public double residualDeviation(double floor) {
        double meanY = sy / s0;
        double rss = Math.max(0, (syy - sy * meanY) - slope() * (sxy - s1 * meanY));
        double n = effectiveSamples();
        double variance = n > 2 ? rss / s0 * n / (n - 2) : Double.POSITIVE_INFINITY;
        return Math.max(floor, Math.sqrt(variance));
    }

    /**
     * The slope's standard error for residuals of deviation {@code sigma}: the sandwich form
     * {@code sigma * sqrt(sum w^2 (x - mean)^2) / sum w (x - mean)^2}.
     */
    public double slopeError(double sigma) {
        double sxx = sxx();
        if (sxx <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double meanX = s1 / s0;
        double squares = Math.max(0, q2 - 2 * meanX * q1 + meanX * meanX * q0);
        return sigma * Math.sqrt(squares) / sxx;
    }

    public static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }

    /** Seconds from {@code from} to {@code to}, without allocating a Duration (this runs for every sample). */
    public static double secondsBetween(Instant from, Instant to) {
        return (to.getEpochSecond() - from.getEpochSecond()) + (to.getNano() - from.getNano()) / 1e9;
    }
}
