package dev.mcphealth.domain.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ProbeTimeouts} on a simulated server whose probes take 40 ms, but 1.2 s on Sunday nights 01:00-03:59 UTC (a
 * weekly batch), learned over 3 weeks of probes every 10 s: the hours a 2 s timeout would cut, and the false timeouts
 * of a fourth week with the configured timeout and with each hour's.
 */
class ProbeTimeoutsTest {
    private static final Instant MONDAY = Instant.parse("2026-11-02T00:00:00Z");
    private static final Duration TWO_S = Duration.ofSeconds(2);

    private static boolean batch(HourOfWeek h) {
        return h.index() / 24 == 6 && h.hourOfDay() >= 1 && h.hourOfDay() < 4;
    }

    /** A probe's latency at hour {@code h}: log-normal around 40 ms, or 1.2 s in the batch, spread 25 %. */
    private static double latency(HourOfWeek h, SplittableRandom random) {
        return (batch(h) ? 1200 : 40) * Math.exp(0.25 * UsageProfileTest.gaussian(random) - 0.03);
    }

    private static UsageProfile learned(int weeks, SplittableRandom random) {
        UsageProfile p = new UsageProfile();
        for (int m = 0; m < weeks * 7 * 1440; m++) {
            Instant t = MONDAY.plusSeconds(60L * m);
            HourOfWeek h = HourOfWeek.of(t, ZoneOffset.UTC);
            double[] six = new double[6];
            for (int i = 0; i < 6; i++) {
                six[i] = latency(h, random);
            }
            java.util.Arrays.sort(six);
            p.observe(t, ZoneOffset.UTC, new UsageProfile.Minute(6, 0, OptionalDouble.of(six[2]),
                    OptionalDouble.of(six[5])));
        }
        return p;
    }

    @Test
    void aSlowHourAsksForALongerTimeoutAndTheRestForTheLeast() {
        SplittableRandom random = new SplittableRandom(3);
        UsageProfile probes = learned(3, random);
        List<ProbeTimeouts.Hour> week = ProbeTimeouts.week(Optional.of(probes), TWO_S);
        ProbeTimeouts.Hour night = week.get(6 * 24 + 2);
        assertTrue(night.timeout().compareTo(Duration.ofSeconds(5)) >= 0, night.toString());
        assertTrue(night.evidence().startsWith("Sun 02:00 UTC: a minute's slowest probes usually take up to ")
                && night.evidence().contains("the timeout 2.0 s would cut answers this hour usually gives"),
                night.evidence());
        ProbeTimeouts.Hour monday = week.get(9);
        assertEquals(TWO_S, monday.timeout(), monday.evidence());
        assertTrue(monday.evidence().endsWith(": the timeout 2.0 s fits"), monday.evidence());
        ProbeTimeouts.Hour lower = ProbeTimeouts.at(Optional.of(probes), new HourOfWeek(9), Duration.ofSeconds(30));
        assertTrue(lower.evidence().endsWith("2.0 s (the least) instead of 30.0 s notices a hung server sooner"),
                lower.evidence());

        List<ProbeTimeouts.Span> spans = ProbeTimeouts.spans(week);
        ProbeTimeouts.Span slow = spans.stream().filter(s -> s.timeout().compareTo(TWO_S) > 0).findFirst()
                .orElseThrow();
        assertEquals("Sun 01:00-Sun 03:59", slow.label());
        assertEquals(3, slow.hours());

        // a fourth week: each probe against the configured timeout, and against its hour's
        int batchProbes = 0;
        int cutConfigured = 0;
        int cutHourly = 0;
        int otherCutHourly = 0;
        for (int s = 0; s < 7 * 86_400; s += 10) {
            HourOfWeek h = new HourOfWeek(s / 3600);
            double l = latency(h, random);
            boolean over = l > TWO_S.toMillis();
            boolean overHour = l > week.get(h.index()).timeout().toMillis();
            if (batch(h)) {
                batchProbes++;
                cutConfigured += over ? 1 : 0;
                cutHourly += overHour ? 1 : 0;
            } else {
                otherCutHourly += overHour ? 1 : 0;
            }
        }
        System.out.printf(Locale.ROOT, "probe timeouts: the batch hours ask for %s; of their %d probes a 2 s timeout"
                + " cuts %d (%.1f %%), the hours' own timeouts %d; other hours' probes cut: %d%n", slow.timeout(),
                batchProbes, cutConfigured, 100.0 * cutConfigured / batchProbes, cutHourly, otherCutHourly);
        assertEquals(0, cutHourly);
        assertEquals(0, otherCutHourly);
        assertTrue(cutConfigured > 0, "a 2 s timeout cuts some of a 1.2 s hour's probes");
    }

    @Test
    void anHourNotLearnedKeepsTheConfiguredTimeout() {
        ProbeTimeouts.Hour h = ProbeTimeouts.at(Optional.empty(), new HourOfWeek(0), TWO_S);
        assertEquals(Optional.empty(), h.wanted());
        assertEquals(TWO_S, h.timeout());
        assertEquals("Mon 00:00 UTC was learned from 0 minutes of probes, 30 needed", h.evidence());
        assertThrows(IllegalArgumentException.class, () -> ProbeTimeouts.at(Optional.empty(), new HourOfWeek(0),
                Duration.ZERO));
    }

    @Test
    void roundingIsUpToANiceStep() {
        assertEquals(Duration.ofMillis(3000), ProbeTimeouts.niceCeil(2100));
        assertEquals(Duration.ofMillis(7500), ProbeTimeouts.niceCeil(6000));
        assertEquals(Duration.ofMillis(10_000), ProbeTimeouts.niceCeil(7600));
        assertEquals(Duration.ofMillis(150), ProbeTimeouts.niceCeil(120));
    }
}
