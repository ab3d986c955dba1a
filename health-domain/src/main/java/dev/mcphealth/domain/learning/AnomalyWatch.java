package dev.mcphealth.domain.learning;

import dev.mcphealth.domain.learning.UsageProfile.Minute;
import dev.mcphealth.domain.learning.UsageProfile.Norm;
import dev.mcphealth.domain.model.UsageFigure;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Watches one profile's minutes against what its profile expects of their hour of the week, and says when a figure
 * leaves its usual band (an anomaly) and when it is back: one episode per figure at a time.
 *
 * <p>Each minute is scored over the last 1, 2 and 5 minutes (a sudden change is seen at once, a moderate lasting one
 * within five): a z-score, the window's calls summed against the calls its hours expect and its failures against the
 * failures the usual error share of its calls would make (each a Poisson tail turned into a z, exact for the small
 * counts of a quiet hour; calls more variable than a Poisson's scaled down by how much), the mean of its latencies'
 * logarithms against their level (its deviation shrinking with the minutes averaged). An anomaly is a score beyond {@link #Z1}, {@link #Z2}
 * or {@link #Z5} for those windows: the call rate either way (a surge, or calls that stopped), latencies and failures
 * upwards; and only in an hour of the week the profile has seen {@link UsageProfile#READY_MINUTES} minutes of (a
 * young profile says nothing rather than guess). It is resolved when the figure's 1- and 5-minute scores are both
 * back within {@link #BACK}. Evaluate each minute before the profile learns it.
 */
public final class AnomalyWatch {
    /**
     * Scores that raise an anomaly over the last 1, 2 and 5 minutes (AnomalySimulationTest: no false anomaly in nine
     * simulated server-weeks; 4.0 for 5 minutes raised 1.33 a week on a quiet server).
     */
    public static final double Z1 = 6.0;
    public static final double Z2 = 5.0;
    public static final double Z5 = 4.5;
    /** The score within which a figure is back in its band. */
    public static final double BACK = 2.0;
    private static final int WINDOW = 5;
    /** The least share of calls failing expected: a tool that never failed still may, now and then. */
    private static final double LEAST_ERROR_SHARE = 0.002;
    /** Fewer failures than this in a window are no burst. */
    private static final int LEAST_FAILURES = 3;

    private final Minute[] minutes = new Minute[WINDOW];
    private final Norm[][] norms = new Norm[WINDOW][];
    private int seen;
    private final Map<UsageFigure, Raised> open = new EnumMap<>(UsageFigure.class);

    /** What changed with a minute. */
    public sealed interface Change permits Raised, Resolved {
        UsageFigure figure();
    }

    /**
     * {@code figure} left its band at {@code at}: {@code observed} (in the figure's own unit, over {@code minutes}
     * minutes) against the band its hour usually keeps ({@code expected}), with its score {@code z}.
     */
    public record Raised(UsageFigure figure, Instant at, boolean high, double observed, int minutes, double z,
                         UsageProfile.Expectation expected) implements Change {
        public Raised {
            Objects.requireNonNull(figure, "figure");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(expected, "expected");
        }
    }

    /** {@code figure} is back in its band at {@code at}: the anomaly raised at {@code raised.at()} is over. */
    public record Resolved(UsageFigure figure, Instant at, Raised raised) implements Change {
    }

    /** The anomalies open now. */
    public List<Raised> open() {
        return List.copyOf(open.values());
    }

    /** How long an anomaly's minutes are kept out of the profile: past it, a lasting change is learned as the norm. */
    public static final java.time.Duration QUARANTINE = java.time.Duration.ofHours(1);

    /**
     * The figures the profile should not learn from the minute that began at {@code start}: those in an anomaly that
     * began less than {@link #QUARANTINE} before (a burst is not the norm; a change that lasts becomes it).
     */
    public java.util.Set<UsageFigure> quarantined(Instant start) {
        java.util.Set<UsageFigure> out = java.util.EnumSet.noneOf(UsageFigure.class);
        open.forEach((f, r) -> {
            if (start.isBefore(r.at().plus(QUARANTINE))) {
                out.add(f);
            }
        });
        return out;
    }

    /**
     * Scores the minute that began at {@code start} against {@code profile} (before it learns it) and says what
     * changed: anomalies raised, anomalies over.
     */
    public List<Change> minute(Instant start, ZoneId zone, Minute m, UsageProfile profile) {
        HourOfWeek hour = HourOfWeek.of(start, zone);
        // an hour's level is its mean: within it, a rising or falling day is drawn between the levels of the hour
        // and of its neighbour (the morning's last minutes are busier than its hour's mean)
        double offset = (start.atZone(zone).getMinute() + 0.5) / 60 - 0.5;
        HourOfWeek neighbour = new HourOfWeek(Math.floorMod(hour.index() + (offset < 0 ? -1 : 1), HourOfWeek.COUNT));
        Norm[] now = new Norm[UsageFigure.values().length];
        for (UsageFigure f : UsageFigure.values()) {
            Norm own = profile.norm(hour, f).orElse(null);
            Norm next = profile.norm(neighbour, f).orElse(null);
            double k = Math.abs(offset);
            // only towards a neighbour seen enough on its own (one leaning on the hour of the day is no guide)
            now[f.ordinal()] = own == null || next == null || next.minutes() < UsageProfile.READY_MINUTES ? own
                    : new Norm(own.level() * (1 - k) + next.level() * k, own.sigma() * (1 - k) + next.sigma() * k,
                    own.minutes(), own.dispersion() * (1 - k) + next.dispersion() * k);
        }
        System.arraycopy(minutes, 0, minutes, 1, WINDOW - 1);
        System.arraycopy(norms, 0, norms, 1, WINDOW - 1);
        minutes[0] = m;
        norms[0] = now;
        seen = Math.min(seen + 1, WINDOW);
        List<Change> out = new ArrayList<>();
        for (UsageFigure f : UsageFigure.values()) {
            Norm n = now[f.ordinal()];
            Raised was = open.get(f);
            double z1 = score(f, 1);
            double z5 = score(f, Math.min(seen, WINDOW));
            if (was != null) {
                if (Math.abs(z1) < BACK && Math.abs(z5) < BACK) {
                    open.remove(f);
                    out.add(new Resolved(f, start, was));
                }
                continue;
            }
            if (n == null || n.minutes() < UsageProfile.READY_MINUTES) {
                continue; // too little seen of this hour to call anything unusual
            }
            for (int w : new int[] {1, 2, 5}) {
                if (w > seen) {
                    break;
                }
                double z = score(f, w);
                boolean beyond = (f == UsageFigure.RATE ? Math.abs(z) >= threshold(w) : z >= threshold(w))
                        && large(f, w, z > 0);
                if (beyond) {
                    Raised r = new Raised(f, start, z > 0, observed(f, w), w, z,
                            profile.expected(hour, f).orElseThrow());
                    open.put(f, r);
                    out.add(r);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Whether the change over the last {@code w} minutes is large enough to matter as well as unlikely: the call rate
     * at least {@value #RATE_FACTOR} times (or at most 1/{@value #RATE_FACTOR} of) what its hours expect, latencies
     * {@value #LATENCY_FACTOR} times, {@value #ERROR_POINTS} more of the calls failing. On a busy server a few percent
     * is significant and not worth anyone's attention.
     */
    private boolean large(UsageFigure f, int w, boolean high) {
        double expected = 0;
        double calls = 0;
        for (int i = 0; i < w; i++) {
            Norm n = norms[i][f.ordinal()];
            if (f == UsageFigure.RATE) {
                expected += n == null ? 0 : LearningScale.rateOf(n.level()) / w;
            } else if (f == UsageFigure.ERRORS) {
                expected += minutes[i].callsPerMinute() * (n == null ? 0 : usualShare(w));
                calls += minutes[i].callsPerMinute();
            } else {
                expected += n == null ? 0 : n.level() / w;
            }
        }
        double observed = observed(f, w);
        if (f == UsageFigure.RATE) {
            return high ? observed >= RATE_FACTOR * expected : observed * RATE_FACTOR <= expected;
        }
        if (f == UsageFigure.ERRORS) {
            return observed >= (calls == 0 ? 0 : expected / calls) + ERROR_POINTS;
        }
        return observed >= LATENCY_FACTOR * Math.exp(expected);
    }

    /** The least changes that matter: see {@link #large}. */
    static final double RATE_FACTOR = 1.5;
    static final double LATENCY_FACTOR = 1.25;
    static final double ERROR_POINTS = 0.05;

    /**
     * The share of calls usually failing over the last {@code w} minutes: the lowest of their minutes' levels (at
     * least {@link #LEAST_ERROR_SHARE}). A burst's own first minutes are learned before it is raised (nothing is
     * quarantined yet), and each raises the level the next is held against: the lowest is the level before the burst.
     */
    private double usualShare(int w) {
        double share = Double.POSITIVE_INFINITY;
        for (int i = 0; i < w; i++) {
            Norm n = norms[i][UsageFigure.ERRORS.ordinal()];
            share = Math.min(share, n == null ? LEAST_ERROR_SHARE : n.level());
        }
        return Math.max(LEAST_ERROR_SHARE, share);
    }

    private static double threshold(int window) {
        return window == 1 ? Z1 : window == 2 ? Z2 : Z5;
    }

    /**
     * The figure's score over the last {@code w} minutes: 0 when it cannot be scored, or when one of those minutes'
     * hours was too young to stand on its own (a norm leaning on the hour of the day is no measure of a weekend).
     */
    private double score(UsageFigure f, int w) {
        for (int i = 0; i < w; i++) {
            Norm n = norms[i][f.ordinal()];
            if (n != null && n.minutes() < UsageProfile.READY_MINUTES) {
                return 0;
            }
        }
        return scored(f, w);
    }

    private double scored(UsageFigure f, int w) {
        if (f == UsageFigure.RATE) {
            double calls = 0;
            double expected = 0;
            double sigma = 0;
            for (int i = 0; i < w; i++) {
                Norm n = norms[i][f.ordinal()];
                if (n == null) {
                    return 0;
                }
                calls += minutes[i].callsPerMinute();
                expected += LearningScale.rateOf(n.level());
                sigma += n.sigma() / w;
            }
            // counts more variable than a Poisson's (the learned spread above a Poisson's 1/2) are scaled down alike
            double poisson = LearningScale.floor(UsageFigure.RATE);
            double dispersion = Math.max(1, (sigma / poisson) * (sigma / poisson));
            return PoissonScore.z(calls / dispersion, expected / dispersion);
        }
        if (f == UsageFigure.ERRORS) {
            double failures = 0;
            double expected = 0;
            double share = usualShare(w);
            double phi = 0; // failures that usually come in bursts are scaled down alike (as the rate's spread)
            for (int i = 0; i < w; i++) {
                failures += minutes[i].failures();
                expected += minutes[i].callsPerMinute() * share;
                phi += (norms[i][f.ordinal()] == null ? 1 : norms[i][f.ordinal()].dispersion()) / w;
            }
            return failures < LEAST_FAILURES ? 0 : Math.min(PoissonScore.z(failures / phi, expected / phi),
                    FailureShares.burstZ(failures, expected, phi));
        }
        double sum = 0;
        double level = 0;
        double sigma = 0;
        int n = 0;
        for (int i = 0; i < w; i++) {
            Norm norm = norms[i][f.ordinal()];
            Norm rate = norms[i][UsageFigure.RATE.ordinal()];
            OptionalDouble ms = latency(minutes[i], f);
            if (norm != null && ms.isPresent()) {
                sum += Math.log(Math.max(ms.getAsDouble(), 1e-3));
                level += norm.level();
                // a minute of fewer calls than its hour usually has has a noisier median: its deviation grows so
                double usual = rate == null ? 1 : Math.max(1, LearningScale.rateOf(rate.level()));
                sigma += norm.sigma() * Math.sqrt(Math.max(1, usual / Math.max(1, minutes[i].callsPerMinute())));
                n++;
            }
        }
        return n == 0 ? 0 : (sum / n - level / n) / (sigma / n / Math.sqrt(n));
    }

    /** The figure over the last {@code w} minutes, in its own unit. */
    private double observed(UsageFigure f, int w) {
        double calls = 0;
        double failures = 0;
        double logs = 0;
        int n = 0;
        for (int i = 0; i < w; i++) {
            calls += minutes[i].callsPerMinute();
            failures += minutes[i].failures();
            OptionalDouble ms = latency(minutes[i], f);
            if (ms.isPresent()) {
                logs += Math.log(Math.max(ms.getAsDouble(), 1e-3));
                n++;
            }
        }
        return f == UsageFigure.RATE ? calls / w : f == UsageFigure.ERRORS ? (calls == 0 ? 0 : failures / calls)
                : n == 0 ? 0 : Math.exp(logs / n);
    }

    private static OptionalDouble latency(Minute m, UsageFigure f) {
        return f == UsageFigure.P50 ? m.p50Ms() : f == UsageFigure.P95 ? m.p95Ms() : OptionalDouble.empty();
    }
}
