package dev.mcphealth.domain.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A day of recovery on a simulated clock: a crash-looping stdio server (every restart dies 1 s after it comes up, the
 * process exit is seen at once) and a flapping server whose counter resets after sustained uptime. Each scenario
 * prints one summary line starting with {@code [recovery]}.
 */
class RecoverySimulationTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant END = T0.plus(Duration.ofHours(24));
    private static final ServerId S = ServerId.of("fs");

    /** Restart times of a server that dies {@code life} after every restart, for a day. */
    private static List<Instant> crashLoop(FailoverConfig c, Duration life, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Instant> restarts = new ArrayList<>();
        RecoveryEpisode e = RecoveryPolicy.begin(S, c, T0, random.nextDouble());
        while (true) {
            Instant now = next(e);
            if (!now.isBefore(END)) {
                return restarts;
            }
            assertTrue(e.due(now));
            restarts.add(now);
            e = RecoveryPolicy.attemptSucceeded(e, now);
            Instant death = now.plus(life);
            assertFalse(RecoveryPolicy.over(e, c.healthCheckInterval(), death), "1 s up never ends the episode");
            e = RecoveryPolicy.relapsed(e, c, death, random.nextDouble());
        }
    }

    private static long count(List<Instant> times, Instant from, Instant to) {
        return times.stream().filter(t -> !t.isBefore(from) && t.isBefore(to)).count();
    }

    @Test
    void aCrashLoopIsRestartedAFewTimesThenAboutEveryFiveMinutes() {
        int[][] configs = {{3, 30, 60}, {5, 10, 15}, {10, 1, 1}, {1, 60, 60}, {0, 30, 60}};
        for (int[] row : configs) {
            int max = row[0];
            FailoverConfig c = RecoveryPolicyTest.config(max, Duration.ofSeconds(row[1]), Duration.ofSeconds(row[2]));
            for (long seed = 1; seed <= 5; seed++) {
                List<Instant> restarts = crashLoop(c, Duration.ofSeconds(1), seed);
                String what = "max " + max + ", delay " + row[1] + " s, seed " + seed;
                // backoff phase: the first max restarts; the last of them no later than the sum of the capped delays
                if (max > 0) {
                    assertEquals(T0, restarts.get(0), "the first restart is immediate, " + what);
                }
                Duration backoff = Duration.ZERO;
                for (int k = 2; k <= max; k++) {
                    backoff = backoff.plus(RecoveryPolicy.delayBefore(k, c.retryDelay())).plusSeconds(1);
                }
                Duration slow = RecoveryPolicy.SLOW_RETRY;
                for (int i = max; i < restarts.size(); i++) {
                    Duration gap = Duration.between(i == 0 ? T0 : restarts.get(i - 1), restarts.get(i));
                    assertTrue(gap.compareTo(slow.multipliedBy(4).dividedBy(5)) >= 0,
                            "restart " + (i + 1) + " came " + gap + " after the last, " + what);
                    assertTrue(gap.compareTo(slow.multipliedBy(6).dividedBy(5).plusSeconds(2)) <= 0,
                            "restart " + (i + 1) + " came " + gap + " after the last: no give-up, " + what);
                }
                long day = Duration.ofHours(24).minus(backoff).toSeconds();
                long fewest = max + day / (slow.toSeconds() * 6 / 5 + 1);
                long most = max + day / (slow.toSeconds() * 4 / 5) + 1;
                assertTrue(restarts.size() >= fewest && restarts.size() <= most,
                        restarts.size() + " restarts in a day, expected " + fewest + ".." + most + ", " + what);
                // the jitter averages out: about one per 5 min
                long expected = max + day / (slow.toSeconds() + 1);
                assertTrue(Math.abs(restarts.size() - expected) <= 15,
                        restarts.size() + " restarts in a day, about " + expected + " expected, " + what);
                assertTrue(count(restarts, T0, T0.plus(Duration.ofHours(1))) <= max + 16,
                        "first hour, " + what);
                if (seed == 1) {
                    System.out.printf("[recovery] crash loop, max %d, delay %d s: %d restarts in 24 h (%d in the"
                                    + " first 10 min)%n", max, row[1], restarts.size(),
                            count(restarts, T0, T0.plus(Duration.ofMinutes(10))));
                }
            }
        }
    }

    /**
     * A server that crashes after {@code uptime} every time and is restarted; the monitor ends an episode when
     * {@link RecoveryPolicy#over} says so and begins a new one on the next crash. Returns the attempt numbers (within
     * their episode) of every restart of the day.
     */
    private static List<Integer> flapping(FailoverConfig c, Duration uptime, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> attemptNumbers = new ArrayList<>();
        Instant now = T0;
        RecoveryEpisode e = RecoveryPolicy.begin(S, c, now, random.nextDouble());
        while (now.isBefore(END)) {
            now = next(e);
            if (!now.isBefore(END)) {
                break;
            }
            attemptNumbers.add(e.attempts() + 1);
            e = RecoveryPolicy.attemptSucceeded(e, now);
            Instant crash = now.plus(uptime);
            // the monitor checks every interval whether the episode is over
            Instant check = now;
            boolean over = false;
            while (check.isBefore(crash)) {
                check = check.plus(c.healthCheckInterval());
                if (check.isBefore(crash) && RecoveryPolicy.over(e, c.healthCheckInterval(), check)) {
                    over = true;
                    break;
                }
            }
            now = crash;
            e = over ? RecoveryPolicy.begin(S, c, now, random.nextDouble())
                    : RecoveryPolicy.relapsed(e, c, now, random.nextDouble());
        }
        return attemptNumbers;
    }

    @Test
    void aFlappingServerWhoseUptimeIsLongEnoughIsAlwaysRestartedAtOnce() {
        FailoverConfig c = RecoveryPolicyTest.config(3, Duration.ofSeconds(30), Duration.ofSeconds(60));
        // resetAfter(60 s) = 120 s: ten minutes up resets the counter each time
        List<Integer> attempts = flapping(c, Duration.ofMinutes(10), 7);
        assertEquals(24 * 6, attempts.size(), "one restart per crash, each at once");
        assertTrue(attempts.stream().allMatch(a -> a == 1), "every crash starts a fresh episode: " + attempts);
        System.out.printf("[recovery] flapping, up 10 min: %d restarts in 24 h, all first attempts%n",
                attempts.size());
    }

    @Test
    void theCounterResetsOnlyAfterResetAfterOfUptime() {
        FailoverConfig c = RecoveryPolicyTest.config(3, Duration.ofSeconds(30), Duration.ofSeconds(60));
        List<Integer> justLongEnough = flapping(c, Duration.ofSeconds(125), 3);
        assertTrue(justLongEnough.stream().allMatch(a -> a == 1),
                "125 s up is more than resetAfter(60 s) = 120 s: " + justLongEnough.subList(0, 10));
        List<Integer> tooShort = flapping(c, Duration.ofSeconds(100), 3);
        assertEquals(List.of(1, 2, 3, 4, 5), tooShort.subList(0, 5), "100 s up does not reset the counter");
        long dayOfShort = tooShort.size();
        assertTrue(dayOfShort < 24 * 60 / 4 + 3, "short uptimes end in the slow retry: " + dayOfShort);
        assertTrue(justLongEnough.size() > 2 * dayOfShort, justLongEnough.size() + " vs " + dayOfShort);
        // a 1 s interval still needs the 30 s minimum
        FailoverConfig fast = RecoveryPolicyTest.config(3, Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertTrue(flapping(fast, Duration.ofSeconds(32), 5).stream().allMatch(a -> a == 1));
        assertEquals(List.of(1, 2, 3, 4), flapping(fast, Duration.ofSeconds(25), 5).subList(0, 4),
                "25 s up is under the 30 s minimum");
        System.out.printf("[recovery] flapping, interval 60 s: up 125 s -> %d restarts, up 100 s -> %d restarts%n",
                justLongEnough.size(), dayOfShort);
    }

    /** The next attempt of an episode that has its server down (a failure of the test otherwise). */
    private static Instant next(RecoveryEpisode e) {
        if (e instanceof RecoveryEpisode.Down d) {
            return d.nextAttemptAt();
        }
        throw new AssertionError("the server is back, no attempt is due: " + e);
    }
}
