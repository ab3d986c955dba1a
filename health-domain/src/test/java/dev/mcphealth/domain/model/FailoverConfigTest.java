package dev.mcphealth.domain.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class FailoverConfigTest {
    private static final ServerType PRIMARY = ServerType.of("search");
    private static final ServerType BACKUP = ServerType.of("search_backup");

    private static FailoverConfig config(FallbackStrategy strategy, Optional<ServerType> fallback) {
        return new FailoverConfig(PRIMARY, strategy, fallback, true, 3, Duration.ofSeconds(30), Duration.ofSeconds(60),
                Optional.empty());
    }

    private static FailoverConfig retries(int attempts, Duration delay, Duration interval) {
        return new FailoverConfig(PRIMARY, FallbackStrategy.MANUAL_MODE, Optional.empty(), false, attempts, delay,
                interval, Optional.empty());
    }

    private static String refused(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void defaultsDegradeGracefullyAndRecoverAutomatically() {
        FailoverConfig d = FailoverConfig.defaultsFor(PRIMARY);
        assertEquals(PRIMARY, d.primaryServerType());
        assertEquals(FallbackStrategy.GRACEFUL_DEGRADATION, d.fallbackStrategy());
        assertEquals(Optional.empty(), d.fallbackServerType());
        assertTrue(d.autoRecovery());
        assertEquals(3, d.maxRetryAttempts());
        assertEquals(Duration.ofSeconds(30), d.retryDelay());
        assertEquals(Duration.ofSeconds(60), d.healthCheckInterval());
        assertEquals(Optional.empty(), d.orchestratorFailoverTaskId());
    }

    @Test
    void alternativeServerNeedsAFallbackType() {
        assertEquals("fallback strategy alternative_server needs a fallback server type",
                refused(() -> config(FallbackStrategy.ALTERNATIVE_SERVER, Optional.empty())));
        assertEquals(Optional.of(BACKUP),
                config(FallbackStrategy.ALTERNATIVE_SERVER, Optional.of(BACKUP)).fallbackServerType());
    }

    @Test
    void fallbackTypeMustDifferFromThePrimary() {
        String m = refused(() -> config(FallbackStrategy.ALTERNATIVE_SERVER, Optional.of(PRIMARY)));
        assertEquals("fallback server type must differ from the primary, both are search", m);
    }

    @Test
    void retryAttemptsAreZeroToHundred() {
        assertDoesNotThrow(() -> retries(0, Duration.ZERO, Duration.ofSeconds(1)));
        assertDoesNotThrow(() -> retries(100, Duration.ZERO, Duration.ofSeconds(1)));
        assertEquals("maxRetryAttempts must be 0..100, got -1",
                refused(() -> retries(-1, Duration.ZERO, Duration.ofSeconds(1))));
        assertEquals("maxRetryAttempts must be 0..100, got 101",
                refused(() -> retries(101, Duration.ZERO, Duration.ofSeconds(1))));
    }

    @Test
    void retryDelayIsZeroToAnHour() {
        assertDoesNotThrow(() -> retries(3, Duration.ofHours(1), Duration.ofSeconds(60)));
        assertEquals("retryDelaySeconds must be 0..3600, got 3601",
                refused(() -> retries(3, Duration.ofSeconds(3601), Duration.ofSeconds(60))));
        assertEquals("retryDelaySeconds must be 0..3600, got -1",
                refused(() -> retries(3, Duration.ofSeconds(-1), Duration.ofSeconds(60))));
        assertEquals("retryDelaySeconds must be 0..3600, got null",
                refused(() -> retries(3, null, Duration.ofSeconds(60))));
    }

    @Test
    void intervalIsOneSecondToOneDay() {
        assertDoesNotThrow(() -> retries(3, Duration.ZERO, FailoverConfig.MIN_INTERVAL));
        assertDoesNotThrow(() -> retries(3, Duration.ZERO, FailoverConfig.MAX_INTERVAL));
        assertEquals("intervalSeconds must be 1..86400, got 0", refused(() -> retries(3, Duration.ZERO, Duration.ZERO)));
        assertEquals("intervalSeconds must be 1..86400, got 86401",
                refused(() -> retries(3, Duration.ZERO, Duration.ofSeconds(86_401))));
        assertEquals("intervalSeconds must be 1..86400, got null", refused(() -> retries(3, Duration.ZERO, null)));
    }

    @Test
    void orchestratorTaskIdMustNotBeBlank() {
        assertTrue(refused(() -> new FailoverConfig(PRIMARY, FallbackStrategy.MANUAL_MODE, Optional.empty(), true, 3,
                Duration.ZERO, Duration.ofSeconds(60), Optional.of(" "))).contains("orchestratorFailoverTaskId"));
    }
}
