package dev.mcphealth.application.recovery;

import dev.mcphealth.application.testkit.FailoverRig;
import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.TestServers;

import static dev.mcphealth.application.testkit.FailoverRig.START;
import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.ReadRecoveryStatusUseCase.Attempts;
import dev.mcphealth.application.port.in.ReadRecoveryStatusUseCase.RecoveryState;
import dev.mcphealth.application.port.in.UnknownServerException;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.TransportKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Recovery's standing per instance, beside a running monitor (the failover rig), on a test clock. */
class ReadRecoveryStatusServiceTest {
    private static final MonitoredServer S1 = aServer().named("s1").ofType("search").every(Duration.ofSeconds(1))
            .recovering(3, Duration.ofSeconds(10)).build();
    private static final MonitoredServer H1 = aServer().named("h1").ofType("fetch")
            .over(TransportKind.STREAMABLE_HTTP).every(Duration.ofSeconds(1)).build();

    private static ReadRecoveryStatusService service(FailoverRig rig) {
        return new ReadRecoveryStatusService(new FixedCatalog(rig.servers.toArray(MonitoredServer[]::new)),
                rig.monitor.board(), rig.recovery, rig.breakers);
    }

    private static RecoveryState of(List<RecoveryState> states, String server) {
        return states.stream().filter(s -> s.server().value().equals(server)).findFirst().orElseThrow();
    }

    @Test
    void everyInstanceInNameOrderWithWhatRecoveryDoesForIt() {
        FailoverRig rig = new FailoverRig(S1, H1).started();

        List<RecoveryState> states = service(rig).read(Optional.empty());

        assertEquals(List.of("h1", "s1"), states.stream().map(s -> s.server().value()).toList());
        RecoveryState s1 = of(states, "s1");
        assertEquals(ServerType.of("search"), s1.type());
        assertEquals(RecoveryAction.RESTART, s1.action());
        assertEquals(Optional.of(HealthStatus.HEALTHY), s1.status());
        assertEquals(BreakerState.CLOSED, s1.breaker());
        assertEquals(Optional.empty(), s1.episode());
        assertFalse(s1.attempting());
        assertEquals(Attempts.NONE, s1.attempts());
        assertEquals(RecoveryAction.RECONNECT, of(states, "h1").action());
    }

    @Test
    void beforeTheFirstProbeThereIsNoStatus() {
        FailoverRig rig = new FailoverRig(S1);
        assertEquals(Optional.empty(), service(rig).read(Optional.empty()).get(0).status());
    }

    @Test
    void aDeadServerShowsItsEpisodeItsStatusAndItsAttempts() {
        FailoverRig rig = new FailoverRig(S1, H1).started();
        rig.kill("s1");
        rig.seconds(3);

        RecoveryState s1 = service(rig).read(Optional.of(S1.id())).get(0);

        assertEquals(Optional.of(HealthStatus.OFFLINE), s1.status(), "three failed probes in a row");
        assertEquals(START, s1.episode().orElseThrow().startedAt());
        assertEquals(1, s1.episode().orElseThrow().attempts());
        assertEquals(new Attempts(1, 0, 1, Optional.of(START), Optional.of(false), 0, Optional.empty()),
                s1.attempts());

        rig.fleet.revive("s1");
        rig.until(Duration.ofSeconds(11));
        Attempts after = service(rig).read(Optional.of(S1.id())).get(0).attempts();
        assertEquals(2, after.made());
        assertEquals(1, after.succeeded());
        assertEquals(Optional.of(true), after.lastSucceeded());
        assertEquals(Optional.of(Duration.ofSeconds(10)), after.mttr());
    }

    @Test
    void theBreakerIsTheBreakerPortsState() {
        FailoverRig rig = new FailoverRig(S1, H1).started();
        for (int i = 0; i < 3; i++) {
            rig.breakers.failed(H1.id(), Duration.ofMillis(5), FailureType.SERVER_ERROR);
        }
        List<RecoveryState> states = service(rig).read(Optional.empty());
        assertEquals(BreakerState.OPEN, of(states, "h1").breaker());
        assertEquals(BreakerState.CLOSED, of(states, "s1").breaker());
    }

    @Test
    void anAttemptHandedOutToTheSchedulerIsAttempting() {
        FailoverRig rig = new FailoverRig(S1).started();
        rig.fleet.kill("s1"); // the session loss starts an episode; its attempt is due, not yet run
        assertEquals(List.of(S1.id()), rig.recovery.due(1));

        RecoveryState s1 = service(rig).read(Optional.of(S1.id())).get(0);
        assertTrue(s1.attempting());
        assertTrue(s1.episode().isPresent());
    }

    @Test
    void oneNamedInstanceOrAnUnknownOneRefused() {
        FailoverRig rig = new FailoverRig(S1, H1).started();
        assertEquals(List.of(H1.id()), service(rig).read(Optional.of(H1.id())).stream()
                .map(RecoveryState::server).toList());

        UnknownServerException e = assertThrows(UnknownServerException.class,
                () -> service(rig).read(Optional.of(ServerId.of("zeta"))));
        assertEquals("unknown server zeta; configured: h1, s1", e.getMessage());
    }
}
