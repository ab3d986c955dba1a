package dev.mcphealth.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent.BreakerChanged;
import dev.mcphealth.domain.model.ServerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BreakerPort} does, on a clock the test moves, under settings where only a run of failures trips
 * a breaker (3 in a row; the failure rate would need 1,000 calls): closed at first; open after the run, refusing
 * calls for {@code openFor}; then one trial call whose outcome closes or re-opens it; {@code recovered} lets the trial
 * through at once; a rate-limited call is no failure; each server on its own; every change told to the listener.
 * Run against the fake the services' tests use and, in health-infrastructure, against Resilience4j.
 */
public abstract class BreakerContract {
    protected static final ServerId S = ServerId.of("files-1");
    protected static final ServerId OTHER = ServerId.of("files-2");
    protected static final Duration OPEN_FOR = Duration.ofSeconds(30);
    protected static final BreakerSettings SETTINGS = new BreakerSettings(1.0, 1000, Duration.ofSeconds(60), 3,
            Duration.ofSeconds(10), 1.0, OPEN_FOR, 1);
    private static final Duration FAST = Duration.ofMillis(20);

    protected final TestClock clock = new TestClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final List<BreakerChanged> changes = new ArrayList<>();
    private BreakerPort breakers;

    /** A fresh set of breakers, all under {@code settings}, on {@code clock}. */
    protected abstract BreakerPort breakers(BreakerSettings settings, Clock clock);

    private BreakerPort breakers() {
        if (breakers == null) {
            breakers = breakers(SETTINGS, clock);
            breakers.onTransition(changes::add);
        }
        return breakers;
    }

    /** Calls as the router makes them: S success, F server error, R rate limited; each one permitted first. */
    private void calls(ServerId server, String outcomes) {
        for (char c : outcomes.toCharArray()) {
            assertTrue(breakers().tryAcquire(server), "permitted before " + c);
            switch (c) {
                case 'S' -> breakers().succeeded(server, FAST);
                case 'F' -> breakers().failed(server, FAST, FailureType.SERVER_ERROR);
                case 'R' -> breakers().failed(server, FAST, FailureType.RATE_LIMIT);
                default -> throw new IllegalArgumentException("outcome " + c);
            }
        }
    }

    private List<String> moves() {
        return changes.stream().map(c -> c.server().value() + ":" + c.from() + "->" + c.to()).toList();
    }

    @Test
    void aBreakerIsClosedAtFirstAndASuccessBreaksTheRun() {
        assertEquals(BreakerState.CLOSED, breakers().state(S));
        assertEquals(Duration.ZERO, breakers().retryAfter(S));

        calls(S, "FFSFF");

        assertEquals(BreakerState.CLOSED, breakers().state(S));
        assertTrue(breakers().tryAcquire(S));
        assertEquals(List.of(), moves());
    }

    @Test
    void aRunOfFailuresOpensItUntilOpenForHasPassed() {
        calls(S, "FFF");

        assertEquals(BreakerState.OPEN, breakers().state(S));
        assertFalse(breakers().tryAcquire(S));
        assertEquals(OPEN_FOR, breakers().retryAfter(S));
        clock.advance(Duration.ofSeconds(20));
        assertFalse(breakers().tryAcquire(S));
        assertEquals(Duration.ofSeconds(10), breakers().retryAfter(S));
        assertEquals(List.of("files-1:CLOSED->OPEN"), moves());
    }

    @Test
    void afterOpenForOneTrialIsLetThroughAndItsSuccessClosesTheBreaker() {
        calls(S, "FFF");
        clock.advance(OPEN_FOR);

        assertTrue(breakers().tryAcquire(S));
        assertEquals(BreakerState.HALF_OPEN, breakers().state(S));
        assertFalse(breakers().tryAcquire(S), "a second trial while the first is out");
        breakers().succeeded(S, FAST);

        assertEquals(BreakerState.CLOSED, breakers().state(S));
        assertTrue(breakers().tryAcquire(S));
        assertEquals(List.of("files-1:CLOSED->OPEN", "files-1:OPEN->HALF_OPEN", "files-1:HALF_OPEN->CLOSED"),
                moves());
    }

    @Test
    void aFailedTrialOpensItAgainForAnotherOpenFor() {
        calls(S, "FFF");
        clock.advance(OPEN_FOR);
        calls(S, "F");

        assertEquals(BreakerState.OPEN, breakers().state(S));
        assertFalse(breakers().tryAcquire(S));
        assertEquals(OPEN_FOR, breakers().retryAfter(S));
        assertEquals("files-1:HALF_OPEN->OPEN", moves().get(moves().size() - 1));
    }

    @Test
    void aTrialPermissionGivenBackLetsAnotherTrialThrough() {
        calls(S, "FFF");
        clock.advance(OPEN_FOR);
        assertTrue(breakers().tryAcquire(S));

        breakers().released(S);

        assertTrue(breakers().tryAcquire(S));
    }

    @Test
    void aServerBroughtBackGetsItsTrialAtOnce() {
        calls(S, "FFF");

        breakers().recovered(S);

        assertEquals(BreakerState.HALF_OPEN, breakers().state(S));
        assertEquals(Duration.ZERO, breakers().retryAfter(S));
        assertTrue(breakers().tryAcquire(S));
    }

    @Test
    void aServerBroughtBackStartsItsRunOfFailuresAgain() {
        calls(S, "FF");

        breakers().recovered(S);
        calls(S, "F");

        assertEquals(BreakerState.CLOSED, breakers().state(S));
    }

    @Test
    void aRateLimitedCallIsNoFailure() {
        calls(S, "FFRRRRR");

        assertEquals(BreakerState.CLOSED, breakers().state(S));
        calls(S, "F");
        assertEquals(BreakerState.OPEN, breakers().state(S), "the run of server errors goes on across 429s");
    }

    @Test
    void eachServerHasItsOwnBreaker() {
        calls(S, "FFF");

        assertEquals(BreakerState.OPEN, breakers().state(S));
        assertEquals(BreakerState.CLOSED, breakers().state(OTHER));
        assertTrue(breakers().tryAcquire(OTHER));
    }

    @Test
    void reconfiguringOneServerKeepsItsStateAndLeavesTheOthersAlone() {
        BreakerSettings longer = new BreakerSettings(1.0, 1000, Duration.ofSeconds(60), 5, Duration.ofSeconds(10),
                1.0, Duration.ofSeconds(120), 1);
        calls(S, "FFF");

        breakers().reconfigure(S, longer);

        assertEquals(longer, breakers().settings(S));
        assertEquals(SETTINGS, breakers().settings(OTHER));
        assertEquals(BreakerState.OPEN, breakers().state(S));
        clock.advance(OPEN_FOR);
        assertFalse(breakers().tryAcquire(S), "open for the new 120 s, counted from when it opened");
    }
}
