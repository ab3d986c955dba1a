package dev.mcphealth.domain.learning;

import dev.mcphealth.domain.model.UsageFigure;
import dev.mcphealth.domain.prediction.DiscountedLine;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * How fast a pool's demand grows, measured day by day against its learned week (docs/learning.md, "The demand
 * trend"). A profile learns growth as it comes, a few weeks late; its shape (how a Monday compares with a Sunday, 09:00
 * with 03:00) barely moves. So each day's calls are divided by what the profile's shape gives that day's minutes (the
 * expected calls of its hours over the week's mean), which takes the week out: what is left is the pool's level that
 * day. The trend is a least-squares line through the logarithms of those levels, the older days discounted by
 * {@value #DISCOUNT} a day ({@link DiscountedLine}, as the latency forecasts'; about a month remembered: a Holt
 * smoothing's slope forgets within days, and days vary by 10 % and more); a day further from the line than {@value #CLIP} usual deviations (a holiday, an outage, a
 * surge) is left out, unless {@value #NEW_LEVEL} days in a row are, which is a new level: those are counted, pulled in
 * to that distance. The slope is the growth: e^(7 x slope) - 1 a week.
 *
 * <p>A minute counts only once every hour of the week has stood on its own in the profile
 * ({@link UsageProfile#READY_MINUTES}): the trend starts after the profile's first week. A day counts only with at
 * least {@value #LEAST_EXPECTED} calls expected over its counted minutes. It is told after {@value #READY_DAYS} days. Bounded: a dozen numbers. Not thread-safe: one learner
 * updates it with its profile.
 */
public final class DemandTrend {
    /** How much a day weighs a day later: 0.97, a weight halved in about 23 days. */
    public static final double DISCOUNT = 0.97;
    /** How many usual deviations from the line a day may be before it is left out. */
    public static final double CLIP = 3;
    /** How many days in a row left out make a new level, counted from then on. */
    public static final int NEW_LEVEL = 3;
    /** Days counted before the trend is told. */
    public static final int READY_DAYS = 7;
    /** Calls a day's counted minutes must be expected to bring for the day to count. */
    public static final double LEAST_EXPECTED = 100;
    /** The usual deviation taken after two days: days of a real pool vary by 5 % and more. */
    static final double INITIAL_SPREAD = 0.05;
    /** The least usual deviation: a day's level is not known better than 2 %. */
    static final double LEAST_SPREAD = 0.02;
    /** A normal variable's standard deviation per mean absolute deviation: sqrt(pi / 2). */
    private static final double SIGMA_PER_SPREAD = Math.sqrt(Math.PI / 2);
    private static final double DAY_SECONDS = 86_400;
    /** The line's forgetting time constant, seconds: a day's weight times {@value #DISCOUNT} a day. */
    public static final double WINDOW_SECONDS = -DAY_SECONDS / Math.log(DISCOUNT);

    /**
     * What is kept of it: the day under way ({@code day}, an epoch day of the learned week, its calls and what the
     * shape expected of them, in week-mean minutes), the line through the days counted (its newest day's start and its
     * running sums, see {@link DiscountedLine}; no day yet: {@code line.referenceAt()} null), the mean absolute
     * deviation of the days from the line, the days counted, and how many days in a row were left out just before.
     */
    public record State(long day, double dayCalls, double dayExpected, DiscountedLine line, double spread, int days,
                        int outliers) {
        public State {
            Objects.requireNonNull(line, "line");
            if (!(dayCalls >= 0) || !(dayExpected >= 0) || !(spread >= 0) || !Double.isFinite(dayCalls)
                    || !Double.isFinite(dayExpected) || !Double.isFinite(spread) || days < 0 || outliers < 0) {
                throw new IllegalArgumentException("not a demand trend's state: the day's " + dayCalls + " calls of "
                        + dayExpected + ", spread " + spread + ", days " + days + ", outliers " + outliers);
            }
            if (line.window() != WINDOW_SECONDS) {
                throw new IllegalArgumentException("not a demand trend's line: its window is " + line.window()
                        + " s, not " + WINDOW_SECONDS);
            }
        }
    }

    /**
     * The measured growth: {@code weekly} (0.05: 5 % a week), within {@code low}..{@code high} (the slope give or take
     * two of its standard errors), from {@code days} days; and how far above its profile's learned week the line's
     * level is on the last day counted ({@code aboveLearned}, 0.1: 10 %; the profile learns growth weeks late), when
     * the profile was given.
     */
    public record Growth(double weekly, double low, double high, int days, java.util.OptionalDouble aboveLearned) {
        /** Whether it is told from chance: its band does not hold 0. */
        public boolean clear() {
            return low > 0 || high < 0;
        }

        /**
         * The weeks until a pool with {@code headroom} against its learned week (0.25: its busiest hour may grow 25 %)
         * is short, at this growth, from the level it is at now: 0 when short already; empty when not growing.
         */
        public java.util.OptionalDouble weeksUntilShort(double headroom) {
            if (!(weekly > 0)) {
                return java.util.OptionalDouble.empty();
            }
            double room = (1 + headroom) / (1 + aboveLearned.orElse(0)) - 1;
            return java.util.OptionalDouble.of(Math.max(0, Math.log1p(room) / Math.log1p(weekly)));
        }
    }

    private long day = Long.MIN_VALUE;
    private double dayCalls;
    private double dayExpected;
    private DiscountedLine line = DiscountedLine.empty(WINDOW_SECONDS);
    private double spread;
    private int days;
    private int outliers;
    /** The week's mean as last computed, and for which hour (since the epoch): once an hour, not every minute. */
    private double mean;
    private long meanHour = Long.MIN_VALUE;

    public DemandTrend() {
    }

    /** A trend restored from what was kept. */
    public static DemandTrend restore(State s) {
        DemandTrend t = new DemandTrend();
        t.day = s.day();
        t.dayCalls = s.dayCalls();
        t.dayExpected = s.dayExpected();
        t.line = s.line();
        t.spread = s.spread();
        t.days = s.days();
        t.outliers = s.outliers();
        return t;
    }

    public State state() {
        return new State(day, dayCalls, dayExpected, line, spread, days, outliers);
    }

    /**
     * One minute of the pool's calls, starting at {@code start} (a time of the learned week), before {@code profile}
     * learns it. A minute of a new day first closes the day before.
     */
    public void observe(Instant start, ZoneId zone, double calls, UsageProfile profile) {
        Objects.requireNonNull(profile, "profile");
        long today = start.atZone(zone).toLocalDate().toEpochDay();
        if (today != day) {
            close(profile);
            day = today;
        }
        long hour = Math.floorDiv(start.getEpochSecond(), 3600);
        if (hour != meanHour) {
            mean = weekMean(profile);
            meanHour = hour;
        }
        if (mean > 0) {
            dayCalls += Math.max(0, calls);
            // the hour's expected calls over the week's mean: the shape, whatever level the profile has reached
            dayExpected += profile.expected(HourOfWeek.of(start, zone), UsageFigure.RATE).orElseThrow().expected()
                    / mean;
        }
    }

    /** The growth measured, once {@value #READY_DAYS} days were counted. */
    public Optional<Growth> growth() {
        return growth(Optional.empty());
    }

    /** As {@link #growth()}, with how far above {@code profile}'s learned week the level is now. */
    public Optional<Growth> growth(UsageProfile profile) {
        return growth(Optional.of(profile));
    }

    private Optional<Growth> growth(Optional<UsageProfile> profile) {
        if (days < READY_DAYS || line.referenceAt() == null) {
            return Optional.empty();
        }
        double slope = line.slope() * DAY_SECONDS;
        double se = line.slopeError(line.residualDeviation(LEAST_SPREAD)) * DAY_SECONDS;
        if (!Double.isFinite(se)) {
            return Optional.empty();
        }
        // the line's level on the last day counted, in calls a week-mean minute, against the profile's week mean
        double level = Math.exp(line.levelAt(line.referenceAt()));
        double weekMean = profile.map(DemandTrend::weekMean).orElse(0.0);
        return Optional.of(new Growth(Math.expm1(7 * slope), Math.expm1(7 * (slope - 2 * se)),
                Math.expm1(7 * (slope + 2 * se)), days, weekMean > 0
                ? java.util.OptionalDouble.of(level / weekMean - 1) : java.util.OptionalDouble.empty()));
    }

    /** Days counted so far. */
    public int days() {
        return days;
    }

    /**
     * The mean of the profile's expected calls a minute over the 168 hours, once every one of them has stood on its
     * own ({@link UsageProfile#READY_MINUTES}); 0 before: a shape half guessed would make a trend of the learning.
     */
    private static double weekMean(UsageProfile profile) {
        double sum = 0;
        for (int h = 0; h < HourOfWeek.COUNT; h++) {
            Optional<UsageProfile.Expectation> e = profile.expected(new HourOfWeek(h), UsageFigure.RATE);
            if (e.isEmpty() || e.get().minutes() < UsageProfile.READY_MINUTES) {
                return 0;
            }
            sum += e.get().expected();
        }
        return sum / HourOfWeek.COUNT;
    }

    /** Ends the day under way: its level goes into the line when enough calls were expected of it. */
    private void close(UsageProfile profile) {
        double expected = dayExpected * weekMean(profile);
        if (day != Long.MIN_VALUE && expected >= LEAST_EXPECTED) {
            double y = Math.log(Math.max(dayCalls, 0.5) / dayExpected);
            Instant at = Instant.ofEpochSecond(day * (long) DAY_SECONDS);
            if (line.referenceAt() != null && at.isBefore(line.referenceAt())) {
                // the learned week's time went back (its compression changed between runs): a new line
                line = DiscountedLine.empty(WINDOW_SECONDS);
                days = 0;
                outliers = 0;
            }
            if (days >= 2) {
                double fit = line.levelAt(at);
                double c = CLIP * SIGMA_PER_SPREAD * Math.max(spread, LEAST_SPREAD);
                double off = Math.max(-c, Math.min(c, y - fit));
                // every day teaches the usual deviation, at most c of it: one left out too, or it could never grow
                spread += (Math.abs(off) - spread) * Math.max(1 - DISCOUNT, 1.0 / (days + 1));
                if (Math.abs(y - fit) > c && ++outliers < NEW_LEVEL) {
                    dayCalls = 0;
                    dayExpected = 0;
                    return; // a holiday, an outage, a surge: left out
                }
                outliers = Math.abs(y - fit) > c ? outliers : 0;
                y = fit + off;
            } else if (days == 1) {
                spread = Math.max(Math.abs(y - line.mean()) / 2, INITIAL_SPREAD);
            }
            line = line.add(at, y);
            days++;
        }
        dayCalls = 0;
        dayExpected = 0;
    }
}
