package dev.mcphealth.domain.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HourOfWeekTest {
    @Test
    void mondayMidnightIsTheFirstHourAndSundayElevenPmTheLast() {
        assertEquals(0, HourOfWeek.of(Instant.parse("2026-11-30T00:00:00Z"), ZoneOffset.UTC).index()); // a Monday
        assertEquals(9, HourOfWeek.of(Instant.parse("2026-11-30T09:59:59Z"), ZoneOffset.UTC).index());
        assertEquals(167, HourOfWeek.of(Instant.parse("2026-12-06T23:30:00Z"), ZoneOffset.UTC).index());
        assertEquals("Mon 09:00", new HourOfWeek(9).label());
        assertEquals("Sun 23:00", new HourOfWeek(167).label());
        assertThrows(IllegalArgumentException.class, () -> new HourOfWeek(168));
        assertThrows(IllegalArgumentException.class, () -> new HourOfWeek(-1));
    }

    @Test
    void theHourIsTheWallClocksOfTheZoneAcrossASummerTimeChange() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // 2026-03-29 (a Sunday): clocks go from 02:00 to 03:00; 08:00 UTC is 10:00 in summer time
        assertEquals(6 * 24 + 10, HourOfWeek.of(Instant.parse("2026-03-29T08:00:00Z"), berlin).index());
        assertEquals(6 * 24 + 9, HourOfWeek.of(Instant.parse("2026-03-22T08:00:00Z"), berlin).index(),
                "a week before, in winter time, the same UTC instant is 09:00");
    }
}
