package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void anAlertKeepsItsIdThroughEscalationAndResolution() {
        Alert a = Alert.raise(ServerId.of("mem"), AlertSeverity.WARNING, "slow", T0);
        assertEquals("mem@" + T0.toEpochMilli(), a.id());
        Alert worse = a.escalatedTo(AlertSeverity.CRITICAL, "down");
        assertEquals(a.id(), worse.id());
        assertEquals(AlertSeverity.CRITICAL, worse.severity());
        assertSame(worse, worse.escalatedTo(AlertSeverity.WARNING, "better"), "never de-escalates");
        Alert done = worse.resolvedAt(T0.plusSeconds(5));
        assertTrue(done.resolved());
        assertEquals(a.id(), done.id());
    }

    @Test
    void severityFollowsTheStatus() {
        assertEquals(AlertSeverity.WARNING, AlertSeverity.of(HealthStatus.WARNING));
        assertEquals(AlertSeverity.CRITICAL, AlertSeverity.of(HealthStatus.CRITICAL));
        assertEquals(AlertSeverity.CRITICAL, AlertSeverity.of(HealthStatus.OFFLINE));
        assertThrows(IllegalArgumentException.class, () -> AlertSeverity.of(HealthStatus.HEALTHY));
    }

    @Test
    void anAlertIsNotResolvedBeforeItWasRaised() {
        assertThrows(IllegalArgumentException.class, () -> new Alert("x", ServerId.of("mem"), AlertSeverity.WARNING,
                "m", T0, Optional.of(T0.minusSeconds(1))));
    }
}
