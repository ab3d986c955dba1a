package dev.mcphealth.domain.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.learning.UsageProfile.Expectation;
import dev.mcphealth.domain.learning.UsageProfile.Minute;
import dev.mcphealth.domain.model.UsageFigure;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A tool's week learned from simulated minutes: seasonal rates with Poisson noise, latencies with log-normal noise. */
class UsageProfileTest {
    private static final Instant MONDAY = Instant.parse("2026-11-30T00:00:00Z");
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final Duration MINUTE = Duration.ofMinutes(1);

    /** The true mean calls per minute of an hour of the week: quiet nights, busy working hours, calm weekends. */
    static double rate(HourOfWeek h) {
        boolean weekend = h.index() >= 5 * 24;
        int hour = h.hourOfDay();
        if (hour < 7 || hour >= 20) {
            return 2;
        }
        if (weekend) {
            return 8;
        }
        return hour >= 9 && hour < 17 ? 60 : 20;
    }

    /** The true median latency (ms) of an hour: slower when busy. */
    static double latency(HourOfWeek h) {
        return rate(h) >= 60 ? 120 : 80;
    }

    static int poisson(double lambda, SplittableRandom random) {
        if (lambda > 30) {
            return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(random)));
        }
        double l = Math.exp(-lambda);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > l);
        return k - 1;
    }

    static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** One simulated minute starting at {@code t}. */
    static Minute minute(Instant t, SplittableRandom random) {
        HourOfWeek h = HourOfWeek.of(t, UTC);
        int calls = poisson(rate(h), random);
        if (calls == 0) {
            return Minute.idle();
        }
        double p50 = latency(h) * Math.exp(0.1 * gaussian(random));
        return new Minute(calls, 0, OptionalDouble.of(p50), OptionalDouble.of(p50 * 2.5));
    }

    static UsageProfile learnWeeks(int weeks, SplittableRandom random) {
        UsageProfile p = new UsageProfile();
        for (Instant t = MONDAY; t.isBefore(MONDAY.plus(Duration.ofDays(7L * weeks))); t = t.plus(MINUTE)) {
            p.observe(t, UTC, minute(t, random));
        }
        return p;
    }

    @Test
    void afterTwoWeeksEveryHourOfTheWeekKnowsItsRateAndItsBandHoldsAFreshWeek() {
        SplittableRandom random = new SplittableRandom(7);
        UsageProfile p = learnWeeks(2, random);

        int outside = 0;
        int minutes = 0;
        for (int i = 0; i < HourOfWeek.COUNT; i++) {
            HourOfWeek h = new HourOfWeek(i);
            Expectation e = p.expected(h, UsageFigure.RATE).orElseThrow();
            // 120 minutes of a Poisson rate r: its estimate's standard error is sqrt(r / 120); within 4 of them
            assertEquals(rate(h), e.expected(), 4 * Math.sqrt(rate(h) / 120) + 0.1, h.label() + ": " + e);
            assertFalse(e.leaning(), "120 minutes of each hour seen");
            assertEquals(120.0 / 180, e.confidence(), 1e-9);
        }
        Instant week3 = MONDAY.plus(Duration.ofDays(14));
        for (Instant t = week3; t.isBefore(week3.plus(Duration.ofDays(7))); t = t.plus(MINUTE)) {
            Minute m = minute(t, random);
            minutes++;
            if (p.expected(HourOfWeek.of(t, UTC), UsageFigure.RATE).orElseThrow().outside(m.callsPerMinute())) {
                outside++;
            }
        }
        assertTrue(outside < minutes * 0.005, outside + " of " + minutes + " ordinary minutes outside the band");
        Expectation busy = p.expected(new HourOfWeek(10), UsageFigure.P50).orElseThrow();
        assertEquals(120, busy.expected(), 6);
        assertTrue(busy.low() > 80 && busy.high() < 200, "the latency band is relative: " + busy);
    }

    @Test
    void aBurstOrAnOutageDoesNotBecomeTheNorm() {
        SplittableRandom random = new SplittableRandom(11);
        UsageProfile p = learnWeeks(1, random);
        HourOfWeek monday10 = new HourOfWeek(10);
        double before = p.expected(monday10, UsageFigure.RATE).orElseThrow().expected();
        Instant next = MONDAY.plus(Duration.ofDays(7)).plus(Duration.ofHours(10));
        for (int i = 0; i < 20; i++) { // a third of the hour at ten times the rate
            p.observe(next.plus(MINUTE.multipliedBy(i)), UTC, new Minute(600, 0, OptionalDouble.of(120),
                    OptionalDouble.of(300)));
        }
        for (int i = 20; i < 40; i++) { // then a third of it down: no calls
            p.observe(next.plus(MINUTE.multipliedBy(i)), UTC, Minute.idle());
        }
        double after = p.expected(monday10, UsageFigure.RATE).orElseThrow().expected();
        assertEquals(before, after, 0.2 * before, "a clipped burst and outage move the level little: " + before
                + " -> " + after);
    }

    @Test
    void anHourNotYetSeenLeansOnItsHourOfTheDayThenOnAllHours() {
        UsageProfile p = new UsageProfile();
        for (int i = 0; i < 60; i++) { // Monday 09:00-09:59 only, 50 calls a minute
            p.observe(MONDAY.plus(Duration.ofHours(9)).plus(MINUTE.multipliedBy(i)), UTC,
                    new Minute(50, 5, OptionalDouble.of(100), OptionalDouble.of(200)));
        }
        Expectation tuesday9 = p.expected(new HourOfWeek(24 + 9), UsageFigure.RATE).orElseThrow();
        assertTrue(tuesday9.leaning());
        assertEquals(0, tuesday9.confidence());
        assertEquals(50, tuesday9.expected(), 1e-6, "Monday's 09:00 stands for every 09:00");
        assertEquals(0.1, p.expected(new HourOfWeek(24 + 9), UsageFigure.ERRORS).orElseThrow().expected(), 1e-9);
        assertEquals(50, p.expected(new HourOfWeek(3), UsageFigure.RATE).orElseThrow().expected(), 1e-6,
                "an hour of the day never seen: all hours");
        assertTrue(new UsageProfile().expected(new HourOfWeek(3), UsageFigure.RATE).isEmpty(), "nothing seen: nothing");
    }

    @Test
    void whatIsStoredRestoresTheSameExpectationsInBoundedSpace() {
        UsageProfile p = learnWeeks(1, new SplittableRandom(3));
        UsageProfile restored = UsageProfile.restore(p.cells());

        assertTrue(p.cells().size() <= UsageProfile.SLOTS * UsageFigure.values().length);
        for (int i = 0; i < HourOfWeek.COUNT; i += 7) {
            for (UsageFigure f : UsageFigure.values()) {
                assertEquals(p.expected(new HourOfWeek(i), f), restored.expected(new HourOfWeek(i), f));
            }
        }
        assertEquals(UsageFigure.P95, UsageFigure.fromCode("p95"));
    }
}
