package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SqlTimeTest {

    @Test
    void readsBothSpellings() {
        assertEquals(Instant.parse("2026-11-23T10:15:30.123Z"), SqlTime.parse("2026-11-23 10:15:30.123"));
        assertEquals(Instant.parse("2026-11-23T10:15:30Z"), SqlTime.parse("2026-11-23 10:15:30"));
        assertEquals("2026-11-23 10:15:30.000", SqlTime.format(SqlTime.parse("2026-11-23 10:15:30")));
        assertThrows(IllegalArgumentException.class, () -> SqlTime.parse("2026-11-23T10:15:30Z"));
    }

    @Test
    void boundsCompareRightAgainstBothSpellings() {
        String whole = SqlTime.bound(Instant.parse("2026-11-23T10:00:00Z"));
        assertEquals("2026-11-23 10:00:00", whole);
        assertTrue("2026-11-23 10:00:00".compareTo(whole) >= 0, "CURRENT_TIMESTAMP's spelling is not before it");
        assertTrue("2026-11-23 10:00:00.000".compareTo(whole) >= 0, "ours is not before it");
        assertTrue("2026-11-23 09:59:59.999".compareTo(whole) < 0);
        assertTrue("2026-11-23 09:59:59".compareTo(whole) < 0);
        String part = SqlTime.bound(Instant.parse("2026-11-23T10:00:00.250Z"));
        assertEquals("2026-11-23 10:00:00.250", part);
        assertTrue("2026-11-23 10:00:00".compareTo(part) < 0);
    }

    @Test
    void writesWhatTheFormatterWritesForAnyInstant() {
        java.time.format.DateTimeFormatter formatter = java.time.format.DateTimeFormatter
                .ofPattern("uuuu-MM-dd HH:mm:ss.SSS").withZone(java.time.ZoneOffset.UTC);
        java.util.Random random = new java.util.Random(20261207);
        long min = Instant.parse("-0100-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(min + Math.floorMod(random.nextLong(), max - min),
                    random.nextInt(1_000_000_000));
            assertEquals(formatter.format(t), SqlTime.format(t), t.toString());
        }
        for (String edge : new String[] {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
                "2024-02-29T12:00:00.001Z", "1969-12-31T23:59:59.999Z"}) {
            Instant t = Instant.parse(edge);
            assertEquals(formatter.format(t), SqlTime.format(t), edge);
        }
    }
}
