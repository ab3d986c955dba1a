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
}
