package dev.mcphealth.infrastructure.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent.BreakerChanged;
import dev.mcphealth.domain.model.ServerId;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The breaker on a clock the test moves: no sleeps, no scheduler. Defaults: 50 % of 10 calls in 60 s, 5 in a row. */
class Resilience4jBreakersTest {
    private static final ServerId S = ServerId.of("files");
    private static final ServerId OTHER = ServerId.of("other");
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration FAST = Duration.ofMillis(20);

    private final TestClock clock = new TestClock(START);
    private final List<BreakerChanged> events = Collections.synchronizedList(new ArrayList<>());

    private Resilience4jBreakers breakers(BreakerSettings settings) {
        Resilience4jBreakers b = new Resilience4jBreakers(settings, clock);
        b.onTransition(events::add);
        return b;
    }

    private Resilience4jBreakers breakers() {
        return breakers(BreakerSettings.DEFAULTS);
    }

    /** Calls as the router makes them: 'S' success, 'F' server error, 'R' rate limit, 'W' slow (11 s) success. */
    private static void calls(Resilience4jBreakers b, ServerId server, String outcomes) {
        for (char c : outcomes.toCharArray()) {
            assertTrue(b.tryAcquire(server), "permitted before " + c);
            switch (c) {
                case 'S' -> b.succeeded(server, FAST);
                case 'W' -> b.succeeded(server, Duration.ofSeconds(11));
                case 'F' -> b.failed(server, FAST, FailureType.SERVER_ERROR);
                case 'T' -> b.failed(server, Duration.ofSeconds(5), FailureType.TIMEOUT);
                case 'R' -> b.failed(server, FAST, FailureType.RATE_LIMIT);
                default -> throw new IllegalArgumentException("outcome " + c);
            }
        }
    }

    private BreakerChanged last() {
        return events.get(events.size() - 1);
    }

    private void assertEvent(BreakerState from, BreakerState to, String reason, BreakerChanged e) {
        assertEquals(new BreakerChanged(S, from, to, reason, clock.instant()), e);
    }

    private Resilience4jBreakers opened() {
        Resilience4jBreakers b = breakers();
        calls(b, S, "FFFFF");
        assertEquals(BreakerState.OPEN, b.state(S));
        events.clear();
        return b;
    }

    @Test
    void aNewServerIsClosedAndLetsCallsThrough() {
        Resilience4jBreakers b = breakers();
        assertEquals(BreakerState.CLOSED, b.state(S));
        assertEquals(Duration.ZERO, b.retryAfter(S));
        calls(b, S, "SSSFS");
        assertEquals(BreakerState.CLOSED, b.state(S));
        assertTrue(events.isEmpty());
    }

    @Test
    void opensOnTheFailureRateOnceTheWindowHoldsMinimumCalls() {
        Resilience4jBreakers b = breakers();
        calls(b, S, "FFSFFSFFS");
        assertEquals(BreakerState.CLOSED, b.state(S), "6 failures in 9 calls: fewer than minimumCalls");
        clock.advance(Duration.ofSeconds(1));
        calls(b, S, "S");
        assertEquals(BreakerState.OPEN, b.state(S));
        assertEquals(1, events.size());
        assertEvent(BreakerState.CLOSED, BreakerState.OPEN, "failure rate 60 % of 10 calls", events.get(0));
        assertFalse(b.tryAcquire(S), "an open breaker refuses calls");
    }

    @Test
    void aRateBelowTheThresholdKeepsItClosed() {
        Resilience4jBreakers b = breakers();
        calls(b, S, "FFSSFSSSSFSSSSSSSSSS");
        assertEquals(BreakerState.CLOSED, b.state(S));
        assertTrue(events.isEmpty());
    }

    @Test
    void callsOlderThanTheWindowNoLongerCount() {
        Resilience4jBreakers b = breakers();
        calls(b, S, "FFFFS");
        clock.advance(Duration.ofSeconds(61));
        calls(b, S, "FFSFS");
        assertEquals(BreakerState.CLOSED, b.state(S), "8 of 10 failed, but only 5 calls are in the last 60 s");
        calls(b, S, "FFSFF");
        assertEquals(BreakerState.OPEN, b.state(S));
        assertEquals("failure rate 70 % of 10 calls", last().reason());
    }

    @Test
    void opensOnConsecutiveFailuresBeforeMinimumCalls() {
        Resilience4jBreakers b = breakers();
        calls(b, S, "SFFFF");
        clock.advance(Duration.ofMillis(1500));
        calls(b, S, "T");
        assertEquals(BreakerState.OPEN, b.state(S));
        assertEquals(1, events.size());
        assertEvent(BreakerState.CLOSED, BreakerState.OPEN, "5 failures in a row", events.get(0));
    }

    @Test
    void aSuccessEndsTheRun() {
        Resilience4jBreakers b = breakers();
        calls(b, S, "FFFFSFFFF");
        assertEquals(BreakerState.CLOSED, b.state(S));
        assertTrue(events.isEmpty());
    }

    @Test
    void opensOnSlowCalls() {
        Resilience4jBreakers b = breakers();
        calls(b, S, "WWWWWWWWW");
        assertEquals(BreakerState.CLOSED, b.state(S));
        calls(b, S, "W");
        assertEquals(BreakerState.OPEN, b.state(S));
        assertEvent(BreakerState.CLOSED, BreakerState.OPEN, "slow calls 100 % of 10 calls", last());
        assertEquals(1, events.size());
    }

    @Test
    void rateLimitsAreNotFailures() {
        Resilience4jBreakers b = breakers();
        calls(b, S, "RRRRRRRRRRRRRRRRRRRR");
        assertEquals(BreakerState.CLOSED, b.state(S));
        calls(b, S, "FFFFRF");
        assertEquals(BreakerState.OPEN, b.state(S), "a rate limit neither counts nor ends the run");
        assertEquals("5 failures in a row", last().reason());
    }

    @Test
    void retryAfterCountsDownAndTheNextCallAfterOpenForIsATrial() {
        Resilience4jBreakers b = opened();
        assertEquals(Duration.ofSeconds(30), b.retryAfter(S));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(20), b.retryAfter(S));
        assertFalse(b.tryAcquire(S));
        clock.advance(Duration.ofMillis(19_999));
        assertEquals(Duration.ofMillis(1), b.retryAfter(S));
        assertFalse(b.tryAcquire(S));
        assertEquals(BreakerState.OPEN, b.state(S));
        assertTrue(events.isEmpty());
        clock.advance(Duration.ofMillis(1));
        assertEquals(Duration.ZERO, b.retryAfter(S));
        assertEquals(BreakerState.OPEN, b.state(S), "no thread moves it: the next call does");
        assertTrue(b.tryAcquire(S));
        assertEquals(BreakerState.HALF_OPEN, b.state(S));
        assertEquals(Duration.ZERO, b.retryAfter(S));
        assertEvent(BreakerState.OPEN, BreakerState.HALF_OPEN, "open 30 s elapsed", last());
        assertFalse(b.tryAcquire(S), "one trial call at a time");
    }

    @Test
    void aSucceedingTrialCallClosesIt() {
        Resilience4jBreakers b = opened();
        clock.advance(Duration.ofSeconds(30));
        calls(b, S, "S");
        assertEquals(BreakerState.CLOSED, b.state(S));
        assertEquals(2, events.size());
        assertEvent(BreakerState.HALF_OPEN, BreakerState.CLOSED, "trial calls succeeded", events.get(1));
        calls(b, S, "FFFFSFFFF");
        assertEquals(BreakerState.CLOSED, b.state(S), "a closed breaker starts with an empty window and run");
    }

    @Test
    void aFailingTrialCallReopensItForAnotherPeriod() {
        Resilience4jBreakers b = opened();
        clock.advance(Duration.ofSeconds(30));
        calls(b, S, "F");
        assertEquals(BreakerState.OPEN, b.state(S));
        assertEvent(BreakerState.HALF_OPEN, BreakerState.OPEN, "trial calls failed: failure rate 100 % of 1 call",
                last());
        assertEquals(Duration.ofSeconds(30), b.retryAfter(S));
        assertFalse(b.tryAcquire(S));
    }

    @Test
    void severalTrialCallsDecideTogether() {
        Resilience4jBreakers b = breakers(new BreakerSettings(0.5, 10, Duration.ofSeconds(60), 5,
                Duration.ofSeconds(10), 1.0, Duration.ofSeconds(30), 3));
        calls(b, S, "FFFFF");
        clock.advance(Duration.ofSeconds(30));
        calls(b, S, "SF");
        assertEquals(BreakerState.HALF_OPEN, b.state(S));
        calls(b, S, "S");
        assertEquals(BreakerState.CLOSED, b.state(S), "1 of 3 failed: below 50 %");
        assertEquals("trial calls succeeded", last().reason());
    }

    @Test
    void aRateLimitedTrialCallGivesItsPermissionBack() {
        Resilience4jBreakers b = opened();
        clock.advance(Duration.ofSeconds(30));
        calls(b, S, "R");
        assertEquals(BreakerState.HALF_OPEN, b.state(S));
        calls(b, S, "S");
        assertEquals(BreakerState.CLOSED, b.state(S));
    }

    @Test
    void aReleasedPermissionLetsTheNextTrialThrough() {
        Resilience4jBreakers b = opened();
        clock.advance(Duration.ofSeconds(30));
        assertTrue(b.tryAcquire(S));
        assertFalse(b.tryAcquire(S));
        b.released(S);
        assertTrue(b.tryAcquire(S));
    }

    @Test
    void recoveredLetsTrialCallsThroughAtOnce() {
        Resilience4jBreakers b = opened();
        clock.advance(Duration.ofSeconds(3));
        b.recovered(S);
        assertEquals(BreakerState.HALF_OPEN, b.state(S));
        assertEquals(Duration.ZERO, b.retryAfter(S));
        assertEvent(BreakerState.OPEN, BreakerState.HALF_OPEN, "server recovered", last());
        calls(b, S, "S");
        assertEquals(BreakerState.CLOSED, b.state(S));
        assertEquals(List.of("server recovered", "trial calls succeeded"),
                events.stream().map(BreakerChanged::reason).toList());
    }

    @Test
    void recoveredDoesNothingToAClosedOrHalfOpenBreaker() {
        Resilience4jBreakers b = breakers();
        b.recovered(S);
        calls(b, S, "FFFF");
        b.recovered(S);
        calls(b, S, "F");
        assertEquals(BreakerState.CLOSED, b.state(S), "the run started again when the server came back");
        assertTrue(events.isEmpty());
        calls(b, S, "FFFF");
        clock.advance(Duration.ofSeconds(30));
        assertTrue(b.tryAcquire(S));
        events.clear();
        b.recovered(S);
        assertEquals(BreakerState.HALF_OPEN, b.state(S));
        assertTrue(events.isEmpty());
    }

    @Test
    void serversHaveTheirOwnBreakers() {
        Resilience4jBreakers b = opened();
        assertEquals(BreakerState.CLOSED, b.state(OTHER));
        assertTrue(b.tryAcquire(OTHER));
        b.succeeded(OTHER, FAST);
        assertTrue(events.isEmpty());
    }

    @Test
    void everyListenerSeesEachTransitionOnceAndAFailingOneDoesNotStopThem() {
        Resilience4jBreakers b = new Resilience4jBreakers(BreakerSettings.DEFAULTS, clock);
        b.onTransition(e -> {
            throw new IllegalStateException("listener bug");
        });
        b.onTransition(events::add);
        calls(b, S, "FFFFF");
        clock.advance(Duration.ofSeconds(30));
        calls(b, S, "F");
        clock.advance(Duration.ofSeconds(30));
        calls(b, S, "S");
        assertEquals(List.of("5 failures in a row", "open 30 s elapsed", "trial calls failed: failure rate 100 % of 1 call",
                        "open 30 s elapsed", "trial calls succeeded"),
                events.stream().map(BreakerChanged::reason).toList());
        assertEquals(START, events.get(0).at());
        assertEquals(START.plusSeconds(60), last().at());
    }

    // ---- settings changed while it runs ---------------------------------------------------------------------

    /** {@code n} successful calls of {@code elapsed} each. */
    private static void succeed(Resilience4jBreakers b, ServerId server, int n, Duration elapsed) {
        for (int i = 0; i < n; i++) {
            assertTrue(b.tryAcquire(server));
            b.succeeded(server, elapsed);
        }
    }

    @Test
    void aReconfiguredBreakerUsesItsNewSlowCallThresholdAndStillTellsItsTransitions() {
        Resilience4jBreakers b = breakers();
        BreakerSettings tight = BreakerSettings.DEFAULTS.withSlowCall(Duration.ofSeconds(2));

        b.reconfigure(S, tight);

        assertEquals(tight, b.settings(S));
        assertEquals(BreakerSettings.DEFAULTS, b.settings(OTHER), "the other servers keep theirs");
        succeed(b, OTHER, 10, Duration.ofSeconds(3));
        assertEquals(BreakerState.CLOSED, b.state(OTHER), "3 s is not slow under the configured 10 s");
        succeed(b, S, 10, Duration.ofSeconds(3));
        assertEquals(BreakerState.OPEN, b.state(S), "3 s is slow under the new 2 s");
        assertEquals(1, events.size());
        assertEvent(BreakerState.CLOSED, BreakerState.OPEN, "slow calls 100 % of 10 calls", events.get(0));
        clock.advance(Duration.ofSeconds(30));
        calls(b, S, "S");
        assertEquals(List.of("slow calls 100 % of 10 calls", "open 30 s elapsed", "trial calls succeeded"),
                events.stream().map(BreakerChanged::reason).toList());
    }

    @Test
    void anOpenBreakerStaysOpenFromWhenItOpenedForTheNewOpenDuration() {
        Resilience4jBreakers b = opened();
        clock.advance(Duration.ofSeconds(20));

        b.reconfigure(S, BreakerSettings.DEFAULTS.withOpenFor(Duration.ofSeconds(60)));

        assertEquals(BreakerState.OPEN, b.state(S));
        assertTrue(events.isEmpty(), "a replacement is not a transition");
        assertEquals(Duration.ofSeconds(40), b.retryAfter(S), "60 s from when it opened, 20 s ago");
        clock.advance(Duration.ofSeconds(39));
        assertFalse(b.tryAcquire(S));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(b.tryAcquire(S));
        assertEvent(BreakerState.OPEN, BreakerState.HALF_OPEN, "open 60 s elapsed", last());
    }

    @Test
    void aShorterOpenDurationThatHasPassedLetsTheNextCallBeATrial() {
        Resilience4jBreakers b = opened();
        clock.advance(Duration.ofSeconds(20));

        b.reconfigure(S, BreakerSettings.DEFAULTS.withOpenFor(Duration.ofSeconds(10)));

        assertEquals(Duration.ZERO, b.retryAfter(S));
        calls(b, S, "S");
        assertEquals(BreakerState.CLOSED, b.state(S));
        assertEquals(List.of("open 10 s elapsed", "trial calls succeeded"),
                events.stream().map(BreakerChanged::reason).toList());
    }

    @Test
    void aHalfOpenBreakerStaysHalfOpenAndItsTrialCallDecides() {
        Resilience4jBreakers b = opened();
        clock.advance(Duration.ofSeconds(30));
        assertTrue(b.tryAcquire(S));
        events.clear();

        b.reconfigure(S, BreakerSettings.DEFAULTS.withSlowCall(Duration.ofSeconds(5)));

        assertEquals(BreakerState.HALF_OPEN, b.state(S));
        assertTrue(events.isEmpty());
        b.failed(S, FAST, FailureType.SERVER_ERROR);
        assertEquals(BreakerState.OPEN, b.state(S));
        assertEvent(BreakerState.HALF_OPEN, BreakerState.OPEN, "trial calls failed: failure rate 100 % of 1 call",
                last());
    }

    @Test
    void theWindowStartsEmptyButTheRunOfFailuresCarriesOver() {
        Resilience4jBreakers b = breakers();
        calls(b, S, "FFSFFSFFS");

        b.reconfigure(S, BreakerSettings.DEFAULTS.withFailureRate(0.25));

        calls(b, S, "S");
        assertEquals(BreakerState.CLOSED, b.state(S), "the 9 calls before are not in the new window");
        calls(b, S, "SSSFFFFS");
        assertEquals(BreakerState.CLOSED, b.state(S), "9 calls in the new window: fewer than minimumCalls");
        calls(b, S, "F");
        assertEvent(BreakerState.CLOSED, BreakerState.OPEN, "failure rate 50 % of 10 calls", last());

        Resilience4jBreakers other = breakers();
        calls(other, OTHER, "FFFF");
        other.reconfigure(OTHER, BreakerSettings.DEFAULTS.withSlowCall(Duration.ofSeconds(2)));
        calls(other, OTHER, "F");
        assertEquals(BreakerState.OPEN, other.state(OTHER), "4 failures before and 1 after are 5 in a row");
        assertEquals("5 failures in a row", last().reason());
    }

    @Test
    void reconfiguringWithTheSettingsInForceChangesNothing() {
        Resilience4jBreakers b = breakers();
        calls(b, S, "FFSFFSFFS");

        b.reconfigure(S, BreakerSettings.DEFAULTS);

        calls(b, S, "S");
        assertEquals(BreakerState.OPEN, b.state(S), "the window was kept: 6 failures in 10 calls");
    }

    @Test
    void onlyTheThreeStatesAreUsed() {
        assertEquals(BreakerState.HALF_OPEN, Resilience4jBreakers.map(CircuitBreaker.State.HALF_OPEN));
        for (CircuitBreaker.State s : List.of(CircuitBreaker.State.DISABLED, CircuitBreaker.State.FORCED_OPEN,
                CircuitBreaker.State.METRICS_ONLY)) {
            assertThrows(IllegalStateException.class, () -> Resilience4jBreakers.map(s));
        }
    }

    @Test
    void theConfigurationFollowsTheSettings() {
        var config = Resilience4jBreakers.config(new BreakerSettings(0.6, 7, Duration.ofMillis(1500), 3,
                Duration.ofMillis(250), 0.8, Duration.ofSeconds(45), 2), clock);
        assertEquals(60f, config.getFailureRateThreshold());
        assertEquals(7, config.getMinimumNumberOfCalls());
        assertEquals(2, config.getSlidingWindowSize(), "whole seconds, rounded up");
        assertEquals(80f, config.getSlowCallRateThreshold());
        assertEquals(Duration.ofMillis(250), config.getSlowCallDurationThreshold());
        assertEquals(2, config.getPermittedNumberOfCallsInHalfOpenState());
        assertFalse(config.isAutomaticTransitionFromOpenToHalfOpenEnabled());
        assertEquals(clock, config.getClock());
    }

    /**
     * Threads call three servers at random while the clock moves: every server's events form one unbroken chain
     * (each starts where the last ended) that ends in the breaker's present state.
     */
    @Test
    void concurrentCallsLoseNoTransition() throws Exception {
        Resilience4jBreakers b = breakers(new BreakerSettings(0.5, 4, Duration.ofSeconds(10), 3,
                Duration.ofSeconds(1), 1.0, Duration.ofSeconds(2), 2));
        List<ServerId> servers = List.of(S, OTHER, ServerId.of("third"));
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                go.await();
                ThreadLocalRandom r = ThreadLocalRandom.current();
                for (int i = 0; i < 20_000; i++) {
                    ServerId server = servers.get(r.nextInt(servers.size()));
                    int dice = r.nextInt(100);
                    if (dice == 0) {
                        clock.advance(Duration.ofMillis(500));
                    } else if (dice == 1) {
                        b.recovered(server);
                    } else if (b.tryAcquire(server)) {
                        if (dice < 50) {
                            b.failed(server, FAST, FailureType.CONNECTION_ERROR);
                        } else if (dice < 55) {
                            b.released(server);
                        } else if (dice < 60) {
                            b.failed(server, FAST, FailureType.RATE_LIMIT);
                        } else {
                            b.succeeded(server, dice < 70 ? Duration.ofSeconds(2) : FAST);
                        }
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Map<ServerId, List<BreakerChanged>> byServer = new ConcurrentHashMap<>();
        synchronized (events) {
            events.forEach(e -> byServer.computeIfAbsent(e.server(), k -> new ArrayList<>()).add(e));
        }
        for (ServerId server : servers) {
            List<BreakerChanged> chain = byServer.getOrDefault(server, List.of());
            assertTrue(chain.size() > 10, server + " changed only " + chain.size() + " times");
            BreakerState at = BreakerState.CLOSED;
            for (BreakerChanged e : chain) {
                assertEquals(at, e.from(), "chain broken at " + e);
                at = e.to();
            }
            assertEquals(b.state(server), at, server + ": the last event is the present state");
        }
    }
}
