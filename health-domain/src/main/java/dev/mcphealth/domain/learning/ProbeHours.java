package dev.mcphealth.domain.learning;

import dev.mcphealth.domain.model.UsageFigure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How often a server is probed in each hour of its week (docs/learning.md, "Probe intervals by hour of the week"): at
 * its configured interval in every hour its type is used, and {@value #STRETCH} times less often (at most
 * {@link #LONGEST}, never more often than configured) in an <em>idle</em> hour: one whose usual call rate, learned from
 * at least {@link UsageProfile#READY_MINUTES} of its own minutes, is under {@value #IDLE_RATE} calls a minute, when the
 * hour after it is idle as well. The hour before traffic keeps the configured interval, so an outage that began while
 * nobody called is found at the usual speed before the first caller comes. An hour not learned well enough, or a type
 * with no profile, keeps the configured interval: too little data changes nothing.
 *
 * <p>Pure: the caller says which hour it is, what the type's profile learned and what the server's configured interval
 * is; the monitor that follows the plan (and sets a server back at once when it is anything but healthy) is outside.
 */
public final class ProbeHours {
    /** Calls a minute under which an hour is idle: fewer than 6 an hour. */
    public static final double IDLE_RATE = 0.1;
    private static final String IDLE_TEXT = "0.1";
    /** How many times the configured interval an idle hour's probes are apart. */
    public static final int STRETCH = 4;
    /** The longest interval an idle hour is stretched to (as the optimizer's longest proposed interval). */
    public static final Duration LONGEST = Duration.ofMinutes(5);

    private ProbeHours() {
    }

    /**
     * One hour's interval and the evidence for it.
     *
     * @param configured the interval the configuration gives (the one in force outside idle hours)
     * @param interval   the interval for this hour: {@code configured}, or longer when {@code stretched}
     * @param evidence   why, in a sentence: the usual call rates of this hour and the next and the minutes they were
     *                   learned from, or what is missing
     */
    public record Hour(HourOfWeek hour, Duration configured, Duration interval, boolean stretched, String evidence) {
        public Hour {
            Objects.requireNonNull(hour, "hour");
            Objects.requireNonNull(configured, "configured");
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(evidence, "evidence");
        }
    }

    /**
     * Consecutive hours of the week with the same interval ({@code first} to {@code last}, both included): what a
     * report lists. {@code hours} counts them.
     */
    public record Span(HourOfWeek first, HourOfWeek last, int hours, Duration interval, boolean stretched) {
        /** As people say it: {@code Mon 00:00-Mon 06:59}. */
        public String label() {
            return HourOfWeek.range(first, last);
        }
    }

    /** The interval for {@code hour}, from {@code calls} (the server type's usage profile, if it has one). */
    public static Hour at(Optional<UsageProfile> calls, HourOfWeek hour, Duration configured) {
        Objects.requireNonNull(calls, "calls");
        Objects.requireNonNull(hour, "hour");
        if (configured == null || configured.isNegative() || configured.isZero()) {
            throw new IllegalArgumentException("a configured interval is positive, got " + configured);
        }
        Duration stretched = stretched(configured);
        if (stretched.equals(configured)) {
            return new Hour(hour, configured, configured, false, "the configured interval " + seconds(configured)
                    + " is already " + seconds(LONGEST) + " or longer");
        }
        if (calls.isEmpty()) {
            return new Hour(hour, configured, configured, false, "no usage profile of the type has been learned");
        }
        HourOfWeek next = new HourOfWeek((hour.index() + 1) % HourOfWeek.COUNT);
        Optional<UsageProfile.Expectation> here = calls.get().expected(hour, UsageFigure.RATE);
        Optional<UsageProfile.Expectation> after = calls.get().expected(next, UsageFigure.RATE);
        Optional<String> unlearned = unlearned(hour, here).or(() -> unlearned(next, after));
        if (unlearned.isPresent()) {
            return new Hour(hour, configured, configured, false, unlearned.get());
        }
        double now = here.get().expected();
        double then = after.get().expected();
        String rates = hour.label() + " usually sees " + rate(now) + " calls a minute (" + minutes(here.get())
                + ") and " + next.label() + " " + rate(then) + " (" + minutes(after.get()) + ")";
        if (now >= IDLE_RATE || then >= IDLE_RATE) {
            return new Hour(hour, configured, configured, false, rates + ": not both under " + IDLE_TEXT
                    + ", so probed every " + seconds(configured) + ", its interval in force");
        }
        return new Hour(hour, configured, stretched, true, rates + ": both under " + IDLE_TEXT + ", so probed"
                + " every " + seconds(stretched) + " instead of " + seconds(configured));
    }

    /** The 168 hours of the week, Monday 00:00 first. */
    public static List<Hour> week(Optional<UsageProfile> calls, Duration configured) {
        List<Hour> hours = new ArrayList<>(HourOfWeek.COUNT);
        for (int i = 0; i < HourOfWeek.COUNT; i++) {
            hours.add(at(calls, new HourOfWeek(i), configured));
        }
        return hours;
    }

    /** {@code week}'s runs of hours with the same interval, in order. */
    public static List<Span> spans(List<Hour> week) {
        List<Span> spans = new ArrayList<>();
        for (int[] run : HourOfWeek.runs(week, Hour::interval)) {
            Hour first = week.get(run[0]);
            spans.add(new Span(first.hour(), week.get(run[1] - 1).hour(), run[1] - run[0], first.interval(),
                    first.stretched()));
        }
        return spans;
    }

    /** How many probes a week {@code week} saves against the configured interval in every hour, as a fraction. */
    public static double saved(List<Hour> week) {
        double configured = 0;
        double planned = 0;
        for (Hour h : week) {
            configured += 3600.0 / h.configured().toMillis() * 1000;
            planned += 3600.0 / h.interval().toMillis() * 1000;
        }
        return configured == 0 ? 0 : 1 - planned / configured;
    }

    /** The interval of an idle hour: {@value #STRETCH} times, at most {@link #LONGEST}, never below {@code configured}. */
    static Duration stretched(Duration configured) {
        Duration longer = configured.multipliedBy(STRETCH);
        Duration cap = configured.compareTo(LONGEST) > 0 ? configured : LONGEST;
        return longer.compareTo(cap) > 0 ? cap : longer;
    }

    private static Optional<String> unlearned(HourOfWeek hour, Optional<UsageProfile.Expectation> e) {
        if (e.isEmpty()) {
            return Optional.of("no minute of " + hour.label() + " has been learned yet");
        }
        if (e.get().minutes() < UsageProfile.READY_MINUTES) {
            return Optional.of(hour.label() + " was learned from " + (long) Math.floor(e.get().minutes())
                    + " of its own minutes, " + UsageProfile.READY_MINUTES + " needed before it counts as idle");
        }
        return Optional.empty();
    }

    private static String minutes(UsageProfile.Expectation e) {
        return (long) Math.floor(e.minutes()) + " minutes learned";
    }

    private static String rate(double perMinute) {
        // three decimals under 1: 0.095 is not written 0.10 beside "under 0.1"
        return String.format(Locale.ROOT, perMinute < 1 ? "%.3f" : "%.1f", perMinute);
    }

    private static String seconds(Duration d) {
        long s = d.toSeconds();
        return s % 60 == 0 && s >= 60 ? s / 60 + " min" : d.toMillis() % 1000 == 0 ? s + " s" : d.toMillis() + " ms";
    }
}
