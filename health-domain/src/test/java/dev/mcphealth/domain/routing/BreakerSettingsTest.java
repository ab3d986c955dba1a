package dev.mcphealth.domain.routing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class BreakerSettingsTest {
    private static final Duration S60 = Duration.ofSeconds(60);

    private static String refused(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    private static BreakerSettings rates(double failureRate, double slowCallRate) {
        return new BreakerSettings(failureRate, 10, S60, 5, Duration.ofSeconds(10), slowCallRate, S60, 1);
    }

    private static BreakerSettings counts(int minimumCalls, int consecutive, int trials) {
        return new BreakerSettings(0.5, minimumCalls, S60, consecutive, Duration.ofSeconds(10), 1.0, S60, trials);
    }

    private static BreakerSettings durations(Duration window, Duration slowCall, Duration openFor) {
        return new BreakerSettings(0.5, 10, window, 5, slowCall, 1.0, openFor, 1);
    }

    @Test
    void eachWitherChangesOneSettingAndValidatesIt() {
        BreakerSettings d = BreakerSettings.DEFAULTS;

        assertEquals(new BreakerSettings(0.5, 10, S60, 5, Duration.ofSeconds(2), 1.0, Duration.ofSeconds(30), 1),
                d.withSlowCall(Duration.ofSeconds(2)));
        assertEquals(new BreakerSettings(0.25, 10, S60, 5, Duration.ofSeconds(10), 1.0, Duration.ofSeconds(30), 1),
                d.withFailureRate(0.25));
        assertEquals(new BreakerSettings(0.5, 10, S60, 5, Duration.ofSeconds(10), 1.0, Duration.ofSeconds(90), 1),
                d.withOpenFor(Duration.ofSeconds(90)));
        assertEquals("breaker failureRate must be in (0, 1], got 0.0", refused(() -> d.withFailureRate(0)));
        assertEquals("breaker openSeconds must be positive and at most an hour, got PT2H",
                refused(() -> d.withOpenFor(Duration.ofHours(2))));
    }

    @Test
    void theDefaultsAreContextForgesWithAShorterOpenPeriod() {
        BreakerSettings d = BreakerSettings.DEFAULTS;
        assertEquals(0.5, d.failureRate());
        assertEquals(10, d.minimumCalls());
        assertEquals(S60, d.window());
        assertEquals(5, d.consecutiveFailures());
        assertEquals(Duration.ofSeconds(30), d.openFor());
        assertEquals(1, d.trialCalls());
    }

    @Test
    void ratesAreFractionsAboveZeroUpToOne() {
        assertDoesNotThrow(() -> rates(1.0, 1.0));
        assertDoesNotThrow(() -> rates(Double.MIN_VALUE, 0.01));
        assertEquals("breaker failureRate must be in (0, 1], got 0.0", refused(() -> rates(0.0, 1.0)));
        assertEquals("breaker failureRate must be in (0, 1], got 1.5", refused(() -> rates(1.5, 1.0)));
        assertEquals("breaker failureRate must be in (0, 1], got NaN", refused(() -> rates(Double.NaN, 1.0)));
        assertEquals("breaker slowCallRate must be in (0, 1], got -0.1", refused(() -> rates(0.5, -0.1)));
        refused(() -> rates(0.5, Double.POSITIVE_INFINITY));
    }

    @Test
    void countsAreOneToAThousand() {
        assertDoesNotThrow(() -> counts(1, 1, 1));
        assertDoesNotThrow(() -> counts(1000, 1000, 1000));
        assertEquals("breaker minimumCalls must be 1..1000, got 0", refused(() -> counts(0, 5, 1)));
        assertEquals("breaker consecutiveFailures must be 1..1000, got 1001", refused(() -> counts(10, 1001, 1)));
        assertEquals("breaker trialCalls must be 1..1000, got -1", refused(() -> counts(10, 5, -1)));
    }

    @Test
    void durationsArePositiveAndAtMostAnHour() {
        Duration ten = Duration.ofSeconds(10);
        assertDoesNotThrow(() -> durations(Duration.ofHours(1), Duration.ofMillis(1), Duration.ofNanos(1)));
        assertEquals("breaker windowSeconds must be positive and at most an hour, got PT0S",
                refused(() -> durations(Duration.ZERO, ten, ten)));
        assertEquals("breaker slowCallMs must be positive and at most an hour, got PT-0.001S",
                refused(() -> durations(ten, Duration.ofMillis(-1), ten)));
        assertEquals("breaker openSeconds must be positive and at most an hour, got PT1H0.000000001S",
                refused(() -> durations(ten, ten, Duration.ofHours(1).plusNanos(1))));
        assertEquals("breaker openSeconds must be positive and at most an hour, got null",
                refused(() -> durations(ten, ten, null)));
    }
}
