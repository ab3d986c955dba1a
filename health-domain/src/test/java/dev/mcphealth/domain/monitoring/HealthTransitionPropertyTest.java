package dev.mcphealth.domain.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.Thresholds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * A server's health episode against {@link HealthTransition}'s table, for any sequence of probe outcomes and lost
 * sessions and any thresholds: {@link HysteresisPolicy} never leaves the table (it would throw), and what the table
 * means holds: offline only after the configured failures in a row or a lost session, and healthy again after a
 * failure only after the configured healthy answers in a row.
 */
class HealthTransitionPropertyTest {

    enum Seen { HEALTHY, SLOW, VERY_SLOW, TIMEOUT, REFUSED, RATE_LIMITED, LOST }

    private static Observation observation(Seen s) {
        return switch (s) {
            case HEALTHY -> new Observation.Answered(HealthStatus.HEALTHY);
            case SLOW -> new Observation.Answered(HealthStatus.WARNING);
            case VERY_SLOW -> new Observation.Answered(HealthStatus.CRITICAL);
            case TIMEOUT -> new Observation.Failed(FailureType.TIMEOUT);
            case REFUSED -> new Observation.Failed(FailureType.CONNECTION_ERROR);
            case RATE_LIMITED -> new Observation.Failed(FailureType.RATE_LIMIT);
            case LOST -> new Observation.Lost(FailureType.CONNECTION_ERROR);
        };
    }

    @Property(tries = 500)
    void everyEpisodeFollowsTheTableAndKeepsItsPromises(@ForAll @Size(max = 60) List<Seen> seen,
                                                         @ForAll @IntRange(min = 1, max = 5) int offlineAfter,
                                                         @ForAll @IntRange(min = 1, max = 5) int healthyAfter) {
        Thresholds t = new Thresholds(Duration.ofMillis(500), Duration.ofMillis(2000), 0.05, 0.25, offlineAfter,
                healthyAfter);
        HealthState state = HealthState.UNKNOWN;
        int failuresInARow = 0;
        int healthyInARow = 0;
        boolean failedSinceHealthy = false;
        int answersSinceFailed = 0; // a rate limit counts as failed here: the answer after it is only a warning
        List<HealthPhase> phases = new ArrayList<>(List.of(HealthPhase.UNKNOWN));
        for (Seen s : seen) {
            HealthPhase before = HealthPhase.of(state);
            state = HysteresisPolicy.next(state, observation(s), t);
            HealthPhase after = HealthPhase.of(state);
            if (after != before) {
                assertTrue(HealthTransition.find(before, after).isPresent(), before + " -> " + after);
                phases.add(after);
            }
            switch (s) {
                case TIMEOUT, REFUSED -> {
                    failuresInARow++;
                    healthyInARow = 0;
                    failedSinceHealthy = true;
                    answersSinceFailed = 0;
                }
                case LOST -> {
                    failuresInARow = Math.max(failuresInARow + 1, offlineAfter);
                    healthyInARow = 0;
                    failedSinceHealthy = true;
                    answersSinceFailed = 0;
                }
                case RATE_LIMITED -> {
                    healthyInARow = 0;
                    answersSinceFailed = 0;
                }
                case HEALTHY -> {
                    failuresInARow = 0;
                    healthyInARow++;
                    answersSinceFailed++;
                }
                default -> {
                    failuresInARow = 0;
                    healthyInARow = 0;
                    answersSinceFailed++;
                }
            }
            HealthStatus status = state.status().orElseThrow();
            if (status == HealthStatus.OFFLINE) {
                assertTrue(failuresInARow >= offlineAfter, "offline only after " + offlineAfter + " failures: " + seen);
            }
            if (status == HealthStatus.HEALTHY && before != HealthPhase.HEALTHY && failedSinceHealthy) {
                // the first answer after a failure only counts as warning; then the configured healthy answers in a row
                assertTrue(answersSinceFailed >= 2, "one answer after a failure does not prove a recovery: " + seen);
                assertTrue(healthyInARow >= healthyAfter, "healthy again only after " + healthyAfter
                        + " healthy answers in a row: " + seen);
                assertEquals(Seen.HEALTHY, s, "only a healthy answer makes a server healthy");
            }
            if (status == HealthStatus.HEALTHY) {
                failedSinceHealthy = false;
            }
        }
    }

    @Property
    void betweenAllowsExactlyThePairsOfTheTable(@ForAll HealthPhase from, @ForAll HealthPhase to) {
        boolean listed = Arrays.stream(HealthTransition.values()).anyMatch(x -> x.from() == from && x.to() == to);
        if (listed) {
            assertEquals(to, HealthTransition.between(from, to).to());
        } else {
            assertThrows(IllegalStateException.class, () -> HealthTransition.between(from, to));
        }
    }

    @Example
    void aServerThatWasDownIsNeverHealthyAtOnce() {
        assertTrue(HealthTransition.find(HealthPhase.DOWN, HealthPhase.HEALTHY).isEmpty());
        HealthState down = HysteresisPolicy.next(HealthState.UNKNOWN, new Observation.Failed(FailureType.TIMEOUT),
                Thresholds.DEFAULTS);
        HealthState answered = HysteresisPolicy.next(down, new Observation.Answered(HealthStatus.HEALTHY),
                Thresholds.DEFAULTS);
        assertEquals(HealthPhase.DEGRADED, HealthPhase.of(answered));
    }
}
