package dev.mcphealth.domain.learning;

import dev.mcphealth.domain.model.UsageFigure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The probe timeout each hour of a server's week asks for (docs/learning.md, "Probe timeouts by hour of the week"), from
 * its probe-latency profile (UTC hours: each minute's slowest probes, the p95 figure): {@value #HEADROOM} times the top
 * of that hour's usual band, rounded up to 1, 1.5, 2, 3, 5 or 7.5 of a power of ten milliseconds, at least {@link #LEAST} (a
 * comprehensive probe also lists tools, which the latency does not time) and at most {@link #LONGEST}. A timeout under
 * it cuts answers that hour usually gives (a slow hour's false timeouts, and the restarts they bring); one far over it
 * waits longer than needed on a hung server. An hour learned from fewer than {@link UsageProfile#READY_MINUTES} of its
 * own minutes asks for nothing: it keeps the configured timeout.
 *
 * <p>Pure: advice. The monitor's timeouts are the configured ones (or the optimizer's); see the report.
 */
public final class ProbeTimeouts {
    /** How many times the top of an hour's usual band of slow probes the timeout is. */
    public static final double HEADROOM = 3;
    /** The shortest timeout asked for (as the optimizer's shortest probe timeout). */
    public static final Duration LEAST = Duration.ofSeconds(2);
    /** The longest timeout asked for (as the configuration's longest). */
    public static final Duration LONGEST = Duration.ofMinutes(10);

    private ProbeTimeouts() {
    }

    /**
     * One hour's timeout: {@code wanted} when the hour was learned (empty otherwise, and {@code timeout} is the
     * configured one), from {@code usualTopMs}, the top of its usual band of slow probes.
     */
    public record Hour(HourOfWeek hour, Duration configured, Optional<Duration> wanted, double usualTopMs,
                       String evidence) {
        public Hour {
            Objects.requireNonNull(hour, "hour");
            Objects.requireNonNull(configured, "configured");
            Objects.requireNonNull(wanted, "wanted");
            Objects.requireNonNull(evidence, "evidence");
        }

        /** The timeout for the hour: the one it asks for, else the configured one. */
        public Duration timeout() {
            return wanted.orElse(configured);
        }
    }

    /** Consecutive hours with one timeout ({@code first} to {@code last}), as a report lists them. */
    public record Span(HourOfWeek first, HourOfWeek last, int hours, Duration timeout, Hour example) {
        /** As people say it: {@code Sun 01:00-Sun 03:59}. */
        public String label() {
            return HourOfWeek.range(first, last);
        }
    }

    /** What {@code hour} asks for, from {@code probes} (the server's probe profile, if it has one). */
    public static Hour at(Optional<UsageProfile> probes, HourOfWeek hour, Duration configured) {
        Objects.requireNonNull(probes, "probes");
        if (configured == null || configured.isNegative() || configured.isZero()) {
            throw new IllegalArgumentException("a configured timeout is positive, got " + configured);
        }
        Optional<UsageProfile.Expectation> e = probes.flatMap(p -> p.expected(hour, UsageFigure.P95));
        if (e.isEmpty() || e.get().minutes() < UsageProfile.READY_MINUTES) {
            long minutes = e.map(x -> (long) Math.floor(x.minutes())).orElse(0L);
            return new Hour(hour, configured, Optional.empty(), Double.NaN, hour.label() + " UTC was learned from "
                    + minutes + " minutes of probes, " + UsageProfile.READY_MINUTES + " needed");
        }
        double top = e.get().high();
        Duration wanted = clamp(niceCeil(HEADROOM * top));
        String usual = hour.label() + " UTC: a minute's slowest probes usually take up to " + ms(top) + " ("
                + (long) Math.floor(e.get().minutes()) + " minutes learned); " + (long) HEADROOM + "x that is "
                + ms(HEADROOM * top);
        String why = wanted.equals(configured) ? usual + ": the timeout " + ms(configured.toMillis()) + " fits"
                : wanted.compareTo(configured) > 0 ? usual + ": the timeout " + ms(configured.toMillis())
                + " would cut answers this hour usually gives; " + ms(wanted.toMillis()) + " leaves room"
                : usual + ": " + ms(wanted.toMillis()) + (wanted.equals(LEAST) ? " (the least)" : "") + " instead of "
                + ms(configured.toMillis()) + " notices a hung server sooner";
        return new Hour(hour, configured, Optional.of(wanted), top, why);
    }

    /** The 168 hours, Monday 00:00 UTC first. */
    public static List<Hour> week(Optional<UsageProfile> probes, Duration configured) {
        List<Hour> hours = new ArrayList<>(HourOfWeek.COUNT);
        for (int i = 0; i < HourOfWeek.COUNT; i++) {
            hours.add(at(probes, new HourOfWeek(i), configured));
        }
        return hours;
    }

    /** {@code week}'s runs of hours with one timeout, in order, each with its first hour as the example. */
    public static List<Span> spans(List<Hour> week) {
        List<Span> spans = new ArrayList<>();
        for (int[] run : HourOfWeek.runs(week, Hour::timeout)) {
            Hour first = week.get(run[0]);
            spans.add(new Span(first.hour(), week.get(run[1] - 1).hour(), run[1] - run[0], first.timeout(), first));
        }
        return spans;
    }

    /** Rounded up to 1, 1.5, 2, 3, 5 or 7.5 times a power of ten milliseconds. */
    static Duration niceCeil(double millis) {
        if (!(millis > 0)) {
            return Duration.ofMillis(1);
        }
        double power = Math.pow(10, Math.floor(Math.log10(millis)));
        for (double step : new double[] {1, 1.5, 2, 3, 5, 7.5, 10}) {
            if (step * power >= millis - 1e-9) {
                return Duration.ofMillis((long) Math.ceil(step * power));
            }
        }
        return Duration.ofMillis((long) Math.ceil(10 * power));
    }

    private static Duration clamp(Duration d) {
        return d.compareTo(LEAST) < 0 ? LEAST : d.compareTo(LONGEST) > 0 ? LONGEST : d;
    }

    private static String ms(double millis) {
        return millis >= 1000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000)
                : String.format(Locale.ROOT, "%.0f ms", millis);
    }
}
