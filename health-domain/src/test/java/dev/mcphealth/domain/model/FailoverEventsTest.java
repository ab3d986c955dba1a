package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The breaker, recovery and failover events of {@link MonitorEvent}: what they accept, refuse and are called. */
class FailoverEventsTest {
    private static final ServerId S = ServerId.of("fs");
    private static final ServerId OTHER = ServerId.of("fs-2");
    private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");
    private static final MonitorEvent.FailureSummary GONE = new MonitorEvent.FailureSummary(
            FailureType.CONNECTION_ERROR, "process exited with 1");

    private static String refused(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void eachEventHasItsKindServerAndTime() {
        List<MonitorEvent> events = List.of(
                new MonitorEvent.BreakerChanged(S, BreakerState.CLOSED, BreakerState.OPEN, "5 failures in a row", AT),
                new MonitorEvent.RecoveryStarted(S, RecoveryAction.RESTART, 1, AT),
                new MonitorEvent.RecoverySucceeded(S, RecoveryAction.RECONNECT, 2, Duration.ofSeconds(31), AT),
                new MonitorEvent.RecoveryFailed(S, RecoveryAction.RESTART, 1, GONE, AT.plusSeconds(30), AT),
                new MonitorEvent.RecoveryExhausted(S, 3, AT.plusSeconds(300), AT),
                new MonitorEvent.FailedOver(ServerType.of("files"), S, OTHER, "fs is offline", AT));
        assertEquals(List.of("breaker", "recovery_started", "recovery_succeeded", "recovery_failed",
                "recovery_exhausted", "failover"), events.stream().map(MonitorEvent::kind).toList());
        events.forEach(e -> assertEquals(S, e.server(), e.kind()));
        events.forEach(e -> assertEquals(AT, e.at(), e.kind()));
    }

    @Test
    void aBreakerChangeChangesTheStateAndSaysWhy() {
        assertEquals("a breaker change changes the state", refused(() -> new MonitorEvent.BreakerChanged(S,
                BreakerState.OPEN, BreakerState.OPEN, "again", AT)));
        assertEquals("reason must not be blank", refused(() -> new MonitorEvent.BreakerChanged(S,
                BreakerState.OPEN, BreakerState.HALF_OPEN, " ", AT)));
        assertThrows(NullPointerException.class, () -> new MonitorEvent.BreakerChanged(S, null, BreakerState.OPEN,
                "x", AT));
        assertThrows(NullPointerException.class, () -> new MonitorEvent.BreakerChanged(S, BreakerState.OPEN,
                BreakerState.CLOSED, "x", null));
        assertDoesNotThrow(() -> new MonitorEvent.BreakerChanged(S, BreakerState.HALF_OPEN, BreakerState.CLOSED,
                "trial call succeeded", AT));
    }

    @Test
    void aRecoveryAttemptRestartsOrReconnectsAndCountsFromOne() {
        for (RecoveryAction bad : new RecoveryAction[] {RecoveryAction.NONE, RecoveryAction.FAILOVER, null}) {
            assertEquals("a recovery attempt restarts or reconnects, got " + bad,
                    refused(() -> new MonitorEvent.RecoveryStarted(S, bad, 1, AT)));
            refused(() -> new MonitorEvent.RecoverySucceeded(S, bad, 1, Duration.ZERO, AT));
            refused(() -> new MonitorEvent.RecoveryFailed(S, bad, 1, GONE, AT, AT));
        }
        assertEquals("attempts count from 1, got 0",
                refused(() -> new MonitorEvent.RecoveryStarted(S, RecoveryAction.RESTART, 0, AT)));
        refused(() -> new MonitorEvent.RecoverySucceeded(S, RecoveryAction.RESTART, 0, Duration.ZERO, AT));
        refused(() -> new MonitorEvent.RecoveryFailed(S, RecoveryAction.RESTART, -1, GONE, AT, AT));
        assertDoesNotThrow(() -> new MonitorEvent.RecoveryStarted(S, RecoveryAction.RECONNECT, 100, AT));
    }

    @Test
    void aRecoveryTakesZeroOrMoreTime() {
        assertEquals("resolution must be zero or more, got PT-1S", refused(() -> new MonitorEvent.RecoverySucceeded(S,
                RecoveryAction.RESTART, 1, Duration.ofSeconds(-1), AT)));
        refused(() -> new MonitorEvent.RecoverySucceeded(S, RecoveryAction.RESTART, 1, null, AT));
        assertDoesNotThrow(() -> new MonitorEvent.RecoverySucceeded(S, RecoveryAction.RESTART, 1, Duration.ZERO, AT));
    }

    @Test
    void aFailedAttemptSaysWhyAndWhenTheNextComes() {
        assertThrows(NullPointerException.class, () -> new MonitorEvent.RecoveryFailed(S, RecoveryAction.RESTART, 1,
                null, AT, AT));
        assertThrows(NullPointerException.class, () -> new MonitorEvent.RecoveryFailed(S, RecoveryAction.RESTART, 1,
                GONE, null, AT));
        assertEquals("message must not be blank", refused(() -> new MonitorEvent.FailureSummary(FailureType.TIMEOUT,
                "")));
    }

    @Test
    void anExhaustedEpisodeMayHaveHadNoAttemptButAlwaysHasANextRetry() {
        assertDoesNotThrow(() -> new MonitorEvent.RecoveryExhausted(S, 0, AT.plusSeconds(300), AT),
                "maxRetryAttempts 0");
        assertEquals("attempts cannot be negative: -1",
                refused(() -> new MonitorEvent.RecoveryExhausted(S, -1, AT, AT)));
        assertThrows(NullPointerException.class, () -> new MonitorEvent.RecoveryExhausted(S, 3, null, AT));
    }

    @Test
    void aFailoverMovesToAnotherInstance() {
        assertEquals("a failover moves to another instance, both are fs", refused(() -> new MonitorEvent.FailedOver(
                ServerType.of("files"), S, S, "x", AT)));
        assertEquals("reason must not be blank", refused(() -> new MonitorEvent.FailedOver(ServerType.of("files"), S,
                OTHER, null, AT)));
        assertThrows(NullPointerException.class, () -> new MonitorEvent.FailedOver(null, S, OTHER, "x", AT));
        assertThrows(NullPointerException.class, () -> new MonitorEvent.FailedOver(ServerType.of("files"), S, null,
                "x", AT));
    }
}
