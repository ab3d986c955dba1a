package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.application.port.out.ToolSemanticsPort;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.infrastructure.resilience.Resilience4jBreakers;
import jakarta.inject.Singleton;
import java.time.Clock;

/** One circuit breaker per server (health.breaker) for the whole run, and which tools may be replayed. */
@Module
public final class ResilienceModule {
    private ResilienceModule() {
    }

    @Provides
    @Singleton
    static BreakerPort breakers(HealthConfig config, Clock clock) {
        return new Resilience4jBreakers(config.breaker(), clock);
    }

    @Provides
    static ToolSemanticsPort toolSemantics(HealthConfig config) {
        return config;
    }
}
