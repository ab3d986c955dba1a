package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThresholdsTest {

    private static Thresholds latency(long warningMs, long criticalMs) {
        return new Thresholds(Duration.ofMillis(warningMs), Duration.ofMillis(criticalMs), 0.05, 0.25, 3, 2);
    }

    private static Thresholds errorRates(double warning, double critical) {
        return new Thresholds(Duration.ofMillis(500), Duration.ofMillis(2000), warning, critical, 3, 2);
    }

    private static Thresholds counts(int offlineAfter, int healthyAfter) {
        return new Thresholds(Duration.ofMillis(500), Duration.ofMillis(2000), 0.05, 0.25, offlineAfter, healthyAfter);
    }

    private static String refused(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        Thresholds d = Thresholds.DEFAULTS;
        assertEquals(Duration.ofMillis(500), d.responseTimeWarning());
        assertEquals(Duration.ofMillis(2000), d.responseTimeCritical());
        assertEquals(0.05, d.errorRateWarning());
        assertEquals(0.25, d.errorRateCritical());
        assertEquals(3, d.offlineAfterFailures());
        assertEquals(2, d.healthyAfterSuccesses());
    }

    @Test
    void criticalLatencyMustBeAboveWarning() {
        assertDoesNotThrow(() -> latency(500, 501));
        String equal = refused(() -> latency(500, 500));
        assertEquals("responseTimeCriticalMs (500) must be greater than responseTimeWarningMs (500)", equal);
        assertTrue(refused(() -> latency(2000, 500)).contains("responseTimeCriticalMs (500)"));
    }

    @Test
    void latenciesMustBePositive() {
        assertTrue(refused(() -> latency(0, 100)).startsWith("responseTimeWarningMs must be a positive"));
        assertTrue(refused(() -> latency(-1, 100)).startsWith("responseTimeWarningMs"));
        assertTrue(refused(() -> new Thresholds(Duration.ofMillis(1), null, 0.05, 0.25, 3, 2))
                .startsWith("responseTimeCriticalMs"));
        assertTrue(refused(() -> new Thresholds(null, Duration.ofMillis(1), 0.05, 0.25, 3, 2))
                .startsWith("responseTimeWarningMs"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0, -0.1, 1.5, Double.NaN, Double.POSITIVE_INFINITY})
    void errorRatesMustBeFractionsStrictlyBetweenZeroAndOne(double v) {
        assertTrue(refused(() -> errorRates(v, 0.99)).startsWith("errorRateWarning must be a fraction"));
        assertTrue(refused(() -> errorRates(0.01, v)).startsWith("errorRateCritical must be a fraction"));
    }

    @Test
    void criticalErrorRateMustBeAboveWarning() {
        assertDoesNotThrow(() -> errorRates(0.1, 0.2));
        assertEquals("errorRateCritical (0.1) must be greater than errorRateWarning (0.1)",
                refused(() -> errorRates(0.1, 0.1)));
        assertTrue(refused(() -> errorRates(0.5, 0.2)).startsWith("errorRateCritical (0.2)"));
    }

    @Test
    void countsAreOneToHundred() {
        assertDoesNotThrow(() -> counts(1, 1));
        assertDoesNotThrow(() -> counts(100, 100));
        assertEquals("offlineAfterFailures must be 1..100, got 0", refused(() -> counts(0, 2)));
        assertEquals("offlineAfterFailures must be 1..100, got 101", refused(() -> counts(101, 2)));
        assertEquals("healthyAfterSuccesses must be 1..100, got 0", refused(() -> counts(3, 0)));
        assertEquals("healthyAfterSuccesses must be 1..100, got 101", refused(() -> counts(3, 101)));
    }
}
