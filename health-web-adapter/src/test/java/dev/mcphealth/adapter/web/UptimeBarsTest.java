package dev.mcphealth.adapter.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.domain.history.HistoryBucket;
import dev.mcphealth.domain.history.HistoryReport;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UptimeBarsTest {
    private static final Instant SINCE = Instant.parse("2026-12-01T00:00:00Z");

    private static HistoryBucket bucket(Instant start, Duration width, long probes, long answered) {
        return new HistoryBucket(start, width, probes, answered, Optional.of(1.0), Optional.of(2.0), Optional.of(3.0),
                HealthStatus.HEALTHY);
    }

    @Test
    void bucketsFallIntoTheBarTheyBeganInRollUpsAndRawRowsAlike() {
        HistoryReport day = new HistoryReport(new ServerId("files"), SINCE, SINCE.plus(Duration.ofHours(24)), List.of(
                bucket(SINCE, Duration.ofHours(1), 60, 60),                      // an hour's roll-up: bar 0
                bucket(SINCE.plusSeconds(5 * 3600 + 59 * 60), Duration.ofMinutes(1), 1, 0),   // bar 5
                bucket(SINCE.plusSeconds(5 * 3600 + 30 * 60), Duration.ofMinutes(1), 1, 1),   // bar 5
                bucket(SINCE.plusSeconds(23 * 3600 + 59 * 60 + 59), Duration.ofMinutes(1), 2, 2)), List.of(), List.of());
        List<UptimeBars.Bar> bars = UptimeBars.of(day, 24);
        assertEquals(24, bars.size());
        assertEquals(new UptimeBars.Bar(60, 60, Optional.of(1.0), Optional.of(3.0)), bars.get(0));
        assertEquals(new UptimeBars.Bar(2, 1, Optional.of(1.0), Optional.of(3.0)), bars.get(5),
                "the answered probes' p50, the highest p99");
        assertEquals(new UptimeBars.Bar(0, 0), bars.get(6), "no data");
        assertEquals(2, bars.get(23).answered(), "the last second is the last bar's");
    }

    @Test
    void aBarsLatencyIsItsAnsweredProbesWeightedP50AndItsHighestP99() {
        HistoryReport hour = new HistoryReport(new ServerId("files"), SINCE, SINCE.plusSeconds(3600), List.of(
                new HistoryBucket(SINCE, Duration.ofMinutes(1), 3, 3, Optional.of(10.0), Optional.of(20.0),
                        Optional.of(30.0), HealthStatus.HEALTHY),
                new HistoryBucket(SINCE.plusSeconds(30), Duration.ofMinutes(1), 2, 1, Optional.of(50.0),
                        Optional.of(60.0), Optional.of(90.0), HealthStatus.WARNING),
                new HistoryBucket(SINCE.plusSeconds(45), Duration.ofMinutes(1), 1, 0, Optional.empty(),
                        Optional.empty(), Optional.empty(), HealthStatus.OFFLINE)), List.of(), List.of());
        UptimeBars.Bar bar = UptimeBars.of(hour, 60).get(0);
        assertEquals(6, bar.probes());
        assertEquals(4, bar.answered());
        assertEquals(Optional.of((10.0 * 3 + 50.0) / 4), bar.p50Ms());
        assertEquals(Optional.of(90.0), bar.p99Ms());
        assertEquals(Optional.empty(), UptimeBars.of(hour, 60).get(1).p50Ms(), "no probe: no latency");
    }

    @Test
    void aBucketBegunBeforeThePeriodIsLeftOut() {
        HistoryReport hour = new HistoryReport(new ServerId("files"), SINCE, SINCE.plusSeconds(3600), List.of(
                bucket(SINCE.minusSeconds(1800), Duration.ofHours(1), 10, 9),
                bucket(SINCE, Duration.ofMinutes(1), 1, 1)), List.of(), List.of());
        assertEquals(1, UptimeBars.of(hour, 60).get(0).probes());
        assertThrows(IllegalArgumentException.class, () -> UptimeBars.of(hour, 0));
    }
}
