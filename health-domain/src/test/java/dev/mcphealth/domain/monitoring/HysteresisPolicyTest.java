package dev.mcphealth.domain.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.Thresholds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The hysteresis table, row by row, and the properties that keep a status from flapping. */
class HysteresisPolicyTest {
    private static final Thresholds T = Thresholds.DEFAULTS; // offline after 3 failures, healthy after 2 successes
    private static final Observation OK = new Observation.Answered(HealthStatus.HEALTHY);
    private static final Observation SLOW = new Observation.Answered(HealthStatus.WARNING);
    private static final Observation VERY_SLOW = new Observation.Answered(HealthStatus.CRITICAL);
    private static final Observation TIMEOUT = new Observation.Failed(FailureType.TIMEOUT);
    private static final Observation GONE = new Observation.Failed(FailureType.CONNECTION_ERROR);
    private static final Observation THROTTLED = new Observation.Failed(FailureType.RATE_LIMIT);

    private static List<String> walk(Thresholds t, Observation... observations) {
        HealthState s = HealthState.UNKNOWN;
        List<String> out = new ArrayList<>();
        for (Observation o : observations) {
            s = HysteresisPolicy.next(s, o, t);
            out.add(s.status().orElseThrow().code());
        }
        return out;
    }

    @Example
    void theFirstObservationSetsTheStatus() {
        assertEquals(List.of("healthy"), walk(T, OK));
        assertEquals(List.of("warning"), walk(T, SLOW));
        assertEquals(List.of("critical"), walk(T, TIMEOUT));
    }

    @Example
    void failuresGoCriticalAtOnceAndOfflineAtTheThird() {
        assertEquals(List.of("healthy", "critical", "critical", "offline", "offline"),
                walk(T, OK, TIMEOUT, GONE, TIMEOUT, TIMEOUT));
    }

    @Example
    void recoveryPassesThroughWarningForOneIntervalThenNeedsTheSuccesses() {
        assertEquals(List.of("critical", "critical", "offline", "warning", "healthy"),
                walk(T, GONE, GONE, GONE, OK, OK));
        Thresholds four = new Thresholds(Duration.ofMillis(500), Duration.ofMillis(2000), 0.05, 0.25, 3, 4);
        assertEquals(List.of("critical", "warning", "warning", "warning", "healthy"),
                walk(four, TIMEOUT, OK, OK, OK, OK));
        Thresholds one = new Thresholds(Duration.ofMillis(500), Duration.ofMillis(2000), 0.05, 0.25, 1, 1);
        assertEquals(List.of("offline", "warning", "healthy"), walk(one, TIMEOUT, OK, OK),
                "even with one success required, the first answer after a failure counts as warning");
    }

    @Example
    void oneSlowAnswerIsNotAnIncidentTwoAre() {
        assertEquals(List.of("healthy", "healthy", "healthy"), walk(T, OK, VERY_SLOW, OK));
        assertEquals(List.of("healthy", "healthy", "warning", "critical"), walk(T, OK, SLOW, SLOW, VERY_SLOW));
    }

    @Example
    void aSlowAnswerAfterAFailureTakesItsLevelAtOnce() {
        assertEquals(List.of("healthy", "critical", "warning", "critical"), walk(T, OK, TIMEOUT, SLOW, VERY_SLOW));
    }

    @Example
    void throttlingIsAWarningAndNeverOffline() {
        assertEquals(List.of("healthy", "warning", "warning", "warning", "warning", "warning", "healthy"),
                walk(T, OK, THROTTLED, THROTTLED, THROTTLED, THROTTLED, OK, OK));
    }

    @Provide
    Arbitrary<Observation> observations() {
        return Arbitraries.of(OK, OK, OK, SLOW, VERY_SLOW, TIMEOUT, GONE, THROTTLED,
                new Observation.Failed(FailureType.SERVER_ERROR), new Observation.Failed(FailureType.AUTHENTICATION));
    }

    @Property
    void theTableHolds(@ForAll @Size(max = 60) List<@net.jqwik.api.From("observations") Observation> walk,
                       @ForAll @IntRange(min = 1, max = 5) int offlineAfter,
                       @ForAll @IntRange(min = 1, max = 5) int healthyAfter) {
        Thresholds t = new Thresholds(Duration.ofMillis(500), Duration.ofMillis(2000), 0.05, 0.25, offlineAfter,
                healthyAfter);
        HealthState s = HealthState.UNKNOWN;
        int failuresInARow = 0;
        int successesInARow = 0;
        for (Observation o : walk) {
            HealthState before = s;
            s = HysteresisPolicy.next(s, o, t);
            HealthStatus now = s.status().orElseThrow();
            if (o instanceof Observation.Failed f && f.type() != FailureType.RATE_LIMIT) {
                failuresInARow++;
                successesInARow = 0;
                assertEquals(failuresInARow >= offlineAfter ? HealthStatus.OFFLINE : HealthStatus.CRITICAL, now,
                        "failure #" + failuresInARow);
            } else if (o instanceof Observation.Failed) {
                successesInARow = 0;
                assertEquals(HealthStatus.WARNING, now, "a throttled server is up");
            } else {
                failuresInARow = 0;
                assertTrue(now != HealthStatus.OFFLINE, "a server that answered is not offline");
                if (o.equals(OK)) {
                    successesInARow++;
                } else {
                    successesInARow = 0;
                }
            }
            if (now == HealthStatus.HEALTHY && before.status().isPresent() && !before.isHealthy()) {
                assertTrue(successesInARow >= healthyAfter && !before.lastFailed(),
                        "healthy again only after enough answers in a row (" + successesInARow
                                + "), and never on the first answer after a failure");
            }
            if (before.isHealthy() && now != HealthStatus.HEALTHY && o instanceof Observation.Answered) {
                assertEquals(HysteresisPolicy.DEGRADE_AFTER, s.consecutiveDegraded(),
                        "slow answers move a healthy server only after " + HysteresisPolicy.DEGRADE_AFTER);
            }
        }
    }
}
