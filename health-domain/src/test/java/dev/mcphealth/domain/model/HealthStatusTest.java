package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HealthStatusTest {

    @Test
    void worstOfNoneIsHealthy() {
        assertEquals(HealthStatus.HEALTHY, HealthStatus.worstOf(List.of()));
    }

    @Test
    void worstOfPicksTheWorstWhateverTheOrder() {
        assertEquals(HealthStatus.OFFLINE, HealthStatus.worstOf(
                List.of(HealthStatus.WARNING, HealthStatus.OFFLINE, HealthStatus.CRITICAL, HealthStatus.HEALTHY)));
        assertEquals(HealthStatus.CRITICAL, HealthStatus.worstOf(
                List.of(HealthStatus.CRITICAL, HealthStatus.WARNING, HealthStatus.HEALTHY)));
        assertEquals(HealthStatus.WARNING, HealthStatus.worstOf(Set.of(HealthStatus.HEALTHY, HealthStatus.WARNING)));
        assertEquals(HealthStatus.HEALTHY, HealthStatus.worstOf(List.of(HealthStatus.HEALTHY, HealthStatus.HEALTHY)));
    }

    @Test
    void orderIsHealthyWarningCriticalOffline() {
        assertTrue(HealthStatus.WARNING.isWorseThan(HealthStatus.HEALTHY));
        assertTrue(HealthStatus.CRITICAL.isWorseThan(HealthStatus.WARNING));
        assertTrue(HealthStatus.OFFLINE.isWorseThan(HealthStatus.CRITICAL));
        assertFalse(HealthStatus.WARNING.isWorseThan(HealthStatus.WARNING));
        assertFalse(HealthStatus.HEALTHY.isWorseThan(HealthStatus.OFFLINE));
    }
}
