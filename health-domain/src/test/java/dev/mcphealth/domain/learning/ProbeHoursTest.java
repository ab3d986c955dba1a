package dev.mcphealth.domain.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ProbeHours}: idle hours stretched, the hour before traffic kept, too little data changing nothing; and a
 * simulated week of a team's traffic (docs/learning.md, "Probe intervals by hour of the week"): the probes saved, and
 * the calls that meet an outage before the monitor has found it, with the plan and with the configured interval
 * everywhere, over an outage starting at every minute of the week.
 */
class ProbeHoursTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final Instant MONDAY = Instant.parse("2026-11-23T00:00:00Z");
    private static final Duration TEN_S = Duration.ofSeconds(10);
    /** The failures in a row after which the monitor says a server is offline (the defaults'). */
    private static final int OFFLINE_AFTER = 3;

    /** Weekdays 09:00-16:59 busy (calls a minute), weekday evenings 17:00-19:59 light, nights and weekends idle. */
    private static double usualRate(HourOfWeek h) {
        boolean weekday = h.index() / 24 < 5;
        int hour = h.hourOfDay();
        if (weekday && hour >= 9 && hour < 17) {
            return 12;
        }
        if (weekday && hour >= 17 && hour < 20) {
            return 1;
        }
        return 0.01;
    }

    /** {@code weeks} weeks of minutes, each a Poisson draw of its hour's usual rate. */
    private static UsageProfile learned(int weeks, long seed) {
        Random random = new Random(seed);
        UsageProfile p = new UsageProfile();
        for (int m = 0; m < weeks * 7 * 24 * 60; m++) {
            Instant t = MONDAY.minus(Duration.ofDays(7L * weeks)).plus(Duration.ofMinutes(m));
            double calls = poisson(random, usualRate(HourOfWeek.of(t, UTC)));
            p.observe(t, UTC, new UsageProfile.Minute(calls, 0, calls > 0 ? OptionalDouble.of(20) : OptionalDouble.empty(),
                    calls > 0 ? OptionalDouble.of(40) : OptionalDouble.empty()));
        }
        return p;
    }

    private static int poisson(Random random, double mean) {
        double l = Math.exp(-mean);
        int k = 0;
        double p = random.nextDouble();
        while (p > l) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }

    private static HourOfWeek hour(int day, int hourOfDay) {
        return new HourOfWeek(day * 24 + hourOfDay);
    }

    @Test
    void withoutAProfileEveryHourKeepsTheConfiguredInterval() {
        List<ProbeHours.Hour> week = ProbeHours.week(Optional.empty(), TEN_S);
        assertEquals(168, week.size());
        assertTrue(week.stream().allMatch(h -> h.interval().equals(TEN_S) && !h.stretched()));
        assertTrue(week.get(0).evidence().contains("no usage profile"), week.get(0).evidence());
        assertEquals(0.0, ProbeHours.saved(week));
    }

    @Test
    void anHourLearnedFromTooFewMinutesIsNotStretched() {
        UsageProfile p = new UsageProfile();
        for (int m = 0; m < 20; m++) {
            p.observe(MONDAY.plus(Duration.ofMinutes(m)), UTC, UsageProfile.Minute.idle());
        }
        ProbeHours.Hour h = ProbeHours.at(Optional.of(p), hour(0, 0), TEN_S);
        assertFalse(h.stretched(), h.evidence());
        assertTrue(h.evidence().contains("learned from 20 of its own minutes, 30 needed"), h.evidence());
    }

    @Test
    void idleHoursAreStretchedAndTheHourBeforeTrafficIsNot() {
        UsageProfile p = learned(1, 7);
        ProbeHours.Hour night = ProbeHours.at(Optional.of(p), hour(0, 3), TEN_S);
        assertTrue(night.stretched(), night.evidence());
        assertEquals(Duration.ofSeconds(40), night.interval());
        assertTrue(night.evidence().startsWith("Mon 03:00 usually sees 0.0") && night.evidence().contains(": both under 0.1, so probed every 40 s instead of 10 s"), night.evidence());
        ProbeHours.Hour beforeWork = ProbeHours.at(Optional.of(p), hour(0, 8), TEN_S);
        assertFalse(beforeWork.stretched(), "the hour before 09:00 is probed as configured: " + beforeWork.evidence());
        assertTrue(beforeWork.evidence().contains("Mon 09:00 12"), beforeWork.evidence());
        assertFalse(ProbeHours.at(Optional.of(p), hour(2, 11), TEN_S).stretched(), "a busy hour");
        assertFalse(ProbeHours.at(Optional.of(p), hour(2, 18), TEN_S).stretched(), "a light evening hour: 1 a minute");
        assertTrue(ProbeHours.at(Optional.of(p), hour(5, 12), TEN_S).stretched(), "Saturday noon");
        assertTrue(ProbeHours.at(Optional.of(p), hour(6, 23), TEN_S).stretched(), "Sunday 23:00: the week wraps to an"
                + " idle Monday 00:00");
    }

    @Test
    void aStretchedIntervalStopsAtFiveMinutesAndNeverShortensALongOne() {
        assertEquals(Duration.ofMinutes(4), ProbeHours.stretched(Duration.ofMinutes(1)));
        assertEquals(Duration.ofMinutes(5), ProbeHours.stretched(Duration.ofMinutes(2)));
        assertEquals(Duration.ofMinutes(5), ProbeHours.stretched(Duration.ofMinutes(5)));
        assertEquals(Duration.ofMinutes(9), ProbeHours.stretched(Duration.ofMinutes(9)));
        ProbeHours.Hour h = ProbeHours.at(Optional.of(learned(1, 7)), hour(0, 3), Duration.ofMinutes(6));
        assertFalse(h.stretched());
        assertTrue(h.evidence().contains("already 5 min or longer"), h.evidence());
        assertThrows(IllegalArgumentException.class, () -> ProbeHours.at(Optional.empty(), hour(0, 0), Duration.ZERO));
    }

    @Test
    void spansGroupTheWeekAsAReportListsIt() {
        List<ProbeHours.Span> spans = ProbeHours.spans(ProbeHours.week(Optional.of(learned(1, 7)), TEN_S));
        assertEquals(168, spans.stream().mapToInt(ProbeHours.Span::hours).sum());
        ProbeHours.Span first = spans.get(0);
        assertEquals("Mon 00:00-Mon 07:59", first.label(), "Sunday night into Monday 07:00, before the hour before work");
        assertTrue(first.stretched());
        assertEquals(Duration.ofSeconds(10), spans.get(1).interval());
        assertEquals("Mon 08:00-Mon 19:59", spans.get(1).label());
    }

    /**
     * The simulated week: the probes the plan saves, and the calls that meet an outage before it is found (the
     * offline-th failed probe), for an outage starting at each minute of the week, lasting until found; the calls
     * are the hour's usual rate spread evenly.
     */
    @Test
    void aSimulatedWeekSavesProbesAndLetsNoMoreCallsMeetAnUnfoundOutage() {
        UsageProfile p = learned(2, 11);
        List<ProbeHours.Hour> week = ProbeHours.week(Optional.of(p), TEN_S);
        double saved = ProbeHours.saved(week);
        long stretchedHours = week.stream().filter(ProbeHours.Hour::stretched).count();
        double callsFixed = 0;
        double callsPlanned = 0;
        double findFixed = 0;
        double findPlanned = 0;
        double findPlannedWorst = 0;
        int outages = 7 * 24 * 60;
        long[] fixed = probes(s -> TEN_S.toSeconds());
        long[] planned = probes(s -> week.get((int) (s / 3600 % 168)).interval().toSeconds());
        for (int m = 0; m < outages; m++) {
            long start = m * 60L;
            long foundFixed = found(fixed, start);
            long foundPlanned = found(planned, start);
            callsFixed += callsBetween(start, foundFixed);
            callsPlanned += callsBetween(start, foundPlanned);
            findFixed += foundFixed - start;
            findPlanned += foundPlanned - start;
            findPlannedWorst = Math.max(findPlannedWorst, foundPlanned - start);
        }
        System.out.printf(Locale.ROOT, "probe hours: %d of 168 hours stretched, %.1f %% of the probes saved; calls"
                        + " meeting an unfound outage per outage: %.3f planned vs %.3f configured everywhere; mean time"
                        + " to find %.1f s vs %.1f s, worst %.0f s%n", stretchedHours, 100 * saved,
                callsPlanned / outages, callsFixed / outages, findPlanned / outages, findFixed / outages,
                findPlannedWorst);
        assertTrue(saved > 0.4, "most of a team's week is idle: " + saved);
        assertTrue(callsPlanned / outages <= callsFixed / outages * 1.10,
                "at most 10 % more calls meet an unfound outage: " + callsPlanned + " vs " + callsFixed);
    }

    /**
     * The probe times of two weeks (seconds from Monday 00:00), each one interval after the last, the interval of the
     * hour the last one fell in.
     */
    private static long[] probes(java.util.function.LongUnaryOperator intervalAt) {
        java.util.List<Long> times = new java.util.ArrayList<>();
        long t = 0;
        while (t < 2 * 168 * 3600L) {
            t += intervalAt.applyAsLong(t);
            times.add(t);
        }
        return times.stream().mapToLong(Long::longValue).toArray();
    }

    /** When an outage starting at {@code start} is found: the OFFLINE_AFTER-th probe after it. */
    private static long found(long[] probes, long start) {
        int i = java.util.Arrays.binarySearch(probes, start + 1);
        int first = i >= 0 ? i : -i - 1;
        return probes[first + OFFLINE_AFTER - 1];
    }

    /** The calls between two times (seconds into the week, wrapping), at each hour's usual rate. */
    private static double callsBetween(long from, long to) {
        double calls = 0;
        for (long s = from; s < to; s++) {
            calls += usualRate(new HourOfWeek((int) (s / 3600 % 168))) / 60;
        }
        return calls;
    }
}
