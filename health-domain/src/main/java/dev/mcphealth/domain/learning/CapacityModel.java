package dev.mcphealth.domain.learning;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The capacity of one instance of a pool (the most calls a second it serves) estimated from minutes of observed load.
 *
 * <p>Each minute of the pool gives its calls a second, their mean latency and the instances that served them; per
 * instance, Little's law gives the calls in flight, {@code N = X * R}. Minutes are grouped into load levels by
 * {@code N} (a level spans {@link #LEVEL_WIDTH} times its lowest {@code N}). Once {@link #LEVELS_NEEDED} levels have
 * {@link #MINUTES_PER_LEVEL} minutes each and the busiest is {@link #SLOWDOWN} slower than the quietest (else no limit
 * has shown: only the most it was seen to serve is known), one of two models is fitted to the levels:
 * <ul>
 *   <li>a <b>queue</b> of c workers of service time S (Erlang's C for the latency at each level's throughput; the
 *   fewest workers among fits as good), capacity c / S: what a server with a pool of request handlers is;</li>
 *   <li>the <b>Universal Scalability Law</b> {@code X(N) = lambda N / (1 + sigma (N - 1) + kappa N (N - 1))}, its peak
 *   the capacity, when the busiest level serves fewer calls than a quieter one (a decline past a peak: contention or
 *   coherency, which no queue shows).</li>
 * </ul>
 * The uncertainty is the spread of the same fit on five interleaved subsets of the minutes. The latency must be the
 * mean (Little's law); a median would make a queue look faster than it is.
 */
public final class CapacityModel {
    /** Load levels needed for a fit. */
    public static final int LEVELS_NEEDED = 3;
    /** Minutes a load level needs to count. */
    public static final int MINUTES_PER_LEVEL = 5;
    private static final int SUBSETS = 5;
    /** How far apart in calls in flight two load levels are at least: a quarter. */
    static final double LEVEL_WIDTH = 1.25;
    /** How much lower than the best level's the throughput of the busiest must be to show a decline past a peak. */
    static final double DECLINE = 0.05;
    /** How much slower the busiest level must be than the quietest for a limit to show at all. */
    static final double SLOWDOWN = 0.05;

    private CapacityModel() {
    }

    /** One minute of a pool: its calls a second, their latency in seconds, and the instances that served them. */
    public record LoadPoint(double callsPerSecond, double latencySeconds, int instances) {
        public LoadPoint {
            if (!(callsPerSecond >= 0) || !Double.isFinite(callsPerSecond) || !(latencySeconds >= 0)
                    || !Double.isFinite(latencySeconds) || instances < 1) {
                throw new IllegalArgumentException("a load point needs a finite rate and latency and an instance,"
                        + " got " + callsPerSecond + ", " + latencySeconds + ", " + instances);
            }
        }
    }

    /** What a fit says of one instance: the most calls a second it serves, if the fit shows a limit. */
    public sealed interface Fit permits Queue, Usl {
        OptionalDouble peak();

        /**
         * The calls in flight at which an instance serves the most: past it, more calls only wait inside it (a queue's
         * workers) or are served slower (past the USL's peak); empty when the fit shows no such point.
         */
        OptionalDouble concurrency();

        /** {@code queue} or {@code usl}. */
        String method();
    }

    /** A queue of {@code workers} that each take {@code serviceSeconds} per call: it serves workers / service. */
    public record Queue(int workers, double serviceSeconds) implements Fit {
        @Override
        public OptionalDouble peak() {
            return OptionalDouble.of(workers / serviceSeconds);
        }

        @Override
        public OptionalDouble concurrency() {
            return OptionalDouble.of(workers);
        }

        @Override
        public String method() {
            return "queue";
        }
    }

    /** The Universal Scalability Law, per instance: {@link #throughput} at {@code n} calls in flight. */
    public record Usl(double lambda, double sigma, double kappa) implements Fit {
        public double throughput(double n) {
            return lambda * n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
        }

        /**
         * The most it serves with at least one call in flight (below one, a fit's denominator can reach zero); empty
         * when it never stops growing (no limit seen) or the fit gives no positive finite peak.
         */
        @Override
        public OptionalDouble peak() {
            double p;
            if (kappa > 0) {
                p = throughput(Math.max(1, Math.sqrt(Math.max(1 - sigma, 0) / kappa)));
            } else {
                p = sigma > 0 ? lambda / sigma : Double.NaN;
            }
            return p > 0 && Double.isFinite(p) ? OptionalDouble.of(p) : OptionalDouble.empty();
        }

        /** The peak's calls in flight, at least one; empty without a peak (no coherency cost, kappa 0). */
        @Override
        public OptionalDouble concurrency() {
            if (!(kappa > 0) || peak().isEmpty()) {
                return OptionalDouble.empty();
            }
            double n = Math.max(1, Math.sqrt(Math.max(1 - sigma, 0) / kappa));
            return Double.isFinite(n) ? OptionalDouble.of(n) : OptionalDouble.empty();
        }

        @Override
        public String method() {
            return "usl";
        }
    }

    /**
     * What the minutes say: how many were used and at how many load levels, the most one instance was seen to serve
     * (calls a second), the fit and the capacity with its low and high ends, or why there is none.
     */
    public record Estimate(int minutes, int levels, double highestSeen, Optional<Fit> fit, OptionalDouble capacity,
                           OptionalDouble low, OptionalDouble high, Optional<String> unknown) {
        public Estimate {
            Objects.requireNonNull(fit, "fit");
            Objects.requireNonNull(capacity, "capacity");
            Objects.requireNonNull(low, "low");
            Objects.requireNonNull(high, "high");
            Objects.requireNonNull(unknown, "unknown");
            if (capacity.isEmpty() == unknown.isEmpty()) {
                throw new IllegalArgumentException("an estimate has a capacity or says why not");
            }
        }
    }

    /** Estimates an instance's capacity from {@code points} (idle minutes are skipped). */
    public static Estimate estimate(List<LoadPoint> points) {
        List<double[]> busy = new ArrayList<>(); // {N, X, R} per instance
        double highest = 0;
        for (LoadPoint p : points) {
            double x = p.callsPerSecond() / p.instances();
            double n = x * p.latencySeconds();
            if (x > 0 && n > 0) {
                busy.add(new double[] {n, x, p.latencySeconds()});
                highest = Math.max(highest, x);
            }
        }
        List<double[]> levels = levels(busy);
        if (levels.size() < LEVELS_NEEDED) {
            return new Estimate(busy.size(), levels.size(), highest, Optional.empty(), OptionalDouble.empty(),
                    OptionalDouble.empty(), OptionalDouble.empty(), Optional.of("seen at " + levels.size()
                            + " load level(s) of " + MINUTES_PER_LEVEL + " minutes; " + LEVELS_NEEDED + " needed"));
        }
        double first = levels.get(0)[2];
        double last = levels.get(levels.size() - 1)[2];
        if (last < first * (1 + SLOWDOWN)) {
            return new Estimate(busy.size(), levels.size(), highest, Optional.empty(), OptionalDouble.empty(),
                    OptionalDouble.empty(), OptionalDouble.empty(), Optional.of("no slowdown seen up to "
                            + round(levels.get(levels.size() - 1)[1]) + " calls a second per instance: no limit"
                            + " shown yet"));
        }
        Fit fit = fit(levels);
        OptionalDouble peak = fit.peak();
        if (peak.isEmpty()) {
            return new Estimate(busy.size(), levels.size(), highest, Optional.of(fit), OptionalDouble.empty(),
                    OptionalDouble.empty(), OptionalDouble.empty(), Optional.of("the levels seen show no limit"));
        }
        double low = peak.getAsDouble();
        double high = low;
        for (int s = 0; s < SUBSETS; s++) {
            List<double[]> part = new ArrayList<>();
            for (int i = s; i < busy.size(); i += SUBSETS) {
                part.add(busy.get(i));
            }
            List<double[]> partLevels = levels(part, 1);
            if (partLevels.size() >= LEVELS_NEEDED) {
                OptionalDouble c = fit(partLevels).peak(); // a subset that shows no limit widens nothing
                if (c.isPresent()) {
                    low = Math.min(low, c.getAsDouble());
                    high = Math.max(high, c.getAsDouble());
                }
            }
        }
        return new Estimate(busy.size(), levels.size(), highest, Optional.of(fit), peak, OptionalDouble.of(low),
                OptionalDouble.of(high), Optional.empty());
    }

    /**
     * A queue of workers, unless the busiest level serves {@link #DECLINE} fewer calls than the best one: a decline
     * past a peak, which no queue shows and the Universal Scalability Law does (contention, coherency).
     */
    private static Fit fit(List<double[]> levels) {
        double top = 0;
        for (double[] l : levels) {
            top = Math.max(top, l[1]);
        }
        boolean declined = levels.get(levels.size() - 1)[1] < (1 - DECLINE) * top;
        return declined ? CapacityFits.usl(levels, true) : CapacityFits.queue(levels);
    }

    private static List<double[]> levels(List<double[]> busy) {
        return levels(busy, MINUTES_PER_LEVEL);
    }

    /**
     * The mean {N, X} of each load level with at least {@code least} points, by rising N: the points sorted by N,
     * each level those within {@link #LEVEL_WIDTH} times the N of its first.
     */
    private static List<double[]> levels(List<double[]> busy, int least) {
        List<double[]> sorted = new ArrayList<>(busy);
        sorted.sort((a, b) -> Double.compare(a[0], b[0]));
        List<double[]> out = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            double start = sorted.get(i)[0];
            double n = 0;
            double x = 0;
            int count = 0;
            for (; i < sorted.size() && sorted.get(i)[0] < start * LEVEL_WIDTH; i++) {
                n += sorted.get(i)[0];
                x += sorted.get(i)[1];
                count++;
            }
            if (count >= least) {
                out.add(new double[] {n / count, x / count, n / x});
            }
        }
        return out;
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
