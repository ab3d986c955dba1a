package dev.mcphealth.infrastructure.events;

import static dev.mcphealth.infrastructure.events.SampleEvents.AT;
import static dev.mcphealth.infrastructure.events.SampleEvents.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which events say the orchestrator (here: server "memory") is back, and that every event is passed on regardless. */
class OrchestratorReturnWatchTest {
    private static final ServerId OTHER = ServerId.of("files");

    private static MonitorEvent.StatusChanged status(ServerId server, HealthStatus from, HealthStatus to) {
        return new MonitorEvent.StatusChanged(server, Optional.of(from), to, AT, Optional.empty());
    }

    private static MonitorEvent.RecoverySucceeded recoverySucceeded(ServerId server) {
        return new MonitorEvent.RecoverySucceeded(server, RecoveryAction.RECONNECT, 1, Duration.ofSeconds(12), AT);
    }

    @Test
    void theOrchestratorTurningHealthyOrBeingRecoveredIsItsReturn() {
        OrchestratorReturnWatch watch = new OrchestratorReturnWatch(Optional.of(MEMORY), e -> { });

        assertTrue(watch.isReturn(SampleEvents.recovered()), "critical to healthy");
        assertTrue(watch.isReturn(status(MEMORY, HealthStatus.OFFLINE, HealthStatus.HEALTHY)));
        assertTrue(watch.isReturn(status(MEMORY, HealthStatus.WARNING, HealthStatus.HEALTHY)));
        assertTrue(watch.isReturn(SampleEvents.firstStatus()), "healthy as first seen: calls left waiting may go");
        assertTrue(watch.isReturn(recoverySucceeded(MEMORY)));
    }

    @Test
    void nothingElseIs() {
        OrchestratorReturnWatch watch = new OrchestratorReturnWatch(Optional.of(MEMORY), e -> { });

        List<MonitorEvent> others = List.of(
                SampleEvents.wentCritical(),
                status(MEMORY, HealthStatus.OFFLINE, HealthStatus.WARNING),
                status(MEMORY, HealthStatus.HEALTHY, HealthStatus.WARNING),
                status(OTHER, HealthStatus.OFFLINE, HealthStatus.HEALTHY),
                recoverySucceeded(OTHER),
                new MonitorEvent.RecoveryStarted(MEMORY, RecoveryAction.RESTART, 1, AT),
                new MonitorEvent.RecoveryFailed(MEMORY, RecoveryAction.RESTART, 1,
                        new MonitorEvent.FailureSummary(FailureType.TIMEOUT, "no answer"), AT.plusSeconds(5), AT),
                new MonitorEvent.BreakerChanged(MEMORY, BreakerState.OPEN, BreakerState.HALF_OPEN, "open period over",
                        AT),
                SampleEvents.alertRaised(),
                SampleEvents.alertResolved(),
                SampleEvents.prediction(),
                SampleEvents.drift());
        for (MonitorEvent e : others) {
            assertFalse(watch.isReturn(e), e.toString());
        }
    }

    @Test
    void withoutAnOrchestratorNothingIs() {
        OrchestratorReturnWatch watch = new OrchestratorReturnWatch(Optional.empty(), e -> { });

        assertFalse(watch.isReturn(SampleEvents.recovered()));
        assertFalse(watch.isReturn(recoverySucceeded(MEMORY)));
    }

    @Test
    void everyEventIsPassedOnAndEachActionRunsOnTheReturnEvenIfAnotherFails() {
        List<MonitorEvent> passedOn = new ArrayList<>();
        OrchestratorReturnWatch watch = new OrchestratorReturnWatch(Optional.of(MEMORY), passedOn::add);
        AtomicInteger woken = new AtomicInteger();
        watch.onReturn(() -> {
            throw new IllegalStateException("a broken action");
        });
        watch.onReturn(woken::incrementAndGet);

        List<MonitorEvent> events = List.of(SampleEvents.wentCritical(), SampleEvents.alertRaised(),
                SampleEvents.recovered(), recoverySucceeded(MEMORY), recoverySucceeded(OTHER));
        events.forEach(watch::publish);

        assertEquals(events, passedOn);
        assertEquals(2, woken.get());
    }
}
