package dev.mcphealth.domain.learning;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The concurrency limit an instance of a pool should run under, from its capacity fit: an instance serves the most
 * with {@code concurrency} calls in flight (a queue's workers, the USL's peak); past that, more calls in flight only
 * wait inside it (longer latency, no more served), so the adaptive limiter's ceiling should sit a little above it and
 * its floor below it, not at the defaults' 20..200 (health.concurrencyLimit, one setting for every pool).
 *
 * @param concurrency the calls in flight at which an instance serves the most
 * @param method      the fit that says so: {@code queue} or {@code usl}
 * @param min         the floor to configure: half of it, at least 1
 * @param initial     where to start: it, rounded
 * @param max         the ceiling to configure: {@link #HEADROOM} times it, rounded up
 * @param inForce     the limiter in force: its floor and ceiling, off, or not known here
 * @param change      whether the configuration should change: the limiter is off or not known, its ceiling is more
 *                    than twice the proposal's or below the best concurrency, or its floor is above the proposed
 *                    ceiling (the limiter can then never bring the calls in flight down to what serves best)
 */
public record LimitAdvice(double concurrency, String method, int min, int initial, int max, InForce inForce,
                          boolean change) {
    /** The ceiling's room above the best concurrency: the fit's uncertainty and load that shifts. */
    public static final double HEADROOM = 1.25;
    /**
     * The most calls in flight advised: a fit whose best lies beyond it (a USL with almost no coherency cost) says
     * nothing a limiter should be set from.
     */
    public static final double MOST = 1_000;

    /** The limiter in force, as far as the report knows it. */
    public sealed interface InForce permits Range, Off, Unknown {
    }

    /** A limiter's configured floor and ceiling. */
    public record Range(int min, int max) implements InForce {
        public Range {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException("a limit range needs 1 <= min <= max, got " + min + ".." + max);
            }
        }
    }

    /** No limiter (health.concurrencyLimit.enabled false). */
    public record Off() implements InForce {
    }

    /** Not known here (a report from the database alone). */
    public record Unknown() implements InForce {
    }

    public LimitAdvice {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(inForce, "inForce");
        if (!(concurrency >= 1) || min < 1 || initial < min || max < initial) {
            throw new IllegalArgumentException("inconsistent limit advice: " + concurrency + ", " + min + ".."
                    + initial + ".." + max);
        }
    }

    /**
     * The advice for an instance of {@code capacity}'s pool; empty when its fit shows no best concurrency, or one
     * beyond {@link #MOST}.
     */
    public static Optional<LimitAdvice> of(CapacityModel.Estimate capacity, InForce inForce) {
        if (capacity.fit().isEmpty()) {
            return Optional.empty();
        }
        CapacityModel.Fit fit = capacity.fit().get();
        OptionalDouble n = fit.concurrency();
        if (n.isEmpty() || !(n.getAsDouble() <= MOST)) {
            return Optional.empty();
        }
        double best = Math.max(1, n.getAsDouble());
        int max = (int) Math.ceil(HEADROOM * best - 1e-9);
        int initial = (int) Math.max(1, Math.min(max, Math.round(best)));
        int min = Math.max(1, Math.min(initial, (int) Math.floor(best / 2)));
        boolean change = !(inForce instanceof Range r) || r.max() > 2L * max || r.min() > max || r.max() < initial;
        return Optional.of(new LimitAdvice(best, fit.method(), min, initial, max, inForce, change));
    }

    /** The evidence in a sentence. */
    public String evidence() {
        String how = method.equals("queue") ? String.format(Locale.ROOT, "a queue of %.0f workers", concurrency)
                : String.format(Locale.ROOT, "the USL's peak at %.1f calls in flight", concurrency);
        String now = inForce instanceof Range r ? "; the limiter lets " + r.min() + ".." + r.max() + " in"
                : inForce instanceof Off ? "; the limiter is off" : "";
        return String.format(Locale.ROOT, "an instance serves the most with about %.1f calls in flight (%s): past that"
                + " its calls wait inside it, none more served", concurrency, how) + now;
    }

    /** What to do in a sentence: the settings to configure, or that those in force fit. */
    public String proposal() {
        String values = "min " + min + ", initial " + initial + ", max " + max;
        if (inForce instanceof Unknown) {
            return "health.concurrencyLimit fits it at " + values + " (the limit in force is not known here)";
        }
        if (inForce instanceof Off) {
            return "turn health.concurrencyLimit on at " + values;
        }
        return change ? "set health.concurrencyLimit to " + values : "the concurrency limit in force fits";
    }
}
