package dev.mcphealth.infrastructure.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.infrastructure.config.ConfigLoader;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.infrastructure.resilience.Resilience4jBreakers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provider methods, called directly (unit tests do not build components). */
class ResilienceModuleTest {
    private final HealthConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
            {"mcpServers": {"x": {"command": "a"}},
             "health": {"breaker": {"consecutiveFailures": 2}, "defaults": {"idempotentTools": ["search"]}}}
            """, Path.of("mcp.json"));

    @Test
    void breakersFollowTheConfiguredSettings() {
        BreakerPort breakers = ResilienceModule.breakers(config,
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        assertInstanceOf(Resilience4jBreakers.class, breakers);
        ServerId x = ServerId.of("x");
        for (int i = 0; i < 2; i++) {
            assertTrue(breakers.tryAcquire(x));
            breakers.failed(x, Duration.ofMillis(5), FailureType.TIMEOUT);
        }
        assertEquals(BreakerState.OPEN, breakers.state(x), "two failures in a row, as configured");
    }

    @Test
    void toolSemanticsAreTheConfiguration() {
        assertSame(config, ResilienceModule.toolSemantics(config));
        assertTrue(ResilienceModule.toolSemantics(config).idempotent(ServerId.of("x"), "search"));
        assertFalse(ResilienceModule.toolSemantics(config).idempotent(ServerId.of("x"), "write"));
    }
}
