package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations as people type them, and the ones no clock or database could hold, refused in words. */
class DurationsTest {
    @Test
    void partsAddUp() {
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofDays(2).plusSeconds(5), Durations.parse("2d5s"));
    }

    @Test
    void aHundredYearsIsTheLongest() {
        assertEquals(Durations.MAX, Durations.parse("36500d"));
        for (String tooLong : new String[] {"36501d", "10000000000000000s", "9223372036854775807s",
                "99999999999999999999s", "36500d1s"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(tooLong),
                    tooLong);
            assertTrue(e.getMessage().startsWith("duration \"" + tooLong + "\" is too long"), e.getMessage());
        }
    }

    @Test
    void nothingAndNonsenseAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("0s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5 minutes"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
    }
}
