package dev.mcphealth.application.recovery;

import dev.mcphealth.application.testkit.FailoverRig;
import dev.mcphealth.application.testkit.FakeFleet;
import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.TestServers;

import static dev.mcphealth.application.testkit.FailoverRig.START;
import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.RecoverServerUseCase.Outcome;
import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.application.port.out.SessionPort;
import dev.mcphealth.application.testkit.FakeBreakers;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.TransportKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RecoverServerServiceTest {
    private static final Duration RESTART_TAKES = Duration.ofSeconds(3);
    private static final MonitoredServer S1 = aServer().named("s1").recovering(3, Duration.ofSeconds(10)).build();
    private static final MonitoredServer H1 = aServer().named("h1").over(TransportKind.STREAMABLE_HTTP).build();

    private final TestClock clock = new TestClock(START);
    private final FakeFleet fleet = new FakeFleet(clock, List.of(S1, H1));
    private final List<MonitorEvent> events = new CopyOnWriteArrayList<>();
    /** The fleet's sessions, where reopening one takes {@link #RESTART_TAKES} of test time. */
    private final SessionPort slowSessions = new SessionPort() {
        @Override
        public Optional<MonitorEvent.FailureSummary> reopen(MonitoredServer server) {
            clock.advance(RESTART_TAKES);
            return fleet.reopen(server);
        }

        @Override
        public void close(ServerId server) {
            fleet.close(server);
        }

        @Override
        public boolean isOpen(ServerId server) {
            return fleet.isOpen(server);
        }

        @Override
        public void onSessionLost(SessionLossListener listener) {
            fleet.onSessionLost(listener);
        }
    };
    private final RecoveryService recovery = new RecoveryService(new FixedCatalog(S1, H1), slowSessions,
            new FakeBreakers(clock, 3, Duration.ofSeconds(30)), events::add, clock, () -> 0.5, Optional.empty(),
                dev.mcphealth.application.catalog.StandbyInstances.NONE, dev.mcphealth.application.port.out.WorkSharePort.ALL);
    private final RecoverServerService service = new RecoverServerService(new FixedCatalog(S1, H1), recovery, clock);

    @Test
    void aRestartThatWorksIsReportedWithItsEventsAndHowLongItTook() {
        fleet.connected("s1");

        Outcome o = service.recover(S1.id());

        assertEquals(S1.id(), o.server());
        assertEquals(RecoveryAction.RESTART, o.action());
        assertTrue(o.ran());
        assertTrue(o.succeeded());
        assertEquals("up again", o.detail());
        assertEquals(RESTART_TAKES, o.took());
        assertEquals(2, o.events().size());
        assertTrue(o.events().get(0) instanceof MonitorEvent.RecoveryStarted);
        assertTrue(o.events().get(1) instanceof MonitorEvent.RecoverySucceeded);
        assertEquals(o.events(), events, "the same events went out");
        assertEquals(1, fleet.reopens("s1"));
    }

    @Test
    void aFailedAttemptSaysWhy() {
        fleet.connected("h1");
        fleet.kill("h1"); // recovery's own first attempt is due; this one runs by hand first

        Outcome o = service.recover(H1.id());

        assertEquals(RecoveryAction.RECONNECT, o.action());
        assertTrue(o.ran());
        assertFalse(o.succeeded());
        assertEquals("connection_error: h1: the process exited at start", o.detail());
        assertTrue(o.events().get(1) instanceof MonitorEvent.RecoveryFailed);
        assertEquals(1, recovery.progress(H1.id()).attempts().failed(), "an attempt of the episode");
    }

    @Test
    void nothingRunsWhileAnAttemptIsAlreadyRunning() {
        recovery.failureSeen(S1.id(), FailureType.CONNECTION_ERROR, "exited");
        assertEquals(List.of(S1.id()), recovery.due(1), "handed out to the scheduler, not yet run");

        Outcome o = service.recover(S1.id());

        assertFalse(o.ran());
        assertFalse(o.succeeded());
        assertEquals("a recovery attempt is already running", o.detail());
        assertEquals(List.of(), o.events());
        assertEquals(Duration.ZERO, o.took());
        assertEquals(0, fleet.reopens("s1"));
    }

    @Test
    void anUnknownServerIsRefused() {
        UnknownServerException e = assertThrows(UnknownServerException.class,
                () -> service.recover(ServerId.of("zeta")));
        assertEquals("unknown server zeta; configured: h1, s1", e.getMessage());
    }
}
