package dev.mcphealth.infrastructure.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.domain.model.HealthStatus;
import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void percentilesAreNearestRank() {
        Summary s = new Summary();
        for (int v = 100; v >= 1; v--) { // out of order on purpose
            s.add(v, HealthStatus.HEALTHY);
        }
        assertEquals(100, s.size());
        assertEquals(1, s.min());
        assertEquals(100, s.max());
        assertEquals(50.5, s.mean());
        assertEquals(50, s.percentile(50));
        assertEquals(95, s.percentile(95));
        assertEquals(99, s.percentile(99));
    }

    @Test
    void fewValuesRoundTheRankUp() {
        Summary s = new Summary();
        s.add(30, null);
        s.add(5, HealthStatus.CRITICAL);
        s.add(12, HealthStatus.WARNING);
        assertEquals(12, s.percentile(50)); // rank ceil(1.5) = 2
        assertEquals(30, s.percentile(95)); // rank ceil(2.85) = 3
        assertEquals(HealthStatus.CRITICAL, s.worst());
        Summary twenty = new Summary();
        for (int v = 1; v <= 20; v++) {
            twenty.add(v, null);
        }
        assertEquals(19, twenty.percentile(95)); // rank 19: 95% of 20 values, computed in integers
        assertEquals(HealthStatus.HEALTHY, twenty.worst());
        Summary thirtyTwo = new Summary();
        for (int v = 1; v <= 32; v++) {
            thirtyTwo.add(v, null);
        }
        assertEquals(31, thirtyTwo.percentile(95)); // rank ceil(30.4) = 31: up, never to the nearest
    }
}
