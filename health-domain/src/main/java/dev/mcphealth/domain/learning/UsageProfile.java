package dev.mcphealth.domain.learning;

import dev.mcphealth.domain.model.UsageFigure;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one server type's tool (or the type as a whole) usually does in each hour of the week, learned online from its
 * minutes of calls: the call rate, the answered calls' p50 and p95 latency and the error rate, each as a typical level
 * and a spread, with a confidence that grows with the minutes seen.
 *
 * <p>Each minute updates three estimates of each figure: its hour of the week (168 of them: the weekly cycle), its hour
 * of the day (24: the daily cycle, learned seven times as fast) and all hours (one). An hour of the week seen too few
 * times leans on its hour of the day, and that on all hours, so a profile is usable after days and better after
 * weeks. Each estimate is robust: a residual beyond {@value #CLIP} spreads is clipped before it moves the level (Huber's
 * estimator), so a burst or an outage does not become the norm, and it remembers about {@value #MEMORY_WEEKS} weeks
 * (its weight is capped, so older minutes fade). Figures are learned on a scale where their noise is even: the square
 * root of the rate plus 3/8 (Anscombe's: a Poisson count's spread is then 1/2 whatever its level, and its mean
 * unbiased), the logarithm of the latencies (their spread is then relative); the error share as failures per call
 * (see {@link FailureShares}), not per minute.
 *
 * <p>Bounded memory: {@value #SLOTS} slots x 4 figures x 3 numbers (and the errors' dispersion), about 20 KB per profile, whatever the traffic. Not
 * thread-safe: one learner updates it.
 */
public final class UsageProfile {
    /** How many weeks of minutes an estimate remembers: the weight of a slot is capped at that many minutes. */
    public static final int MEMORY_WEEKS = 4;
    /** Residuals beyond this many spreads are clipped (Huber): outliers move a level by at most that much. */
    public static final double CLIP = 3.0;
    /** How many spreads either side of the level the usual band reaches. */
    public static final double BAND = 3.0;
    /** Minutes of an hour of the week after which it stands on its own (half a week's worth of that hour). */
    public static final int READY_MINUTES = 30;
    /** The 168 hours of the week, the 24 hours of the day, and all hours. */
    public static final int SLOTS = HourOfWeek.COUNT + 24 + 1;
    private static final int ALL = SLOTS - 1;
    /** Minutes before clipping starts: the spread must be known first. */
    private static final int CLIP_AFTER = 5;
    /**
     * How many calls' worth the error share of an hour's wider slot (its hour of the day, else all hours) weighs
     * against the hour's own calls: a quiet hour keeps 1,200 calls in 4 weeks at 5 a minute, whose 0.5 % failing is 6
     * failures, give or take 2.5 (AnomalySimulationTest: errors caught at 3-10 calls a minute from 8 to 11 of 11).
     */
    private static final double ERROR_PRIOR_CALLS = 4000;
    /**
     * How far above its wider slot's share an hour's own share must be (a Poisson score) to stand alone: an hour that
     * usually fails more (a weekly job) keeps its own share however few its calls.
     */
    private static final double ERROR_OWN_Z = 2;
    /** A normal variable's standard deviation per mean absolute deviation: sqrt(pi / 2). */
    private static final double SIGMA_PER_SPREAD = Math.sqrt(Math.PI / 2);

    private static final int FIGURES = UsageFigure.values().length;
    private final double[][] weight = new double[FIGURES][SLOTS];
    private final double[][] level = new double[FIGURES][SLOTS];
    private final double[][] spread = new double[FIGURES][SLOTS];
    /** The error figure's dispersion per slot (0: not learned; see {@link FailureShares}). */
    private final double[] dispersion = new double[SLOTS];
    private final FailureShares errors = new FailureShares(weight[UsageFigure.ERRORS.ordinal()],
            level[UsageFigure.ERRORS.ordinal()], spread[UsageFigure.ERRORS.ordinal()], dispersion);

    /** One minute of a tool's calls: how many per minute, how many failed, the answered ones' p50 and p95 (ms). */
    public record Minute(double callsPerMinute, double failures, OptionalDouble p50Ms, OptionalDouble p95Ms) {
        public Minute {
            if (!(callsPerMinute >= 0) || !(failures >= 0) || failures > callsPerMinute + 1e-9) {
                throw new IllegalArgumentException("calls must be >= 0 and failures 0..calls, got " + callsPerMinute
                        + " and " + failures);
            }
            Objects.requireNonNull(p50Ms, "p50Ms");
            Objects.requireNonNull(p95Ms, "p95Ms");
        }

        /** A minute without calls. */
        public static Minute idle() {
            return new Minute(0, 0, OptionalDouble.empty(), OptionalDouble.empty());
        }
    }

    /**
     * What a figure usually is in an hour of the week: {@code expected} with the band {@code low}..{@code high} it
     * usually stays in, from {@code minutes} minutes of that hour ({@code confidence} 0..1, a half after a week's
     * worth); below {@link #READY_MINUTES} it leans on the hour of the day and all hours ({@code leaning}).
     */
    public record Expectation(UsageFigure figure, HourOfWeek hour, double expected, double low, double high,
                              double minutes, double confidence, boolean leaning) {
        public Expectation {
            Objects.requireNonNull(figure, "figure");
            Objects.requireNonNull(hour, "hour");
        }

        /** Whether {@code value} is outside the usual band. */
        public boolean outside(double value) {
            return value < low || value > high;
        }
    }

    /**
     * One learned estimate, as stored: its slot (0..{@value #SLOTS}-1), figure, weight, level and spread, and for the
     * error figure the dispersion of its failures (0: not learned, as in a profile stored before it was kept).
     */
    public record Cell(int slot, UsageFigure figure, double weight, double level, double spread, double dispersion) {
        public Cell {
            if (slot < 0 || slot >= SLOTS) {
                throw new IllegalArgumentException("a slot is 0.." + (SLOTS - 1) + ", got " + slot);
            }
            Objects.requireNonNull(figure, "figure");
            if (!(weight > 0) || !Double.isFinite(level) || !(spread >= 0) || !Double.isFinite(spread)
                    || !(dispersion >= 0) || !Double.isFinite(dispersion)) {
                throw new IllegalArgumentException("a stored estimate needs a positive weight and finite level,"
                        + " spread and dispersion, got " + weight + ", " + level + ", " + spread + ", " + dispersion);
            }
        }

        /** An estimate with no dispersion learned. */
        public Cell(int slot, UsageFigure figure, double weight, double level, double spread) {
            this(slot, figure, weight, level, spread, 0);
        }
    }

    public UsageProfile() {
    }

    /** A profile as stored; cells of one slot and figure given twice: the last wins. */
    public static UsageProfile restore(List<Cell> cells) {
        UsageProfile p = new UsageProfile();
        for (Cell c : cells) {
            int f = c.figure().ordinal();
            p.weight[f][c.slot()] = Math.min(c.weight(), cap(c.slot()));
            p.level[f][c.slot()] = c.level();
            p.spread[f][c.slot()] = c.spread();
            if (c.figure() == UsageFigure.ERRORS) {
                p.dispersion[c.slot()] = c.dispersion();
            }
        }
        return p;
    }

    /** The minutes it remembers (every minute learned, up to {@value #MEMORY_WEEKS} weeks' worth). */
    public double minutes() {
        return weight[UsageFigure.RATE.ordinal()][ALL];
    }

    /** Everything learned, to store: the estimates that have seen anything. */
    public List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        for (UsageFigure f : UsageFigure.values()) {
            for (int s = 0; s < SLOTS; s++) {
                if (weight[f.ordinal()][s] > 0) {
                    out.add(new Cell(s, f, weight[f.ordinal()][s], level[f.ordinal()][s], spread[f.ordinal()][s],
                            f == UsageFigure.ERRORS ? dispersion[s] : 0));
                }
            }
        }
        return out;
    }

    /** Learns the minute that began at {@code start}, in the week of {@code zone}. */
    public void observe(Instant start, ZoneId zone, Minute m) {
        observe(start, zone, m, java.util.Set.of());
    }

    /** The same, but for the figures in {@code skip} (in an anomaly: {@link AnomalyWatch#quarantined}). */
    public void observe(Instant start, ZoneId zone, Minute m, java.util.Set<UsageFigure> skip) {
        HourOfWeek h = HourOfWeek.of(start, zone);
        if (!skip.contains(UsageFigure.RATE)) {
            learn(UsageFigure.RATE, h, LearningScale.rate(m.callsPerMinute()));
        }
        if (m.callsPerMinute() > 0 && !skip.contains(UsageFigure.ERRORS)) {
            for (int slot : slots(h)) {
                errors.learn(slot, m.callsPerMinute(), m.failures(), cap(slot),
                        weight[UsageFigure.ERRORS.ordinal()][slot] >= CLIP_AFTER);
            }
        }
        if (m.p50Ms().isPresent() && !skip.contains(UsageFigure.P50)) {
            learn(UsageFigure.P50, h, Math.log(Math.max(m.p50Ms().getAsDouble(), 1e-3)));
        }
        if (m.p95Ms().isPresent() && !skip.contains(UsageFigure.P95)) {
            learn(UsageFigure.P95, h, Math.log(Math.max(m.p95Ms().getAsDouble(), 1e-3)));
        }
    }

    /** What {@code figure} usually is in {@code hour}; empty before any minute of it was seen. */
    public Optional<Expectation> expected(HourOfWeek hour, UsageFigure figure) {
        return norm(hour, figure).map(n -> new Expectation(figure, hour, LearningScale.back(figure, n.level()),
                LearningScale.back(figure, n.level() - BAND * n.sigma()),
                LearningScale.back(figure, n.level() + BAND * n.sigma()), n.minutes(),
                n.minutes() / (n.minutes() + 60.0), n.minutes() < READY_MINUTES));
    }

    /**
     * What {@code figure} usually is in {@code hour} on its learning scale (see the class comment): its level, its
     * standard deviation (at least the figure's floor) and the minutes of that hour seen; empty before any minute. An
     * hour seen fewer than {@link #READY_MINUTES} leans on its hour of the day (once that has as many), else on all
     * hours, weighted {@link #READY_MINUTES} against its own minutes. An hour's error share is also shrunk towards that
     * wider slot's by {@link #ERROR_PRIOR_CALLS} calls, unless its own is clearly higher.
     */
    public Optional<Norm> norm(HourOfWeek hour, UsageFigure figure) {
        int f = figure.ordinal();
        int h = hour.index();
        int day = HourOfWeek.COUNT + hour.hourOfDay();
        double wh = weight[f][h];
        if (wh == 0 && weight[f][day] == 0 && weight[f][ALL] == 0) {
            return Optional.empty();
        }
        int prior = weight[f][day] >= READY_MINUTES ? day : ALL;
        double wp = weight[f][prior] > 0 && wh < READY_MINUTES ? READY_MINUTES : 0;
        double at = (wh * level[f][h] + wp * level[f][prior]) / (wh + wp);
        double by = (wh * spread[f][h] + wp * spread[f][prior]) / (wh + wp);
        if (figure == UsageFigure.ERRORS && wp == 0 && weight[f][prior] > 0) {
            // a quiet hour's share from its few calls is noisy (6 failures in 1,200 calls, give or take 2.5): shrunk
            // towards its wider slot's by ERROR_PRIOR_CALLS, unless it is clearly higher (a weekly job failing)
            double calls = wh * spread[f][h];
            double wider = level[f][prior];
            if (at <= wider || PoissonScore.z(calls * at, calls * wider) < ERROR_OWN_Z) {
                at = (calls * at + ERROR_PRIOR_CALLS * wider) / (calls + ERROR_PRIOR_CALLS);
            }
        }
        double phi = figure != UsageFigure.ERRORS ? 1
                : (wh * errors.dispersion(h) + wp * errors.dispersion(prior)) / (wh + wp);
        double sigma = figure == UsageFigure.ERRORS ? Math.sqrt(phi * at * (1 - at) / Math.max(by, 1)) // a minute's
                : SIGMA_PER_SPREAD * by;
        return Optional.of(new Norm(at, Math.max(sigma, LearningScale.floor(figure)), wh, phi));
    }

    /**
     * A figure's usual level and standard deviation on its learning scale, from {@code minutes} of its hour; for the
     * error figure, how much more its failures vary than one by one ({@code dispersion}, at least 1).
     */
    public record Norm(double level, double sigma, double minutes, double dispersion) {
        public Norm(double level, double sigma, double minutes) {
            this(level, sigma, minutes, 1);
        }
    }

    private void learn(UsageFigure figure, HourOfWeek h, double y) {
        for (int slot : slots(h)) {
            update(figure, slot, y);
        }
    }

    /** The slots a minute of {@code h} updates: its hour of the week, its hour of the day, all hours. */
    private static int[] slots(HourOfWeek h) {
        return new int[] {h.index(), HourOfWeek.COUNT + h.hourOfDay(), ALL};
    }

    private void update(UsageFigure figure, int slot, double y) {
        int f = figure.ordinal();
        double w = weight[f][slot];
        if (w == 0) {
            weight[f][slot] = 1;
            level[f][slot] = y;
            spread[f][slot] = 0;
            return;
        }
        double r = y - level[f][slot];
        if (w >= CLIP_AFTER) {
            double c = CLIP * Math.max(SIGMA_PER_SPREAD * spread[f][slot], LearningScale.floor(figure));
            r = Math.max(-c, Math.min(c, r));
        }
        double next = Math.min(w + 1, cap(slot));
        level[f][slot] += r / next;
        spread[f][slot] += (Math.abs(r) - spread[f][slot]) / next;
        weight[f][slot] = next;
    }

    /** The most weight a slot keeps: {@value #MEMORY_WEEKS} weeks of the minutes it sees. */
    private static double cap(int slot) {
        int perWeek = slot < HourOfWeek.COUNT ? 60 : slot < ALL ? 7 * 60 : 7 * 24 * 60;
        return (double) MEMORY_WEEKS * perWeek;
    }
}
