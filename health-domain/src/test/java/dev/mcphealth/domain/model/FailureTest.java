package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailureTest {
    private static final ServerType TYPE = ServerType.of("files");
    private static final MonitoredServer SERVER = new MonitoredServer(ServerId.of("fs"), TYPE, TransportKind.STDIO,
            MonitoredServer.DEFAULT_TIMEOUT, MonitoredServer.DEFAULT_CONNECT_TIMEOUT, Thresholds.DEFAULTS,
            FailoverConfig.defaultsFor(TYPE));
    private static final Instant AT = Instant.parse("2025-03-01T12:00:00Z");

    private static Failure withDetails(String details) {
        return Failure.open(SERVER, FailureType.TIMEOUT, "health_check", details, AT);
    }

    private static Failure resolvedAfter(Optional<Duration> resolution) {
        return new Failure(TYPE, ServerId.of("fs"), FailureType.SERVER_ERROR, "ctx", "boom", RecoveryAction.RESTART,
                resolution, AT, Optional.empty());
    }

    @Test
    void longDetailsAreCutToMaxDetailsWithAnEllipsis() {
        Failure f = withDetails("x".repeat(Failure.MAX_DETAILS + 500));
        assertEquals(Failure.MAX_DETAILS, f.errorDetails().length());
        assertTrue(f.errorDetails().endsWith("…"));
        assertEquals("x".repeat(Failure.MAX_DETAILS - 1), f.errorDetails().substring(0, Failure.MAX_DETAILS - 1));
    }

    @Test
    void detailsOfExactlyMaxDetailsAreKept() {
        String exact = "y".repeat(Failure.MAX_DETAILS);
        assertEquals(exact, withDetails(exact).errorDetails());
        String oneMore = "y".repeat(Failure.MAX_DETAILS + 1);
        assertEquals(Failure.MAX_DETAILS, withDetails(oneMore).errorDetails().length());
    }

    @Test
    void resolvedIsDerivedFromTheResolutionTime() {
        assertFalse(resolvedAfter(Optional.empty()).resolved());
        assertTrue(resolvedAfter(Optional.of(Duration.ZERO)).resolved());
        assertTrue(resolvedAfter(Optional.of(Duration.ofMinutes(3))).resolved());
    }

    @Test
    void negativeResolutionTimeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> resolvedAfter(Optional.of(Duration.ofSeconds(-1))));
    }

    @Test
    void blankContextOrDetailsAreRefused() {
        assertEquals("errorDetails must not be blank",
                assertThrows(IllegalArgumentException.class, () -> withDetails(" ")).getMessage());
        assertEquals("taskContext must not be blank", assertThrows(IllegalArgumentException.class,
                () -> Failure.open(SERVER, FailureType.TIMEOUT, "", "d", AT)).getMessage());
    }

    @Test
    void openIsAnUnresolvedFailureWithNothingDoneYet() {
        Failure f = withDetails("no answer");
        assertEquals(TYPE, f.serverType());
        assertEquals(ServerId.of("fs"), f.serverInstance());
        assertEquals(FailureType.TIMEOUT, f.type());
        assertEquals(RecoveryAction.NONE, f.recoveryAction());
        assertEquals(AT, f.occurredAt());
        assertFalse(f.resolved());
        assertEquals(Optional.empty(), f.orchestratorRecoveryTaskId());
    }
}
