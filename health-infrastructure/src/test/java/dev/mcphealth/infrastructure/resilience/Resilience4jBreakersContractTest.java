package dev.mcphealth.infrastructure.resilience;

import dev.mcphealth.application.port.out.BreakerContract;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.domain.routing.BreakerSettings;
import java.time.Clock;

/** The breaker contract against Resilience4j; what only it does (failure and slow-call rates) is in its own test. */
class Resilience4jBreakersContractTest extends BreakerContract {
    @Override
    protected BreakerPort breakers(BreakerSettings settings, Clock clock) {
        return new Resilience4jBreakers(settings, clock);
    }
}
