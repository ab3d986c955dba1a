package dev.mcphealth.application.testkit;

import dev.mcphealth.application.recovery.RecoveryService;

import dev.mcphealth.application.testkit.FakeBreakers;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link RecoveryService} over a {@link FakeFleet} of the given servers, for services that only need recovery beside
 * them (no monitor): its sessions are the fleet's, its breakers fake, its jitter none.
 */
public final class Recoveries {
    public final FakeFleet fleet;
    public final FakeBreakers breakers;
    public final List<MonitorEvent> events = new CopyOnWriteArrayList<>();
    public final RecoveryService recovery;

    public Recoveries(TestClock clock, MonitoredServer... servers) {
        fleet = new FakeFleet(clock, List.of(servers));
        breakers = new FakeBreakers(clock, 3, Duration.ofSeconds(30));
        recovery = new RecoveryService(new FixedCatalog(servers), fleet, breakers, events::add, clock, () -> 0.5,
                Optional.empty(),
                dev.mcphealth.application.catalog.StandbyInstances.NONE, dev.mcphealth.application.port.out.WorkSharePort.ALL);
    }
}
