package dev.mcphealth.domain.learning;

/**
 * How surprising a count is against the count expected, as a z-score: a Poisson tail probability turned into the
 * normal deviate with the same tail. Exact for small counts, where the square-root approximation is poor (3 failures
 * where 0.02 were expected is as rare as a 4.7-sigma event, which the square root calls 2.3); the square root for
 * large ones. Pure functions.
 */
final class PoissonScore {
    /** Past this expected count the Anscombe approximation is as good as the exact tail. */
    private static final double EXACT_BELOW = 60;

    private PoissonScore() {
    }

    /**
     * {@code observed} against {@code expected} (both counts, scaled alike), positive when more came than expected:
     * the z with the same tail probability.
     */
    static double z(double observed, double expected) {
        double lambda = Math.max(expected, 1e-6);
        double k = Math.max(0, observed);
        if (lambda >= EXACT_BELOW) {
            return (Math.sqrt(k + 0.375) - Math.sqrt(lambda + 0.375)) / 0.5;
        }
        long n = Math.round(k);
        if (n > lambda) {
            return deviate(upper(n, lambda));
        }
        if (n < lambda) {
            return -deviate(lower(n, lambda));
        }
        return 0;
    }

    /** P(X >= n) for X ~ Poisson(lambda), summed upwards from n. */
    private static double upper(long n, double lambda) {
        double logTerm = -lambda + n * Math.log(lambda) - logFactorial(n);
        double sum = 0;
        for (long j = n; j < n + 10_000; j++) {
            double term = Math.exp(logTerm);
            sum += term;
            if (term < sum * 1e-12) {
                break;
            }
            logTerm += Math.log(lambda) - Math.log(j + 1);
        }
        return Math.min(1, sum);
    }

    /** P(X <= n) for X ~ Poisson(lambda). */
    private static double lower(long n, double lambda) {
        double sum = 0;
        double logTerm = -lambda;
        for (long j = 0; j <= n; j++) {
            sum += Math.exp(logTerm);
            logTerm += Math.log(lambda) - Math.log(j + 1);
        }
        return Math.min(1, sum);
    }

    private static double logFactorial(long n) {
        if (n < 256) {
            double s = 0;
            for (long j = 2; j <= n; j++) {
                s += Math.log(j);
            }
            return s;
        }
        double x = n + 1; // Stirling's series for log Gamma(n + 1)
        return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
    }

    /** The normal deviate whose upper tail is {@code p} (Abramowitz and Stegun 26.2.23, within 4.5e-4). */
    private static double deviate(double p) {
        if (p >= 0.5) {
            return 0;
        }
        double t = Math.sqrt(-2 * Math.log(Math.max(p, Double.MIN_VALUE)));
        return t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t
                + 0.001308 * t * t * t);
    }
}
