package dev.mcphealth.application.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.WindowStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RollingWindowsTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void percentilesOfProbesAreExactNearestRank() {
        RollingWindows w = new RollingWindows();
        for (int i = 1; i <= 100; i++) {
            w.add(T0.plusMillis(i * 500L), true, false, Optional.of(Duration.ofMillis(i)));
        }
        WindowStats s = w.stats(T0.plusSeconds(50), Duration.ofMinutes(1));
        assertEquals(100, s.calls());
        assertEquals(Optional.of(Duration.ofMillis(50)), s.p50());
        assertEquals(Optional.of(Duration.ofMillis(95)), s.p95());
        assertEquals(Optional.of(Duration.ofMillis(99)), s.p99());
        assertEquals(Optional.of(1.0), s.availability());
        assertEquals(Optional.of(0.0), s.errorRate());
    }

    @Test
    void windowsForgetWhatIsOlderThanThem() {
        RollingWindows w = new RollingWindows();
        w.add(T0, true, true, Optional.empty());
        w.add(T0.plusSeconds(120), true, false, Optional.of(Duration.ofMillis(5)));
        Instant now = T0.plusSeconds(125);
        assertEquals(1, w.stats(now, Duration.ofMinutes(1)).calls());
        assertEquals(2, w.stats(now, Duration.ofMinutes(15)).calls());
        assertEquals(Optional.of(0.5), w.stats(now, Duration.ofHours(1)).errorRate());
        assertEquals(1, w.stats(T0.plusSeconds(3605), Duration.ofHours(1)).calls(), "an hour later the first is gone");
        assertEquals(0, w.stats(T0.plusSeconds(3730), Duration.ofHours(1)).calls(), "and then the second");
        assertEquals(1, w.counts(now, Duration.ofMinutes(1)).calls(), "counts agree with stats");
    }

    @Test
    void heavyTrafficIsSampledSystematicallyAndStillCountedExactly() {
        RollingWindows w = new RollingWindows();
        for (int i = 0; i < 10_000; i++) {
            w.add(T0.plusMillis(i / 2), false, i % 100 == 0, Optional.of(Duration.ofMillis(i % 100 + 1)));
        }
        WindowStats s = w.stats(T0.plusSeconds(5), Duration.ofMinutes(1));
        assertEquals(10_000, s.calls());
        assertEquals(100, s.errors());
        long p50 = s.p50().orElseThrow().toMillis();
        assertTrue(p50 >= 40 && p50 <= 60, "p50 of a uniform 1..100 ms is about 50, got " + p50);
        assertEquals(0.0, s.throughput() - 10_000 / 60.0, 1e-9);
    }

    @Test
    void aWindowOfCompleteBucketsCoversExactlyItsLength() {
        RollingWindows w = new RollingWindows();
        Instant now = T0.plusSeconds(295);
        for (int i = 0; i <= 295; i++) {
            w.add(T0.plusSeconds(i), true, false, Optional.of(Duration.ofMillis(3)));
        }
        assertEquals(T0.plusSeconds(290).minusNanos(1), RollingWindows.lastCompleteBefore(now));
        assertEquals(1.0, w.counts(RollingWindows.lastCompleteBefore(now), Duration.ofMinutes(1)).throughput(), 1e-9,
                "one probe a second is one call a second");
        assertEquals(56, w.counts(now, Duration.ofMinutes(1)).calls(), "five buckets and the current one's six");
    }
}
