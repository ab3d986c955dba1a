package dev.mcphealth.application.routing;

import static dev.mcphealth.application.testkit.FailoverRig.START;
import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.CoordinateFailoverUseCase;
import dev.mcphealth.application.testkit.FailoverRig;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StandbyChanged;
import dev.mcphealth.domain.model.StandbyPhase;
import dev.mcphealth.domain.model.StandbyTransition;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.routing.Balancing;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * A pool with a standby instance, wired as the composition root wires it, on a test clock over a fake fleet: the
 * standby is never started, probed, called or restarted while cold; it is warmed when the pool's only active instance
 * is down and serves until that one is back, then cooled and stopped; and it is warmed ahead of a surge hour the pool's
 * profile learned, takes a share of the calls through it, and is cooled after.
 */
class StandbyPoolTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final ServerType SEARCH = ServerType.of("search");

    private static MonitoredServer server(String name) {
        return aServer().named(name).ofType("search").every(SECOND).recovering(3, Duration.ofSeconds(10)).build();
    }

    private static String servedBy(CallToolUseCase.Result r) {
        return r instanceof CallToolUseCase.Served s ? s.servedBy().value() : "-";
    }

    private static StatusSnapshot status(FailoverRig rig, String name) {
        return rig.monitor.board().snapshot().stream().filter(s -> s.server().equals(ServerId.of(name)))
                .findFirst().orElseThrow();
    }

    private static List<String> changes(FailoverRig rig) {
        return rig.events(StandbyChanged.class).stream()
                .map(e -> e.server().value() + " " + e.change().code() + " at " + Duration.between(START, e.at()).toSeconds()).toList();
    }

    @Test
    void aColdStandbyStandsInWhenThePoolsOnlyActiveInstanceIsDownAndIsStoppedOnceItIsBack() {
        FailoverRig rig = FailoverRig.withStandby(FailoverRig.STICKY, List.of("b"), server("a"), server("b"))
                .started();
        for (int i = 0; i < 20; i++) {
            assertEquals("a", servedBy(rig.call("search")));
            rig.second();
        }
        assertEquals(0, rig.fleet.starts("b"), "a cold standby is never started");
        assertTrue(rig.fleet.requests().stream().noneMatch(r -> r.server().equals(ServerId.of("b"))),
                "never probed nor called");
        assertEquals("cold", status(rig, "b").details().get("standby"));
        assertTrue(status(rig, "b").status().isEmpty());
        rig.coordinator.coordinate(new CoordinateFailoverUseCase.Command(SEARCH, FailureType.CONNECTION_ERROR,
                CoordinateFailoverUseCase.Strategy.RESTART, Optional.empty()));
        assertEquals(0, rig.fleet.starts("b"), "a restart by hand of the pool leaves a cold standby alone");

        rig.kill("a"); // and it stays dead until revived
        long killedAt = rig.elapsed().toSeconds();
        long servedByB = -1;
        while (rig.elapsed().toSeconds() < killedAt + 60) {
            if (servedBy(rig.call("search")).equals("b")) {
                servedByB = rig.elapsed().toSeconds();
                break;
            }
            rig.second();
        }
        assertTrue(servedByB > 0, "the standby served within a minute: " + changes(rig));
        assertTrue(servedByB - killedAt <= 10, "warmed when the monitor saw a down, served from its first good"
                + " probe: " + (servedByB - killedAt) + " s, " + changes(rig));
        assertEquals(List.of(StandbyTransition.WARM_UP, StandbyTransition.READY), rig.events(StandbyChanged.class)
                .stream().map(StandbyChanged::change).toList());
        assertEquals("no active instance of the pool is usable", rig.events(StandbyChanged.class).get(0).reason());
        assertEquals("warm", status(rig, "b").details().get("standby"));

        rig.fleet.revive("a");
        Instant ready = rig.events(StandbyChanged.class).get(1).at();
        rig.until(Duration.between(START, ready).plus(Duration.ofMinutes(15)));
        List<StandbyChanged> all = rig.events(StandbyChanged.class);
        assertEquals(3, all.size(), changes(rig).toString());
        StandbyChanged cooled = all.get(2);
        assertEquals(StandbyTransition.COOL, cooled.change());
        assertTrue(!cooled.at().isBefore(ready.plus(dev.mcphealth.domain.learning.Prewarm.STAY)),
                "in service for its stay: " + changes(rig));
        java.time.Instant aBack = rig.events(dev.mcphealth.domain.model.MonitorEvent.StatusChanged.class).stream()
                .filter(c -> c.server().equals(ServerId.of("a")) && c.at().isAfter(ready)
                        && c.to() != dev.mcphealth.domain.model.HealthStatus.CRITICAL
                        && c.to() != dev.mcphealth.domain.model.HealthStatus.OFFLINE)
                .map(dev.mcphealth.domain.model.MonitorEvent.StatusChanged::at).findFirst().orElseThrow();
        assertTrue(!cooled.at().isBefore(aBack.plus(dev.mcphealth.domain.learning.Prewarm.STAY).minusSeconds(1)),
                "and for the stay after the pool stopped wanting it (" + aBack + "): " + changes(rig));
        assertFalse(rig.fleet.isOpen(ServerId.of("b")), "its session closed: the process stopped");
        assertEquals("cold", status(rig, "b").details().get("standby"));
        assertTrue(status(rig, "b").status().isEmpty(), "what was seen of it is forgotten");
        assertTrue(status(rig, "b").sla().isEmpty(), "a cold spell is neither up nor down: "
                + status(rig, "b").uptime());
        int starts = rig.fleet.starts("b");
        for (int i = 0; i < 30; i++) {
            assertEquals("a", servedBy(rig.call("search")), "calls back on the active instance");
            rig.second();
        }
        assertEquals(starts, rig.fleet.starts("b"), "cold again: not started by probes");
    }

    @Test
    void aSurgeHourTheProfileLearnedWarmsTheStandbyAheadSpreadsCallsOverItAndCoolsItAfter() {
        ResilienceSettings p2c = ResilienceSettings.DEFAULTS.withBalancing(Map.of(), Balancing.P2C);
        FailoverRig rig = FailoverRig.withStandby(p2c, List.of("b"), server("a"), server("b")).started();
        rig.profiles = Map.of(SEARCH, learnedWithSurgeAt(START.plus(Duration.ofHours(1))));
        rig.until(Duration.ofMinutes(30));
        for (int i = 0; i < 200; i++) {
            assertEquals("a", servedBy(rig.call("search")), "a balanced pool sends nothing to a cold standby");
        }
        rig.until(Duration.ofMinutes(49));
        assertEquals(0, rig.fleet.starts("b"), "cold until the surge's lead");
        rig.until(Duration.ofMinutes(52));
        assertEquals(List.of("b warm_up at 3000", "b ready at 3001"), changes(rig));
        assertTrue(rig.events(StandbyChanged.class).get(0).reason().startsWith("ahead: Mon 11:00 usually brings"),
                rig.events(StandbyChanged.class).get(0).reason());
        rig.until(Duration.ofMinutes(70));
        int toB = 0;
        for (int i = 0; i < 200; i++) {
            toB += servedBy(rig.call("search")).equals("b") ? 1 : 0;
        }
        assertTrue(toB > 40 && toB < 160, "the surge's calls spread over both: " + toB + " of 200 to b");
        rig.until(Duration.ofMinutes(125));
        assertEquals(List.of("b warm_up at 3000", "b ready at 3001"), changes(rig),
                "kept for the stay after the surge hour: the want dropped at 7200 s");
        rig.until(Duration.ofMinutes(131));
        assertEquals(List.of("b warm_up at 3000", "b ready at 3001", "b cool at 7799"), changes(rig));
        assertEquals(StandbyPhase.COLD, rig.standby.entry(ServerId.of("b")).orElseThrow().phase());
        assertFalse(rig.fleet.isOpen(ServerId.of("b")));
    }

    @Test
    void aStandbyThatCannotStartIsPassedOverForTheNextAndNoneIsStartedByHand() {
        FailoverRig rig = FailoverRig.withStandby(FailoverRig.STICKY, List.of("b", "c"), server("a"), server("b"),
                server("c")).started();
        rig.seconds(5);
        var byHand = new dev.mcphealth.application.recovery.RecoverServerService(
                new dev.mcphealth.application.testkit.FixedCatalog(rig.servers.toArray(MonitoredServer[]::new)),
                rig.recovery, rig.clock, rig.standby).recover(ServerId.of("b"));
        assertFalse(byHand.ran(), byHand.detail());
        assertTrue(byHand.detail().contains("standby instance, cold"), byHand.detail());
        assertEquals(0, rig.fleet.starts("b"), "not started by hand");

        rig.fleet.kill("b"); // b cannot start either
        rig.kill("a");
        long killedAt = rig.elapsed().toSeconds();
        long servedByC = -1;
        while (rig.elapsed().toSeconds() < killedAt + 60) {
            if (servedBy(rig.call("search")).equals("c")) {
                servedByC = rig.elapsed().toSeconds();
                break;
            }
            rig.second();
        }
        assertTrue(servedByC > 0, "c stood in for the broken b: " + changes(rig));
        assertEquals(List.of("b warm_up", "c warm_up", "c ready"), rig.events(StandbyChanged.class).stream()
                .map(e -> e.server().value() + " " + e.change().code()).toList());
    }

    @Test
    void whatIsSeenOfAColdStandbyStartsNoRecovery() {
        FailoverRig rig = FailoverRig.withStandby(FailoverRig.STICKY, List.of("b"), server("a"), server("b"))
                .started();
        rig.recovery.failureSeen(ServerId.of("b"), FailureType.CONNECTION_ERROR, "a call drained at the cooling");
        assertTrue(rig.recovery.episode(ServerId.of("b")).isEmpty(), "no episode, so no attempt starts it");
        assertTrue(rig.recovery.nextDue().isEmpty(), "nothing to wake for");
        rig.seconds(30);
        assertEquals(0, rig.fleet.starts("b"));
    }

    /** Three weeks at 10 calls a minute, the hour at {@code surge} (a Monday) at 40. */
    private static UsageProfile learnedWithSurgeAt(Instant surge) {
        UsageProfile p = new UsageProfile();
        Duration minute = Duration.ofMinutes(1);
        Instant from = surge.minus(Duration.ofDays(21)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        int surgeHour = dev.mcphealth.domain.learning.HourOfWeek.of(surge, ZoneOffset.UTC).index();
        for (Instant t = from; t.isBefore(from.plus(Duration.ofDays(21))); t = t.plus(minute)) {
            boolean inSurge = dev.mcphealth.domain.learning.HourOfWeek.of(t, ZoneOffset.UTC).index() == surgeHour;
            p.observe(t, ZoneOffset.UTC, new UsageProfile.Minute(inSurge ? 40 : 10, 0, OptionalDouble.of(20),
                    OptionalDouble.of(40)));
        }
        return p;
    }
}
