package dev.mcphealth.domain.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class CallTimeoutTest {
    private static final Duration CEILING = Duration.ofSeconds(30);
    private static final long MS = 1_000_000L;

    @Test
    void aToolOfKnownLatencyWaitsEightTimesItsP99AtLeastTheFloorAtMostTheCeiling() {
        assertEquals(Duration.ofSeconds(5), CallTimeout.of(CEILING, 20, 40 * MS), "8 x 40 ms is under the floor");
        assertEquals(Duration.ofSeconds(16), CallTimeout.of(CEILING, 500, 2_000 * MS));
        assertEquals(CEILING, CallTimeout.of(CEILING, 500, 10_000 * MS), "8 x 10 s is over the ceiling");
        assertEquals(Duration.ofSeconds(2), CallTimeout.of(Duration.ofSeconds(2), 500, 40 * MS),
                "a ceiling under the floor is the ceiling");
    }

    @Test
    void aToolOfUnknownLatencyWaitsTheCeiling() {
        assertEquals(CEILING, CallTimeout.of(CEILING, 19, 40 * MS), "too few answered calls");
        assertEquals(CEILING, CallTimeout.of(CEILING, 100, -1), "none answered");
        assertThrows(IllegalArgumentException.class, () -> CallTimeout.of(Duration.ZERO, 100, MS));
    }

    @Property
    void theTimeoutIsNeverOverTheCeilingNorUnderTheFloorOrCeiling(
            @ForAll @LongRange(min = 1, max = 3_600_000) long ceilingMs, @ForAll @LongRange(min = 0, max = 10_000)
            long answered, @ForAll @LongRange(min = -1, max = Long.MAX_VALUE / 2) long p99Nanos) {
        Duration ceiling = Duration.ofMillis(ceilingMs);
        Duration t = CallTimeout.of(ceiling, answered, p99Nanos);
        assertTrue(t.compareTo(ceiling) <= 0, t + " over " + ceiling);
        Duration floor = CallTimeout.FLOOR.compareTo(ceiling) < 0 ? CallTimeout.FLOOR : ceiling;
        assertTrue(t.compareTo(floor) >= 0, t + " under " + floor);
        if (answered >= CallTimeout.MIN_ANSWERED && p99Nanos > 0 && p99Nanos <= ceiling.toNanos() / CallTimeout.FACTOR) {
            assertTrue(t.toNanos() >= p99Nanos * CallTimeout.FACTOR || t.equals(ceiling), "8 x p99 at least");
        }
    }
}
