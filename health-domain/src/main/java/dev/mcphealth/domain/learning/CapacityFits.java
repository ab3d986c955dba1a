package dev.mcphealth.domain.learning;

import java.util.List;

/**
 * The two fits {@link CapacityModel} chooses from, on load levels {N, X, R} (calls in flight, calls a second and mean
 * latency in seconds, per instance): a queue of c workers and the Universal Scalability Law.
 */
final class CapacityFits {
    /** The most workers a queue fit tries. */
    static final int MAX_WORKERS = 64;
    /** Fits within this much of the best one's error are as good: the fewest workers among them is taken. */
    private static final double AS_GOOD = 1.05;

    private CapacityFits() {
    }

    /**
     * The queue of {@code c} workers and service time {@code s} whose mean latency at each level's throughput (Erlang's
     * C: {@code R = S + C(c, X S) S / (c - X S)}) is nearest the level's, in logarithms; among fits as good, the fewest
     * workers (the lowest capacity the levels allow).
     */
    static CapacityModel.Queue queue(List<double[]> levels) {
        double xMax = 0;
        double rMin = Double.POSITIVE_INFINITY;
        for (double[] l : levels) {
            xMax = Math.max(xMax, l[1]);
            rMin = Math.min(rMin, l[2]);
        }
        double[] errors = new double[MAX_WORKERS + 1];
        double[] services = new double[MAX_WORKERS + 1];
        double best = Double.POSITIVE_INFINITY;
        for (int c = 1; c <= MAX_WORKERS; c++) {
            double hi = Math.min(rMin, 0.999 * c / xMax);
            double lo = hi / 1000;
            // a coarse scan in logarithms, then golden sections around the best point
            double bestS = hi;
            double bestE = Double.POSITIVE_INFINITY;
            for (int i = 0; i <= 60; i++) {
                double s = lo * Math.pow(hi / lo, i / 60.0);
                double e = queueError(levels, c, s);
                if (e < bestE) {
                    bestE = e;
                    bestS = s;
                }
            }
            double a = Math.max(lo, bestS / Math.pow(hi / lo, 1 / 60.0));
            double b = Math.min(hi, bestS * Math.pow(hi / lo, 1 / 60.0));
            for (int i = 0; i < 40; i++) {
                double m1 = b - 0.618 * (b - a);
                double m2 = a + 0.618 * (b - a);
                if (queueError(levels, c, m1) < queueError(levels, c, m2)) {
                    b = m2;
                } else {
                    a = m1;
                }
            }
            services[c] = (a + b) / 2;
            errors[c] = queueError(levels, c, services[c]);
            best = Math.min(best, errors[c]);
        }
        for (int c = 1; c <= MAX_WORKERS; c++) {
            if (errors[c] <= best * AS_GOOD + 1e-12) {
                return new CapacityModel.Queue(c, services[c]);
            }
        }
        throw new IllegalStateException("no queue fit"); // the best one is always as good as itself
    }

    private static double queueError(List<double[]> levels, int c, double s) {
        double e = 0;
        for (double[] l : levels) {
            double d = Math.log(l[2]) - Math.log(queueLatency(c, s, l[1]));
            e += d * d;
        }
        return e;
    }

    /** The mean latency of a queue of {@code c} workers of service time {@code s} at {@code x} calls a second. */
    static double queueLatency(int c, double s, double x) {
        double a = x * s;
        if (a >= c) {
            return Double.POSITIVE_INFINITY;
        }
        double term = 1;
        double sum = 1;
        for (int k = 1; k < c; k++) {
            term *= a / k;
            sum += term;
        }
        double tail = term * a / c / (1 - a / c);
        double wait = tail / (sum + tail);
        return s + wait * s / (c - a);
    }

    /**
     * Least squares of {@code N / X = a + b (N - 1) + c N (N - 1)} over the levels, each level weighing the same,
     * with b and c at least 0 (the best of the fits with each subset of them); lambda = 1/a, sigma = b/a, kappa = c/a.
     * Kappa (a peak, past which more in flight serve fewer) only when the levels {@code declined}.
     */
    static CapacityModel.Usl usl(List<double[]> levels, boolean declined) {
        double best = Double.POSITIVE_INFINITY;
        double[] chosen = null;
        for (boolean[] use : declined ? new boolean[][] {{true, true}, {true, false}, {false, true}, {false, false}}
                : new boolean[][] {{true, false}, {false, false}}) {
            double[] coef = solve(levels, use[0], use[1]);
            if (coef == null || coef[0] <= 0 || coef[1] < 0 || coef[2] < 0) {
                continue;
            }
            double sse = 0;
            for (double[] l : levels) {
                double e = l[0] / l[1] - (coef[0] + coef[1] * (l[0] - 1) + coef[2] * l[0] * (l[0] - 1));
                sse += e * e;
            }
            if (sse < best * (1 - 1e-12)) {
                best = sse;
                chosen = coef;
            }
        }
        if (chosen == null) { // no fit with a positive a: the levels' N / X fall faster than a line; serial at best
            double n = levels.get(levels.size() - 1)[0];
            return new CapacityModel.Usl(levels.get(levels.size() - 1)[1] / n, 0, 0);
        }
        return new CapacityModel.Usl(1 / chosen[0], chosen[1] / chosen[0], chosen[2] / chosen[0]);
    }

    /** The normal equations of the fit with b and c as asked (a always), solved; null when singular. */
    private static double[] solve(List<double[]> levels, boolean withB, boolean withC) {
        int k = 1 + (withB ? 1 : 0) + (withC ? 1 : 0);
        double[][] m = new double[k][k + 1];
        for (double[] l : levels) {
            double n = l[0];
            double[] row = new double[k];
            int j = 0;
            row[j++] = 1;
            if (withB) {
                row[j++] = n - 1;
            }
            if (withC) {
                row[j] = n * (n - 1);
            }
            double y = n / l[1];
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < k; c++) {
                    m[r][c] += row[r] * row[c];
                }
                m[r][k] += row[r] * y;
            }
        }
        double[] x = gauss(m);
        if (x == null) {
            return null;
        }
        return new double[] {x[0], withB ? x[1] : 0, withC ? x[k - 1] : 0};
    }

    private static double[] gauss(double[][] m) {
        int k = m.length;
        for (int col = 0; col < k; col++) {
            int pivot = col;
            for (int r = col + 1; r < k; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            if (Math.abs(m[pivot][col]) < 1e-300) {
                return null;
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = 0; r < k; r++) {
                if (r != col) {
                    double f = m[r][col] / m[col][col];
                    for (int c = col; c <= k; c++) {
                        m[r][c] -= f * m[col][c];
                    }
                }
            }
        }
        double[] x = new double[k];
        for (int i = 0; i < k; i++) {
            x[i] = m[i][k] / m[i][i];
        }
        return x;
    }
}
