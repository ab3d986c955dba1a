package dev.mcphealth.domain.prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ForecastTest {
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private static String refused(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void crossingIsTheEstimateTimePlusTheTimeToCross() {
        Forecast f = new Forecast(2000, 1400, 2.0, Duration.ofMinutes(5), NOW);
        assertEquals(NOW.plusSeconds(300), f.expectedCrossingAt());
    }

    @Test
    void aLevelOfZeroIsLegal() {
        Forecast f = new Forecast(0.25, 0, 0.001, Duration.ofSeconds(250), NOW);
        assertEquals(0, f.level());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY})
    void thresholdMustBePositive(double threshold) {
        assertTrue(refused(() -> new Forecast(threshold, 0, 1, Duration.ofSeconds(1), NOW))
                .startsWith("threshold must be a positive number"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {2000, 2500, Double.NaN, Double.NEGATIVE_INFINITY})
    void levelMustBeBelowTheThreshold(double level) {
        assertTrue(refused(() -> new Forecast(2000, level, 1, Duration.ofSeconds(1), NOW))
                .startsWith("level must be a number below the threshold"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.5, Double.NaN, Double.POSITIVE_INFINITY})
    void trendMustBeRising(double trend) {
        assertTrue(refused(() -> new Forecast(2000, 100, trend, Duration.ofSeconds(1), NOW))
                .startsWith("trendPerSecond must be a positive number"));
    }

    @Test
    void timeToCrossMustBePositive() {
        assertTrue(refused(() -> new Forecast(2000, 100, 1, Duration.ZERO, NOW)).startsWith("timeToCross"));
        assertTrue(refused(() -> new Forecast(2000, 100, 1, Duration.ofSeconds(-1), NOW)).startsWith("timeToCross"));
        assertThrows(NullPointerException.class, () -> new Forecast(2000, 100, 1, null, NOW));
    }

    @Test
    void estimateTimeIsRequired() {
        assertThrows(NullPointerException.class, () -> new Forecast(2000, 100, 1, Duration.ofSeconds(1), null));
    }
}
