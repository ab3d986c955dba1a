package dev.mcphealth.application.routing;

import dev.mcphealth.application.testkit.FailoverRig;
import dev.mcphealth.application.testkit.TestServers;

import static dev.mcphealth.application.testkit.FailoverRig.START;
import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.ListToolsUseCase;
import dev.mcphealth.application.port.in.NoHealthyInstanceException;
import dev.mcphealth.application.port.in.UnknownServerTypeException;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.FallbackStrategy;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.ToolHints;
import dev.mcphealth.domain.model.ToolSpec;
import dev.mcphealth.domain.model.TransportKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The design's error scenarios, simulated on a test clock over a {@link FakeFleet}: monitoring rounds, recovery
 * attempts and a client calling in a loop, a second at a time, never sleeping.
 */
class FailoverScenariosTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Pattern UNAVAILABLE = Pattern.compile("(\\S+): no healthy instance; retry after (\\d+) s");

    private static MonitoredServer stdio(String name, String type) {
        return aServer().named(name).ofType(type).every(SECOND).recovering(3, Duration.ofSeconds(10)).build();
    }

    private static ServerId id(String name) {
        return ServerId.of(name);
    }

    private static long at(Instant t) {
        return Duration.between(START, t).toSeconds();
    }

    /** Whatever a result says, the instance that served it, or "-". */
    private static String servedBy(CallToolUseCase.Result r) {
        return r instanceof CallToolUseCase.Served s ? s.servedBy().value() : "-";
    }

    // ---- cascading_server_failures ----------------------------------------------------------------------------

    @Test
    void cascadingServerFailures() {
        FailoverRig rig = new FailoverRig(stdio("s1", "search"), stdio("s2", "search"), stdio("s3", "search"))
                .started();
        int served = 0;
        int unavailable = 0;
        while (rig.elapsed().compareTo(Duration.ofSeconds(120)) < 0) {
            long t = rig.elapsed().toSeconds();
            if (t == 10) {
                rig.kill("s1");
            } else if (t == 20) {
                rig.kill("s2");
            } else if (t == 30) {
                rig.kill("s3");
            } else if (t == 45) {
                rig.fleet.revive("s3");
            }
            for (int i = 0; i < 3; i++) {
                boolean anyUp = rig.fleet.anyOpen("s1", "s2", "s3");
                Duration busyBefore = rig.fleet.busy();
                CallToolUseCase.Result r = rig.call("search");
                assertTrue(rig.fleet.busy().minus(busyBefore).compareTo(Duration.ofSeconds(1)) < 0,
                        "no call hangs (at " + t + " s)");
                if (anyUp) {
                    assertInstanceOf(CallToolUseCase.Served.class, r, "an instance is up at " + t + " s: " + r);
                    served++;
                } else {
                    CallToolUseCase.Unavailable u = assertInstanceOf(CallToolUseCase.Unavailable.class, r,
                            "every instance is down at " + t + " s: fail fast, " + r);
                    Matcher m = UNAVAILABLE.matcher(u.message());
                    assertTrue(m.matches(), u.message());
                    assertEquals("search", m.group(1));
                    long n = Long.parseLong(m.group(2));
                    assertEquals(Math.max(1, (u.retryAfter().toMillis() + 999) / 1000), n, u.message());
                    assertTrue(n >= 1 && n <= 30, "a retry hint within the backoff: " + u.message());
                    unavailable++;
                }
            }
            rig.second();
        }
        assertTrue(served > 0 && unavailable > 0, served + " served, " + unavailable + " unavailable");
        assertEquals(List.of(10L, 20L, 40L), rig.attemptSeconds("s1"), "backed off, then retried slowly");
        assertEquals(List.of(20L, 30L, 50L), rig.attemptSeconds("s2"));
        assertEquals(List.of(30L, 40L, 60L), rig.attemptSeconds("s3"), "s3 is back at its third attempt");
        assertTrue(rig.fleet.anyOpen("s3"));
        List<String> moves = rig.events(MonitorEvent.FailedOver.class).stream()
                .map(f -> f.from().value() + ">" + f.to().value()).toList();
        assertEquals(List.of("s1>s2", "s2>s3"), moves.subList(0, 2), moves.toString());
    }

    // ---- recovery_loop_prevention -----------------------------------------------------------------------------

    @Test
    void recoveryLoopPrevention() {
        FailoverRig rig = new FailoverRig(stdio("s1", "loop")).started();
        rig.seconds(10);
        rig.fleet.crashAfterReopen("s1", SECOND);
        rig.recovery.runDue();
        rig.until(Duration.ofHours(1));

        List<Long> expected = new ArrayList<>(List.of(10L, 21L, 42L));
        for (long t = 43 + 300; t <= 3600; t += 301) {
            expected.add(t);
        }
        assertEquals(expected, rig.attemptSeconds("s1"),
                "restart, die 1 s later, back off 10 s, 20 s, then one restart per slow retry");
        int restarts = rig.fleet.reopens("s1");
        assertTrue(restarts <= 3 + 3600 / 300 + 1, restarts + " restarts in an hour");
        assertEquals(restarts + 1, rig.fleet.starts("s1"), "no probe or call restarted it behind recovery's back");

        List<MonitorEvent.RecoveryExhausted> exhausted = rig.events(MonitorEvent.RecoveryExhausted.class);
        assertEquals(1, exhausted.size(), "a crash loop exhausts its attempts too, and says so once");
        assertEquals(3, exhausted.get(0).attempts());
        assertTrue(rig.openAlert("s1").orElseThrow().message().contains("recovery exhausted"),
                rig.openAlert("s1").orElseThrow().message());
    }

    // ---- network_partition_handling ---------------------------------------------------------------------------

    @Test
    void networkPartitionHandling() {
        MonitoredServer h1 = aServer().named("h1").ofType("api").over(TransportKind.STREAMABLE_HTTP).every(SECOND)
                .recovering(5, Duration.ofSeconds(5)).build();
        MonitoredServer h2 = aServer().named("h2").ofType("api").over(TransportKind.STREAMABLE_HTTP).every(SECOND)
                .recovering(5, Duration.ofSeconds(5)).build();
        FailoverRig rig = new FailoverRig(h1, h2).started();
        List<String> servedBy = new ArrayList<>();
        while (rig.elapsed().compareTo(Duration.ofSeconds(200)) < 0) {
            if (rig.elapsed().toSeconds() == 10) {
                rig.fleet.partition("h1", Duration.ofSeconds(40));
                rig.recovery.runDue();
            }
            Duration busyBefore = rig.fleet.busy();
            servedBy.add(servedBy(rig.call("api")));
            assertTrue(rig.fleet.busy().minus(busyBefore).compareTo(Duration.ofSeconds(1)) < 0,
                    "no call waits on the partitioned host (at " + rig.elapsed().toSeconds() + " s)");
            rig.second();
        }

        assertEquals(List.of(10L, 15L, 25L, 45L), rig.attemptSeconds("h1"),
                "reconnects on the backoff (5, 10, 20 s) while the partition lasts");
        assertTrue(rig.events(MonitorEvent.RecoveryStarted.class).stream()
                .allMatch(e -> e.action() == dev.mcphealth.domain.model.RecoveryAction.RECONNECT));
        MonitorEvent.RecoverySucceeded ok = rig.events(MonitorEvent.RecoverySucceeded.class).get(0);
        assertTrue(at(ok.at()) >= 50 && at(ok.at()) <= 52, "a probe reconnected within an interval or two of the"
                + " partition's end (50 s), not at the next backoff attempt (85 s): " + at(ok.at()));
        assertEquals(5, ok.attempt());
        assertEquals(dev.mcphealth.domain.model.RecoveryAction.RECONNECT, ok.action());
        assertEquals(List.of(), rig.events(MonitorEvent.RecoveryExhausted.class));
        assertTrue(rig.recovery.episode(id("h1")).isEmpty(), "the episode ended after sustained uptime");
        assertTrue(rig.openAlert("h1").isEmpty(), "the alert is resolved");
        assertTrue(servedBy.stream().noneMatch("-"::equals), "every call was served: " + servedBy);
        assertTrue(servedBy.subList(10, 50).stream().allMatch("h2"::equals), "h2 served during the partition");
        assertEquals("h1", servedBy.get(servedBy.size() - 1), "calls failed back once h1 was healthy long enough");
    }

    // ---- fail-back with hysteresis ----------------------------------------------------------------------------

    @Test
    void callsStayOnTheSecondaryUntilThePrimaryHasBeenHealthyForFailbackAfter() {
        FailoverRig rig = new FailoverRig(stdio("p", "kv"), stdio("s", "kv")).started();
        List<String> servedBy = new ArrayList<>();
        while (rig.elapsed().compareTo(Duration.ofSeconds(90)) < 0) {
            long t = rig.elapsed().toSeconds();
            if (t == 10) {
                rig.kill("p");
            } else if (t == 12) {
                rig.fleet.revive("p");
            }
            servedBy.add(servedBy(rig.call("kv")));
            rig.second();
        }
        Instant healthyAgain = rig.events(MonitorEvent.StatusChanged.class).stream()
                .filter(c -> c.server().equals(id("p")) && c.to() == HealthStatus.HEALTHY && c.from().isPresent())
                .map(MonitorEvent.StatusChanged::at).findFirst().orElseThrow();
        int back = (int) at(healthyAgain.plus(ResilienceSettings.DEFAULTS.failbackAfter()));
        assertEquals(22, at(healthyAgain), "restarted at 20, warning at 21, healthy at 22");

        assertTrue(servedBy.subList(0, 10).stream().allMatch("p"::equals), servedBy.toString());
        assertTrue(servedBy.subList(10, back).stream().allMatch("s"::equals),
                "on the secondary until " + back + " s: " + servedBy);
        assertTrue(servedBy.subList(back, servedBy.size()).stream().allMatch("p"::equals), servedBy.toString());
        List<MonitorEvent.FailedOver> moves = rig.events(MonitorEvent.FailedOver.class);
        assertEquals(2, moves.size(), "one failover and one fail-back, no flapping: " + moves);
        assertEquals(List.of("p>s", "s>p"), moves.stream().map(f -> f.from().value() + ">" + f.to().value())
                .toList());
        assertTrue(moves.get(1).reason().startsWith("fail back"), moves.get(1).reason());
        assertEquals(back, at(moves.get(1).at()));
    }

    // ---- replay and idempotency -------------------------------------------------------------------------------

    @Test
    void aNonIdempotentCallIsNotReplayedAfterADeliveredFailure() {
        FailoverRig rig = new FailoverRig(stdio("a1", "pay"), stdio("a2", "pay")).started();
        rig.fleet.failNextCall("a1", FailureType.TIMEOUT, true);

        CallToolUseCase.Result r = rig.call("pay");

        CallToolUseCase.Failed f = assertInstanceOf(CallToolUseCase.Failed.class, r);
        assertEquals(id("a1"), f.lastTried());
        assertEquals(FailureType.TIMEOUT, f.type());
        assertEquals(1, f.attempts());
        assertEquals(List.of(), rig.fleet.deliveredCalls("a2"), "it may have run on a1: never sent twice");
    }

    @Test
    void aCallThatTimedOutRestartsNothingTheProbesSayWhetherTheServerIsHung() {
        FailoverRig rig = new FailoverRig(stdio("a1", "pay"), stdio("a2", "pay")).started();
        rig.fleet.failNextCall("a1", FailureType.TIMEOUT, true);

        assertInstanceOf(CallToolUseCase.Failed.class, rig.call("pay"));
        rig.recovery.runDue();

        assertTrue(rig.recovery.episode(id("a1")).isEmpty(), "a slow call is not a hung server");
        assertEquals(List.of(), rig.events(MonitorEvent.RecoveryStarted.class));
        assertEquals(1, rig.fleet.starts("a1"), "never restarted");

        rig.fleet.failNextCall("a1", FailureType.CONNECTION_ERROR, true);
        rig.call("pay");
        assertTrue(rig.recovery.episode(id("a1")).isPresent(), "a server gone is recovered at once, between probes");
    }

    @Test
    void aNonIdempotentCallThatNeverReachedTheServerGoesToTheNextInstance() {
        FailoverRig rig = new FailoverRig(stdio("a1", "pay"), stdio("a2", "pay")).started();
        rig.fleet.failNextCall("a1", FailureType.CONNECTION_ERROR, false);

        CallToolUseCase.Served s = assertInstanceOf(CallToolUseCase.Served.class, rig.call("pay"));

        assertEquals(id("a2"), s.servedBy());
        assertEquals(2, s.attempts());
        assertEquals(1, s.failovers());
    }

    @Test
    void anIdempotentCallIsReplayedOnTheNextInstanceAfterADeliveredFailure() {
        FailoverRig rig = new FailoverRig(stdio("a1", "pay"), stdio("a2", "pay")).started();
        rig.semantics = (server, tool) -> tool.equals("search");
        rig.fleet.failNextCall("a1", FailureType.TIMEOUT, true);

        CallToolUseCase.Served s = assertInstanceOf(CallToolUseCase.Served.class, rig.call("pay"));

        assertEquals(id("a2"), s.servedBy());
        assertEquals(1, rig.fleet.deliveredCalls("a1").size());
        assertEquals(1, rig.fleet.deliveredCalls("a2").size());
    }

    @Test
    void aCallOfAToolItsServerAnnotatesReadOnlyIsReplayedAfterADeliveredFailureOnceTheToolsWereListed() {
        ToolSpec lookup = new ToolSpec("search", "finds things", "{\"type\":\"object\"}", Optional.empty(),
                new ToolHints(Optional.empty(), Optional.of(true), Optional.of(false), Optional.empty(),
                        Optional.empty()));
        FailoverRig rig = new FailoverRig(stdio("a1", "pay"), stdio("a2", "pay")).started();
        rig.fleet.tools("a1", lookup).tools("a2", lookup);
        rig.fleet.failNextCall("a1", FailureType.TIMEOUT, true);
        assertInstanceOf(CallToolUseCase.Failed.class, rig.call("pay"), "not listed yet: nothing says it is safe");

        rig.client.list(ServerType.of("pay"));
        rig.fleet.failNextCall("a1", FailureType.TIMEOUT, true);
        CallToolUseCase.Served s = assertInstanceOf(CallToolUseCase.Served.class, rig.call("pay"));

        assertEquals(id("a2"), s.servedBy());
        assertEquals(2, s.attempts());
    }

    // ---- tools/list -------------------------------------------------------------------------------------------

    @Test
    void listToolsServesTheRememberedListMarkedStaleWhenNothingCanAnswer() {
        FailoverRig rig = new FailoverRig(stdio("d1", "docs"), stdio("d2", "docs")).started();
        ListToolsUseCase.Listing fresh = rig.client.list(ServerType.of("docs"));
        assertFalse(fresh.stale());
        assertEquals(id("d1"), fresh.from());

        rig.seconds(5);
        rig.kill("d1", "d2");
        rig.seconds(3);
        ListToolsUseCase.Listing remembered = rig.client.list(ServerType.of("docs"));

        assertTrue(remembered.stale());
        assertEquals(fresh.tools(), remembered.tools());
        assertEquals(START, remembered.fetchedAt(), "when it was really listed");
        assertEquals(id("d1"), remembered.from());
    }

    @Test
    void listToolsWithNothingRememberedFailsFastWithWhenToRetry() {
        FailoverRig rig = new FailoverRig(stdio("d1", "docs")).started();
        rig.kill("d1");
        rig.seconds(2);

        NoHealthyInstanceException e = assertThrows(NoHealthyInstanceException.class,
                () -> rig.client.list(ServerType.of("docs")));

        assertEquals("docs: no healthy instance; retry after 8 s", e.getMessage(), "the restart due at 10 s");
        assertEquals(Duration.ofSeconds(8), e.retryAfter());
    }

    @Test
    void anUnknownServerTypeIsRefusedByName() {
        FailoverRig rig = new FailoverRig(stdio("d1", "docs"), stdio("k1", "kv")).started();

        UnknownServerTypeException call = assertThrows(UnknownServerTypeException.class, () -> rig.call("nope"));
        assertThrows(UnknownServerTypeException.class, () -> rig.client.list(ServerType.of("nope")));

        assertEquals("no server has type nope; the configured types are docs, kv", call.getMessage());
        assertEquals(List.of(), rig.fleet.requests().stream().filter(r -> !r.what().equals("ping")).toList());
    }

    // ---- strategies -------------------------------------------------------------------------------------------

    @Test
    void manualModeDoesNotFailOver() {
        MonitoredServer m1 = aServer().named("m1").ofType("man").every(SECOND).strategy(FallbackStrategy.MANUAL_MODE)
                .build();
        MonitoredServer m2 = aServer().named("m2").ofType("man").every(SECOND).strategy(FallbackStrategy.MANUAL_MODE)
                .build();
        FailoverRig rig = new FailoverRig(m1, m2).started();
        assertEquals("m1", servedBy(rig.call("man")));

        rig.kill("m1");
        for (int t = 0; t < 20; t++) {
            CallToolUseCase.Result r = rig.call("man");
            if (r instanceof CallToolUseCase.Served s) {
                fail("manual mode moved calls to " + s.servedBy() + " after " + t + " s");
            }
            rig.second();
        }
        assertEquals(List.of(), rig.fleet.deliveredCalls("m2"));
        assertEquals(List.of(), rig.events(MonitorEvent.FailedOver.class));
    }

    @Test
    void alternativeServerSendsCallsToTheFallbackTypeWhenThePrimaryTypeIsDown() {
        MonitoredServer a1 = aServer().named("a1").ofType("alpha").every(SECOND).fallingBackTo("beta").build();
        MonitoredServer b1 = aServer().named("b1").ofType("beta").every(SECOND).build();
        FailoverRig rig = new FailoverRig(a1, b1).started();
        assertEquals("a1", servedBy(rig.call("alpha")));

        rig.kill("a1");
        rig.seconds(2);

        assertEquals("b1", servedBy(rig.call("alpha")));
    }

    @Test
    void gracefulDegradationNeverSendsCallsToAnotherType() {
        FailoverRig rig = new FailoverRig(stdio("g1", "alpha"), stdio("b1", "beta")).started();
        rig.kill("g1");
        rig.seconds(2);

        CallToolUseCase.Result r = rig.call("alpha");

        assertFalse(r instanceof CallToolUseCase.Served, r.toString());
        assertEquals(List.of(), rig.fleet.deliveredCalls("b1"));
    }
}
