package dev.mcphealth.application.testkit;

import dev.mcphealth.application.port.out.BreakerContract;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.domain.routing.BreakerSettings;
import java.time.Clock;

class FakeBreakersTest extends BreakerContract {
    @Override
    protected BreakerPort breakers(BreakerSettings settings, Clock clock) {
        return new FakeBreakers(clock, settings);
    }
}
