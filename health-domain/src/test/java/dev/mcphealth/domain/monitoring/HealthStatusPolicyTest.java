package dev.mcphealth.domain.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.ProbeMethod;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.Thresholds;
import java.time.Duration;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Property test (jqwik only: no JUnit Jupiter annotations in this class). */
class HealthStatusPolicyTest {

    private static ProbeOutcome answeredIn(Duration d) {
        return new ProbeOutcome.Answered(d, ProbeMethod.PING, Optional.empty());
    }

    private static ProbeOutcome failed(FailureType type) {
        return new ProbeOutcome.Failed(type, "it failed", Duration.ofMillis(5));
    }

    @Provide
    Arbitrary<Thresholds> thresholds() {
        return Combinators.combine(
                        Arbitraries.longs().between(1, 60_000),
                        Arbitraries.longs().between(1, 60_000))
                .as((warningMs, extraMs) -> new Thresholds(Duration.ofMillis(warningMs),
                        Duration.ofMillis(warningMs + extraMs), 0.05, 0.25, 3, 2));
    }

    /** Latencies up to three minutes, in nanoseconds so sub-millisecond edges are covered too. */
    @Provide
    Arbitrary<Duration> latencies() {
        return Arbitraries.longs().between(0, Duration.ofMinutes(3).toNanos()).map(Duration::ofNanos);
    }

    @Property
    void aSlowerAnswerNeverGivesABetterStatus(@ForAll("thresholds") Thresholds t,
                                              @ForAll("latencies") Duration a, @ForAll("latencies") Duration b) {
        Duration faster = a.compareTo(b) <= 0 ? a : b;
        Duration slower = a.compareTo(b) <= 0 ? b : a;
        HealthStatus fast = HealthStatusPolicy.classify(answeredIn(faster), t);
        HealthStatus slow = HealthStatusPolicy.classify(answeredIn(slower), t);
        assertFalse(fast.isWorseThan(slow), faster + " gave " + fast + " but slower " + slower + " gave " + slow);
    }

    @Property
    void everyAnswerBelowTheWarningLatencyIsHealthy(@ForAll("thresholds") Thresholds t,
                                                     @ForAll("latencies") Duration d) {
        Duration below = Duration.ofNanos(d.toNanos() % t.responseTimeWarning().toNanos());
        assertEquals(HealthStatus.HEALTHY, HealthStatusPolicy.classify(answeredIn(below), t));
    }

    @Property
    void anAnswerIsNeverOffline(@ForAll("thresholds") Thresholds t, @ForAll("latencies") Duration d) {
        assertFalse(HealthStatusPolicy.classify(answeredIn(d), t) == HealthStatus.OFFLINE);
    }

    @Property
    void theStatusFollowsTheLatencyBands(@ForAll("thresholds") Thresholds t, @ForAll("latencies") Duration d) {
        HealthStatus expected = d.compareTo(t.responseTimeCritical()) >= 0 ? HealthStatus.CRITICAL
                : d.compareTo(t.responseTimeWarning()) >= 0 ? HealthStatus.WARNING : HealthStatus.HEALTHY;
        assertEquals(expected, HealthStatusPolicy.classify(answeredIn(d), t));
    }

    @Example
    void bandEdgesBelongToTheWorseBand() {
        Thresholds t = Thresholds.DEFAULTS;
        assertEquals(HealthStatus.HEALTHY, HealthStatusPolicy.classify(answeredIn(Duration.ZERO), t));
        assertEquals(HealthStatus.HEALTHY,
                HealthStatusPolicy.classify(answeredIn(Duration.ofMillis(500).minusNanos(1)), t));
        assertEquals(HealthStatus.WARNING, HealthStatusPolicy.classify(answeredIn(Duration.ofMillis(500)), t));
        assertEquals(HealthStatus.WARNING,
                HealthStatusPolicy.classify(answeredIn(Duration.ofMillis(2000).minusNanos(1)), t));
        assertEquals(HealthStatus.CRITICAL, HealthStatusPolicy.classify(answeredIn(Duration.ofMillis(2000)), t));
    }

    @Example
    void connectionErrorIsOffline() {
        assertEquals(HealthStatus.OFFLINE,
                HealthStatusPolicy.classify(failed(FailureType.CONNECTION_ERROR), Thresholds.DEFAULTS));
    }

    @Example
    void rateLimitIsWarning() {
        assertEquals(HealthStatus.WARNING,
                HealthStatusPolicy.classify(failed(FailureType.RATE_LIMIT), Thresholds.DEFAULTS));
    }

    @Example
    void timeoutAuthenticationAndServerErrorAreCritical() {
        for (FailureType type : new FailureType[] {FailureType.TIMEOUT, FailureType.AUTHENTICATION,
                FailureType.SERVER_ERROR}) {
            assertEquals(HealthStatus.CRITICAL, HealthStatusPolicy.classify(failed(type), Thresholds.DEFAULTS),
                    type.code());
        }
    }

    @Property
    void aFailureIsNeverHealthyAndDoesNotDependOnThresholds(@ForAll FailureType type,
                                                            @ForAll("thresholds") Thresholds t) {
        HealthStatus status = HealthStatusPolicy.classify(failed(type), t);
        assertFalse(status == HealthStatus.HEALTHY);
        assertEquals(HealthStatusPolicy.classify(failed(type), Thresholds.DEFAULTS), status);
    }
}
