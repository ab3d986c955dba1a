package dev.mcphealth.domain.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.FallbackStrategy;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.TransportKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The recovery schedule row by row, and the property that a crash loop can never restart at full speed. */
class RecoveryPolicyTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final ServerId S = ServerId.of("fs");
    private static final double MID = 0.5; // jitter factor exactly 1
    private static final Duration MIN = RecoveryPolicy.MAX_BACKOFF;

    static FailoverConfig config(int attempts, Duration delay, Duration interval) {
        return new FailoverConfig(ServerType.of("files"), FallbackStrategy.GRACEFUL_DEGRADATION, Optional.empty(),
                true, attempts, delay, interval, Optional.empty());
    }

    private static final FailoverConfig THREE = config(3, Duration.ofSeconds(30), Duration.ofSeconds(60));

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Example
    void onlyDeadUnreachableOrHungServersAreRecoverable() {
        assertTrue(RecoveryPolicy.recoverable(FailureType.CONNECTION_ERROR));
        assertTrue(RecoveryPolicy.recoverable(FailureType.TIMEOUT));
        assertFalse(RecoveryPolicy.recoverable(FailureType.AUTHENTICATION), "a restart does not fix a bad token");
        assertFalse(RecoveryPolicy.recoverable(FailureType.RATE_LIMIT), "a restart does not lift a quota");
        assertFalse(RecoveryPolicy.recoverable(FailureType.SERVER_ERROR));
    }

    @Example
    void stdioIsRestartedRemoteIsReconnected() {
        assertEquals(RecoveryAction.RESTART, RecoveryPolicy.actionFor(TransportKind.STDIO));
        assertEquals(RecoveryAction.RECONNECT, RecoveryPolicy.actionFor(TransportKind.STREAMABLE_HTTP));
        assertEquals(RecoveryAction.RECONNECT, RecoveryPolicy.actionFor(TransportKind.SSE));
    }

    @Example
    void theFirstAttemptIsImmediateThenTheDelayDoublesUpToTheCap() {
        Duration d = Duration.ofSeconds(30);
        assertEquals(Duration.ZERO, RecoveryPolicy.delayBefore(1, d));
        assertEquals(Duration.ofSeconds(30), RecoveryPolicy.delayBefore(2, d));
        assertEquals(Duration.ofSeconds(60), RecoveryPolicy.delayBefore(3, d));
        assertEquals(Duration.ofSeconds(120), RecoveryPolicy.delayBefore(4, d));
        assertEquals(Duration.ofSeconds(240), RecoveryPolicy.delayBefore(5, d));
        assertEquals(MIN, RecoveryPolicy.delayBefore(6, d), "480 s is capped at 5 min");
        assertEquals(MIN, RecoveryPolicy.delayBefore(100, d));
        assertEquals(MIN, RecoveryPolicy.delayBefore(2, Duration.ofHours(1)), "even the first wait is capped");
        assertEquals(Duration.ZERO, RecoveryPolicy.delayBefore(7, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> RecoveryPolicy.delayBefore(0, d));
    }

    @Property
    void theDelayFollowsTheFormula(@ForAll @IntRange(min = 2, max = 100) int attempt,
                                   @ForAll @IntRange(min = 0, max = 3600) int delaySeconds) {
        Duration d = Duration.ofSeconds(delaySeconds);
        double exact = delaySeconds * Math.pow(2, attempt - 2);
        Duration expected = exact >= MIN.toSeconds() ? MIN : Duration.ofSeconds((long) exact);
        assertEquals(expected, RecoveryPolicy.delayBefore(attempt, d));
    }

    @Example
    void jitterStaysWithinTwentyPercent() {
        Duration m = Duration.ofMinutes(5);
        assertEquals(Duration.ofMinutes(4), RecoveryPolicy.jittered(m, 0.0));
        assertEquals(m, RecoveryPolicy.jittered(m, 0.5));
        assertTrue(RecoveryPolicy.jittered(m, Math.nextDown(1.0)).compareTo(Duration.ofMinutes(6)) <= 0,
                "at most 20 % more (the rounding to whole nanoseconds may reach it)");
        assertTrue(RecoveryPolicy.jittered(m, 0.99).compareTo(Duration.ofSeconds(355)) > 0);
        assertThrows(IllegalArgumentException.class, () -> RecoveryPolicy.jittered(m, 1.0));
        assertThrows(IllegalArgumentException.class, () -> RecoveryPolicy.jittered(m, -0.1));
        assertThrows(IllegalArgumentException.class, () -> RecoveryPolicy.jittered(m, Double.NaN));
    }

    @Property
    void jitteredDelaysAreWithinBounds(@ForAll @IntRange(min = 0, max = 3600) int seconds,
                                       @ForAll @DoubleRange(min = 0.0, max = 1.0, maxIncluded = false) double r) {
        long nanos = Duration.ofSeconds(seconds).toNanos();
        long got = RecoveryPolicy.jittered(Duration.ofSeconds(seconds), r).toNanos();
        assertTrue(got >= Math.floor(nanos * 0.8) && got <= Math.ceil(nanos * 1.2), got + " for " + nanos);
    }

    @Example
    void anEpisodeStartsWithAnImmediateAttempt() {
        RecoveryEpisode e = RecoveryPolicy.begin(S, THREE, at(0), MID);
        assertEquals(0, e.attempts());
        assertFalse(e.exhausted());
        assertFalse(e.up());
        assertTrue(e.due(at(0)));
        assertEquals(at(0), e.startedAt());
    }

    @Example
    void failedAttemptsBackOffThenExhaustAndRetrySlowly() {
        RecoveryEpisode e = RecoveryPolicy.begin(S, THREE, at(0), MID);
        e = RecoveryPolicy.attemptFailed(e, THREE, at(1), MID);
        assertEquals(1, e.attempts());
        assertEquals(at(31), next(e), "attempt 2 waits retryDelay");
        assertFalse(e.due(at(30)));
        assertTrue(e.due(at(31)));
        assertFalse(e.exhausted());
        e = RecoveryPolicy.attemptFailed(e, THREE, at(31), MID);
        assertEquals(at(91), next(e), "attempt 3 waits twice retryDelay");
        assertFalse(e.exhausted());
        e = RecoveryPolicy.attemptFailed(e, THREE, at(91), MID);
        assertEquals(3, e.attempts());
        assertTrue(e.exhausted(), "three failed attempts of three");
        assertEquals(at(91).plus(RecoveryPolicy.SLOW_RETRY), next(e), "never a permanent give-up");
        e = RecoveryPolicy.attemptFailed(e, THREE, at(391), 0.0);
        assertEquals(4, e.attempts());
        assertTrue(e.exhausted());
        assertEquals(at(391 + 240), next(e), "the slow retry is jittered too");
    }

    @Example
    void withNoAttemptsConfiguredTheEpisodeIsExhaustedFromTheStart() {
        FailoverConfig none = config(0, Duration.ofSeconds(30), Duration.ofSeconds(60));
        RecoveryEpisode e = RecoveryPolicy.begin(S, none, at(0), MID);
        assertTrue(e.exhausted());
        assertEquals(0, e.attempts());
        assertFalse(e.due(at(299)));
        assertTrue(e.due(at(300)), "still retried, slowly");
        e = RecoveryPolicy.attemptFailed(e, none, at(300), MID);
        assertTrue(e.exhausted());
        assertEquals(at(600), next(e));
    }

    @Example
    void aSuccessfulAttemptCountsAndMarksTheServerUp() {
        RecoveryEpisode e = RecoveryPolicy.begin(S, THREE, at(0), MID);
        e = RecoveryPolicy.attemptSucceeded(e, at(2));
        assertEquals(1, e.attempts());
        assertTrue(e.up());
        assertEquals(Optional.of(at(2)), e.upSince());
        assertFalse(e.due(at(10_000)), "nothing is due while the server is up");
        assertFalse(e.exhausted());
    }

    @Example
    void aServerThatComesBackByItselfCostsNoAttempt() {
        RecoveryEpisode e = RecoveryPolicy.attemptFailed(RecoveryPolicy.begin(S, THREE, at(0), MID), THREE, at(1),
                MID);
        RecoveryEpisode back = RecoveryPolicy.cameBack(e, at(10));
        assertEquals(1, back.attempts());
        assertEquals(Optional.of(at(10)), back.upSince());
        assertEquals(back, RecoveryPolicy.cameBack(back, at(20)), "coming back twice keeps the first time");
    }

    @Example
    void aRelapseFollowsTheBackoffOfTheAttemptsMadeSoFar() {
        RecoveryEpisode e = RecoveryPolicy.begin(S, THREE, at(0), MID);
        e = RecoveryPolicy.attemptSucceeded(e, at(0));
        e = RecoveryPolicy.relapsed(e, THREE, at(1), MID);
        assertFalse(e.up());
        assertEquals(1, e.attempts());
        assertEquals(at(31), next(e), "not an immediate restart: that is the crash loop");
        assertFalse(e.exhausted());
        e = RecoveryPolicy.attemptSucceeded(e, at(31));
        e = RecoveryPolicy.relapsed(e, THREE, at(32), MID);
        assertEquals(at(92), next(e));
        e = RecoveryPolicy.attemptSucceeded(e, at(92));
        e = RecoveryPolicy.relapsed(e, THREE, at(93), MID);
        assertEquals(3, e.attempts());
        assertTrue(e.exhausted(), "the third attempt of three came to nothing");
        assertEquals(at(93).plus(RecoveryPolicy.SLOW_RETRY), next(e));
    }

    @Example
    void aRelapseWithoutAnyAttemptIsRetriedAtOnce() {
        RecoveryEpisode e = RecoveryPolicy.cameBack(RecoveryPolicy.begin(S, THREE, at(0), MID), at(0));
        e = RecoveryPolicy.relapsed(e, THREE, at(5), MID);
        assertEquals(at(5), next(e));
        assertTrue(e.due(at(5)));
    }

    @Example
    void aRelapseOfAServerThatIsDownChangesNothing() {
        RecoveryEpisode e = RecoveryPolicy.attemptFailed(RecoveryPolicy.begin(S, THREE, at(0), MID), THREE, at(1),
                MID);
        assertEquals(e, RecoveryPolicy.relapsed(e, THREE, at(2), 0.9));
    }

    @Example
    void theCounterResetsAfterTwoIntervalsAndAtLeastThirtySeconds() {
        assertEquals(Duration.ofSeconds(30), RecoveryPolicy.resetAfter(Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(30), RecoveryPolicy.resetAfter(Duration.ofSeconds(15)));
        assertEquals(Duration.ofSeconds(32), RecoveryPolicy.resetAfter(Duration.ofSeconds(16)));
        assertEquals(Duration.ofSeconds(120), RecoveryPolicy.resetAfter(Duration.ofSeconds(60)));
        RecoveryEpisode e = RecoveryPolicy.attemptSucceeded(RecoveryPolicy.begin(S, THREE, at(0), MID), at(10));
        Duration interval = Duration.ofSeconds(60);
        assertFalse(RecoveryPolicy.over(e, interval, at(129)));
        assertTrue(RecoveryPolicy.over(e, interval, at(130)));
        RecoveryEpisode down = RecoveryPolicy.relapsed(e, THREE, at(100), MID);
        assertFalse(RecoveryPolicy.over(down, interval, at(10_000)), "a server that is down ends no episode");
    }

    @Example
    void anEpisodeRefusesANextAttemptBeforeItsStart() {
        assertThrows(IllegalArgumentException.class,
                () -> new RecoveryEpisode.Down(S, at(10), 0, at(9), false));
        assertThrows(IllegalArgumentException.class,
                () -> new RecoveryEpisode.Down(S, at(10), -1, at(10), false));
        assertThrows(NullPointerException.class,
                () -> new RecoveryEpisode.Back(S, at(10), 0, false, null));
    }

    // ---- the recovery loop, driven on a simulated clock ----

    /** What the server does after one of our attempts. */
    enum Fate { FAILS, UP_BRIEFLY, UP_FOR_GOOD, COMES_BACK_BY_ITSELF }

    @Provide
    Arbitrary<Fate> fates() {
        return Arbitraries.of(Fate.FAILS, Fate.FAILS, Fate.UP_BRIEFLY, Fate.UP_BRIEFLY, Fate.UP_FOR_GOOD,
                Fate.COMES_BACK_BY_ITSELF);
    }

    /**
     * For any config and any sequence of fates: within one episode, attempt k (1-based) comes at least
     * 0.8 x delayBefore(k) after attempt k-1 while k <= maxRetryAttempts, and at least 0.8 x SLOW_RETRY after it
     * beyond that (so at most maxRetryAttempts attempts run at backoff speed), the policy's count and exhausted flag
     * agree, and a server that is down always has a next attempt within 1.2 x the longest wait.
     */
    @Property(tries = 1000)
    void aRecoveryLoopNeverRunsAtFullSpeed(@ForAll @IntRange(min = 0, max = 8) int maxAttempts,
                                           @ForAll @IntRange(min = 0, max = 600) int delaySeconds,
                                           @ForAll @IntRange(min = 1, max = 300) int intervalSeconds,
                                           @ForAll @Size(min = 1, max = 80) List<@From("fates") Fate> fates,
                                           @ForAll long seed) {
        FailoverConfig c = config(maxAttempts, Duration.ofSeconds(delaySeconds), Duration.ofSeconds(intervalSeconds));
        Duration interval = c.healthCheckInterval();
        Duration longest = RecoveryPolicy.MAX_BACKOFF.compareTo(RecoveryPolicy.SLOW_RETRY) > 0
                ? RecoveryPolicy.MAX_BACKOFF : RecoveryPolicy.SLOW_RETRY;
        Duration latest = Duration.ofNanos((long) Math.ceil(longest.toNanos() * 1.2));
        SplittableRandom random = new SplittableRandom(seed);
        Instant now = T0;
        RecoveryEpisode e = RecoveryPolicy.begin(S, c, now, random.nextDouble());
        List<Instant> attempts = new ArrayList<>(); // this episode's attempt times
        int episodes = 1;
        for (Fate fate : fates) {
            // the server is down: wait for the next attempt, checking the policy's promises on the way
            assertFalse(e.up());
            assertTrue(!next(e).isAfter(now.plus(latest)), "a down server always has a next attempt");
            assertEquals(attempts.size(), e.attempts());
            assertEquals(attempts.size() >= maxAttempts, e.exhausted(), "exhausted after " + attempts.size());
            if (fate == Fate.COMES_BACK_BY_ITSELF) {
                now = now.plusMillis(1 + random.nextInt(200_000));
                if (now.isBefore(next(e))) {
                    e = RecoveryPolicy.cameBack(e, now);
                    now = now.plusSeconds(1 + random.nextInt(40));
                    if (RecoveryPolicy.over(e, interval, now)) {
                        e = newEpisode(c, now, random);
                        attempts.clear();
                        episodes++;
                    } else {
                        e = RecoveryPolicy.relapsed(e, c, now, random.nextDouble());
                    }
                    continue;
                }
            }
            now = laterOf(now, next(e));
            assertTrue(e.due(now));
            int k = attempts.size() + 1;
            if (!attempts.isEmpty() || maxAttempts == 0) {
                Instant previous = attempts.isEmpty() ? e.startedAt() : attempts.get(attempts.size() - 1);
                Duration schedule = k <= maxAttempts ? RecoveryPolicy.delayBefore(k, c.retryDelay())
                        : RecoveryPolicy.SLOW_RETRY;
                long gap = Duration.between(previous, now).toNanos();
                assertTrue(gap >= (long) Math.floor(schedule.toNanos() * 0.8),
                        "attempt " + k + " of " + maxAttempts + " came " + Duration.ofNanos(gap) + " after the last,"
                                + " the schedule asks for " + schedule + " -20 %");
            }
            attempts.add(now);
            switch (fate) {
                case FAILS, COMES_BACK_BY_ITSELF -> {
                    now = now.plusSeconds(1);
                    e = RecoveryPolicy.attemptFailed(e, c, now, random.nextDouble());
                }
                case UP_BRIEFLY -> {
                    e = RecoveryPolicy.attemptSucceeded(e, now.plusSeconds(1));
                    Instant death = now.plusSeconds(2 + random.nextInt(20)); // < 30 s: never long enough to reset
                    assertFalse(RecoveryPolicy.over(e, interval, death));
                    now = death;
                    e = RecoveryPolicy.relapsed(e, c, now, random.nextDouble());
                }
                case UP_FOR_GOOD -> {
                    e = RecoveryPolicy.attemptSucceeded(e, now.plusSeconds(1));
                    now = now.plusSeconds(1).plus(RecoveryPolicy.resetAfter(interval));
                    assertTrue(RecoveryPolicy.over(e, interval, now));
                    now = now.plusSeconds(random.nextInt(600));
                    e = newEpisode(c, now, random);
                    attempts.clear();
                    episodes++;
                }
                default -> throw new AssertionError(fate);
            }
        }
        assertTrue(episodes >= 1);
    }

    private static RecoveryEpisode newEpisode(FailoverConfig c, Instant now, SplittableRandom random) {
        return RecoveryPolicy.begin(S, c, now, random.nextDouble());
    }

    private static Instant laterOf(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** The next attempt of an episode that has its server down (a failure of the test otherwise). */
    private static Instant next(RecoveryEpisode e) {
        if (e instanceof RecoveryEpisode.Down d) {
            return d.nextAttemptAt();
        }
        throw new AssertionError("the server is back, no attempt is due: " + e);
    }
}
