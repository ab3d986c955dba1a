package dev.mcphealth.application.routing;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.testkit.FailoverRig;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.application.port.out.ConcurrencyLimitPort;
import dev.mcphealth.domain.routing.Balancing;
import dev.mcphealth.domain.routing.RetryBudget;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A pool balanced by the power of two choices (the default), on a test clock over a fake fleet: calls spread by each
 * instance's load, a slow or failing instance gets few, a dead one costs no call, and a move by hand holds.
 */
class BalancedPoolTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    private static MonitoredServer server(String name) {
        return aServer().named(name).ofType("search").every(SECOND).recovering(3, Duration.ofSeconds(10)).build();
    }

    private static FailoverRig rig(String... names) {
        MonitoredServer[] servers = new MonitoredServer[names.length];
        for (int i = 0; i < names.length; i++) {
            servers[i] = server(names[i]);
        }
        return new FailoverRig(ResilienceSettings.DEFAULTS, 3, servers).started();
    }

    /** Who served each of {@code calls} calls, ten a simulated second; a call not served counts as "-". */
    private static Map<String, Integer> calls(FailoverRig rig, int calls) {
        Map<String, Integer> by = new LinkedHashMap<>();
        for (int i = 0; i < calls; i++) {
            CallToolUseCase.Result r = rig.call("search");
            by.merge(r instanceof CallToolUseCase.Served s ? s.servedBy().value() : "-", 1, Integer::sum);
            if (i % 10 == 9) {
                rig.second();
            }
        }
        return by;
    }

    @Test
    void theDefaultIsThePowerOfTwoChoices() {
        assertEquals(Balancing.P2C, ResilienceSettings.DEFAULTS.balancing(ServerType.of("search")));
        assertEquals(Balancing.STICKY, FailoverRig.STICKY.balancing(ServerType.of("search")));
    }

    @Test
    void twoEqualInstancesShareTheCalls() {
        FailoverRig rig = rig("s1", "s2");

        Map<String, Integer> by = calls(rig, 1000);

        assertTrue(by.getOrDefault("s1", 0) > 300 && by.getOrDefault("s2", 0) > 300, by.toString());
        assertEquals(null, by.get("-"), "every call served: " + by);
        assertEquals(List.of(), rig.events(MonitorEvent.FailedOver.class), "balancing is no failover");
    }

    @Test
    void aFiveTimesSlowerInstanceGetsFewCallsButIsStillTried() {
        FailoverRig rig = rig("fast", "slow");
        rig.fleet.answerTime("slow", Duration.ofMillis(50));

        Map<String, Integer> by = calls(rig, 1000);

        int slow = by.getOrDefault("slow", 0);
        assertTrue(slow < 200, "the slow one got " + slow + " of 1000: " + by);
        assertTrue(slow > 0, "its estimate decays, so it is tried again: " + by);
    }

    @Test
    void anInstanceThatFailedACallIsAvoidedWhileItsPenaltyDecays() {
        FailoverRig rig = rig("s1", "s2");
        calls(rig, 20);
        rig.fleet.failNextCall("s1", FailureType.SERVER_ERROR, true);
        int before = rig.fleet.deliveredCalls("s1").size();
        int failed = 0;
        while (rig.fleet.deliveredCalls("s1").size() == before) {
            // delivered and not idempotent: the call that meets the failure fails, and is not replayed
            failed += rig.call("search") instanceof CallToolUseCase.Served ? 0 : 1;
        }
        assertEquals(1, failed);

        Map<String, Integer> after = calls(rig, 100);

        assertEquals(Map.of("s2", 100), after, "within 10 s of its failure s1 costs more than s2: " + after);
    }

    @Test
    void aKilledInstanceCostsNoFailedCall() {
        FailoverRig rig = rig("s1", "s2", "s3");
        calls(rig, 30);
        rig.kill("s1");

        Map<String, Integer> by = calls(rig, 300);

        assertEquals(null, by.get("-"), "every call served: " + by);
        assertTrue(by.getOrDefault("s1", 0) == 0, by.toString());
        List<MonitorEvent.FailedOver> moves = rig.events(MonitorEvent.FailedOver.class);
        assertTrue(moves.size() <= 1 && moves.stream().allMatch(m -> m.from().equals(ServerId.of("s1"))),
                "at most the one call that met the dead instance failed over: " + moves);
    }

    @Test
    void aMoveToTheFallbackTypeAndBackIsAFailoverInABalancedPoolToo() {
        MonitoredServer a1 = aServer().named("a1").ofType("search").every(SECOND).fallingBackTo("beta").build();
        MonitoredServer a2 = aServer().named("a2").ofType("search").every(SECOND).fallingBackTo("beta").build();
        MonitoredServer b1 = aServer().named("b1").ofType("beta").every(SECOND).build();
        FailoverRig rig = new FailoverRig(ResilienceSettings.DEFAULTS, 3, a1, a2, b1).started();
        calls(rig, 20);
        assertEquals(List.of(), rig.events(MonitorEvent.FailedOver.class), "between primaries: no failover");

        rig.kill("a1");
        rig.kill("a2");
        rig.seconds(2);
        Map<String, Integer> down = calls(rig, 10);

        assertEquals(Map.of("b1", 10), down);
        List<String> moves = rig.events(MonitorEvent.FailedOver.class).stream()
                .map(f -> f.from().value() + ">" + f.to().value()).toList();
        assertEquals(1, moves.size(), moves.toString());
        assertTrue(moves.get(0).endsWith(">b1"), moves.toString());
    }

    @Test
    void aPriorityPoolSaysEachChangeOfTheInstanceServing() {
        MonitoredServer[] servers = {server("s1"), server("s2")};
        FailoverRig rig = new FailoverRig(ResilienceSettings.DEFAULTS.withBalancing(Map.of(), Balancing.PRIORITY), 3,
                servers).started();
        assertEquals(Map.of("s1", 20), calls(rig, 20), "the first in configuration order");

        rig.kill("s1");
        rig.seconds(2);
        Map<String, Integer> after = calls(rig, 10);

        assertEquals(Map.of("s2", 10), after);
        assertEquals(List.of("s1>s2"), rig.events(MonitorEvent.FailedOver.class).stream()
                .map(f -> f.from().value() + ">" + f.to().value()).toList());
    }

    @Test
    void afterAMoveByHandTheCallsStayWhereTheyWereMoved() {
        FailoverRig rig = rig("s1", "s2");
        calls(rig, 20);
        rig.client.moveTo(ServerType.of("search"), ServerId.of("s1"), ServerId.of("s2"), "maintenance of s1");

        Map<String, Integer> by = calls(rig, 200);

        assertEquals(Map.of("s2", 200), by);
        assertEquals(ServerId.of("s2"), rig.client.serving(ServerType.of("search")).orElseThrow());
    }

    @Test
    void theBalancerSeesEachInstancesLoad() {
        FailoverRig rig = rig("s1", "s2");
        rig.fleet.answerTime("s2", Duration.ofMillis(40));
        calls(rig, 50);

        java.time.Instant now = rig.clock.instant();
        long at = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        double s1 = rig.client.load(ServerId.of("s1")).orElseThrow().latencyNanos(at);
        double s2 = rig.client.load(ServerId.of("s2")).orElseThrow().latencyNanos(at);
        assertTrue(s1 > 0 && s2 > s1, "s1 " + s1 + " ns, s2 " + s2 + " ns");
        assertEquals(0, rig.client.load(ServerId.of("s1")).orElseThrow().inFlight(), "nothing is left in flight");
        assertEquals(java.util.Optional.empty(), rig.client.load(ServerId.of("nobody")));
    }

    @Test
    void eachInstancesStatusShowsWhatTheBalancerSeesOfIt() {
        FailoverRig rig = rig("s1", "s2");
        rig.fleet.answerTime("s2", Duration.ofMillis(40));
        Map<String, Integer> by = calls(rig, 50);

        Map<String, Map<String, String>> details = new LinkedHashMap<>();
        rig.monitor.board().snapshot().forEach(s -> details.put(s.server().value(), s.details()));
        for (String name : List.of("s1", "s2")) {
            Map<String, String> d = details.get(name);
            assertEquals("p2c", d.get("balancing"), d.toString());
            assertEquals("0", d.get("inFlight"));
            assertEquals(Integer.toString(by.getOrDefault(name, 0)), d.get("callsRouted"), d + " " + by);
            assertEquals(String.format(java.util.Locale.ROOT, "%.3f", by.getOrDefault(name, 0) / 50.0),
                    d.get("callShare"), d + " " + by);
        }
        assertTrue(Double.parseDouble(details.get("s2").get("balancerLatencyMs"))
                > Double.parseDouble(details.get("s1").get("balancerLatencyMs")), details.toString());
    }

    /** Requests sent upstream per call to a pool of three whose every instance refuses every call. */
    private static double requestsPerCallToAFailingPool(RetryBudget.Settings budget) {
        MonitoredServer[] servers = {server("f1"), server("f2"), server("f3")};
        FailoverRig rig = new FailoverRig(ResilienceSettings.DEFAULTS.withRetryBudget(budget), 1000, servers)
                .started();
        for (MonitoredServer s : servers) {
            for (int i = 0; i < 2000; i++) {
                rig.fleet.failNextCall(s.id().value(), FailureType.CONNECTION_ERROR, false);
            }
        }
        int before = rig.fleet.requests().size();
        for (int i = 0; i < 500; i++) {
            CallToolUseCase.Result r = rig.call("search");
            assertTrue(r instanceof CallToolUseCase.Unavailable, r.toString());
            if (i % 50 == 49) {
                rig.second();
            }
        }
        long sent = rig.fleet.requests().subList(before, rig.fleet.requests().size()).stream()
                .filter(q -> q.what().startsWith("tools/call")).count();
        return sent / 500.0;
    }

    @Test
    void aFailingPoolSendsAtMostItsRetryBudgetBeyondOneRequestPerCall() {
        double budgeted = requestsPerCallToAFailingPool(new RetryBudget.Settings(0.2, 0, Duration.ofSeconds(10)));
        double unbudgeted = requestsPerCallToAFailingPool(new RetryBudget.Settings(10, 0, Duration.ofSeconds(10)));

        assertTrue(budgeted <= 1.2 + 1e-9, budgeted + " requests per call");
        assertTrue(unbudgeted > 2.5, "without the budget each call tries every instance: " + unbudgeted);
    }

    @Test
    void roundRobinTakesTheUsablePrimariesInTurnWhateverTheirSpeedAndSkipsADeadOne() {
        MonitoredServer[] servers = {server("r1"), server("r2"), server("r3")};
        FailoverRig rig = new FailoverRig(ResilienceSettings.DEFAULTS.withBalancing(Map.of(), Balancing.ROUND_ROBIN),
                3, servers).started();
        rig.fleet.answerTime("r2", Duration.ofMillis(50));

        Map<String, Integer> by = calls(rig, 300);
        assertEquals(Map.of("r1", 100, "r2", 100, "r3", 100), by, "each its turn, the slow one too");

        rig.kill("r3");
        Map<String, Integer> after = calls(rig, 100);
        assertEquals(null, after.get("-"), "every call served: " + after);
        assertTrue(after.getOrDefault("r1", 0) >= 45 && after.getOrDefault("r2", 0) >= 45, after.toString());
    }

    @Test
    void aCallStoppedByTheBudgetSaysSo() {
        FailoverRig rig = new FailoverRig(ResilienceSettings.DEFAULTS.withRetryBudget(new RetryBudget.Settings(0, 0,
                Duration.ofSeconds(10))), 1000, server("f1"), server("f2")).started();
        rig.fleet.failNextCall("f1", FailureType.CONNECTION_ERROR, false);
        rig.fleet.failNextCall("f2", FailureType.CONNECTION_ERROR, false);

        CallToolUseCase.Unavailable u = (CallToolUseCase.Unavailable) rig.call("search");

        assertTrue(u.message().contains("retry budget is spent (extra requests at most 0 % of its calls plus 0 a"
                + " second)"), u.message());
        assertEquals(1, u.attempts());
    }

    /** A limit double: each instance admits at most as many requests at once as {@code limits} says. */
    private static ConcurrencyLimitPort fixedLimits(Map<String, Integer> limits, Map<String, Integer> outcomes) {
        Map<String, java.util.concurrent.atomic.AtomicInteger> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
        return new ConcurrencyLimitPort() {
            @Override
            public java.util.Optional<Admission> tryAcquire(ServerId server) {
                String name = server.value();
                java.util.concurrent.atomic.AtomicInteger n = inFlight.computeIfAbsent(name,
                        k -> new java.util.concurrent.atomic.AtomicInteger());
                if (n.get() >= limits.getOrDefault(name, Integer.MAX_VALUE)) {
                    return java.util.Optional.empty();
                }
                n.incrementAndGet();
                Runnable done = n::decrementAndGet;
                return java.util.Optional.of(new Admission(
                        () -> { done.run(); outcomes.merge(name + ":answered", 1, Integer::sum); },
                        () -> { done.run(); outcomes.merge(name + ":overloaded", 1, Integer::sum); },
                        () -> { done.run(); outcomes.merge(name + ":ignored", 1, Integer::sum); }));
            }

            @Override
            public java.util.OptionalInt limit(ServerId server) {
                return java.util.OptionalInt.of(limits.getOrDefault(server.value(), 0));
            }
        };
    }

    @Test
    void anInstanceAtItsConcurrencyLimitIsPassedOverAndWhenAllAreTheCallFailsFastSayingSo() {
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        Map<String, Integer> limits = new java.util.HashMap<>(Map.of("c1", 0, "c2", 5));
        FailoverRig rig = new FailoverRig(ResilienceSettings.DEFAULTS, 3, Hedger.NONE, fleet -> fleet,
                fixedLimits(limits, outcomes), server("c1"), server("c2")).started();

        Map<String, Integer> by = calls(rig, 20);
        assertEquals(Map.of("c2", 20), by, "c1 takes nothing at a limit of 0");
        assertEquals(Map.of("c2:answered", 20), outcomes, "each admitted request's end told once");
        assertEquals("0", rig.monitor.board().snapshot().stream().filter(s -> s.server().value().equals("c1"))
                .findFirst().orElseThrow().details().get("concurrencyLimit"));

        limits.put("c2", 0);
        CallToolUseCase.Unavailable u = (CallToolUseCase.Unavailable) rig.call("search");
        assertTrue(u.message().contains("at its concurrency limit (overloaded); retry after 1 s"), u.message());
        assertEquals(0, u.attempts(), "nothing was sent");

        limits.put("c2", 5);
        rig.fleet.failNextCall("c2", FailureType.TIMEOUT, true);
        rig.call("search");
        assertEquals(1, outcomes.get("c2:overloaded"), "a timeout teaches the limit: " + outcomes);
    }

    @Test
    void theTimeAFirstRequestSpentOpeningItsSessionIsNotTheInstancesLatency() {
        dev.mcphealth.domain.model.ToolReply ok = new dev.mcphealth.domain.model.ToolReply(false, List.of("ok"), "{}");
        java.util.concurrent.atomic.AtomicBoolean opened = new java.util.concurrent.atomic.AtomicBoolean();
        dev.mcphealth.application.port.out.ToolCallPort port = new dev.mcphealth.application.port.out.ToolCallPort() {
            @Override
            public dev.mcphealth.domain.model.CallOutcome callTool(MonitoredServer server, String tool,
                    Map<String, Object> arguments, Duration timeout, boolean mayConnect) {
                if (server.id().value().equals("slow")) {
                    return new dev.mcphealth.domain.model.CallOutcome.Replied(ok, Duration.ofMillis(10));
                }
                // the fast one's first request starts its process: 300 ms, of which 298 before the request went out
                return opened.getAndSet(true)
                        ? new dev.mcphealth.domain.model.CallOutcome.Replied(ok, Duration.ofMillis(2))
                        : new dev.mcphealth.domain.model.CallOutcome.Replied(ok, Duration.ofMillis(300),
                                Duration.ofMillis(298));
            }

            @Override
            public dev.mcphealth.domain.model.CallOutcome listTools(MonitoredServer server, Duration timeout,
                                                                    boolean mayConnect) {
                throw new UnsupportedOperationException();
            }

            @Override
            public dev.mcphealth.domain.model.CallOutcome request(MonitoredServer server,
                    dev.mcphealth.domain.model.UpstreamRequest what, java.util.Map<String, Object> params,
                    Duration timeout, boolean mayConnect) {
                throw new UnsupportedOperationException();
            }
        };
        FailoverRig rig = new FailoverRig(ResilienceSettings.DEFAULTS, 3, Hedger.NONE, fleet -> port,
                ConcurrencyLimitPort.NONE, server("slow"), server("fast")).started();

        Map<String, Integer> by = calls(rig, 100);

        assertTrue(by.getOrDefault("fast", 0) >= 90, "the fast one is fast from its first answer on: " + by);
    }
}
