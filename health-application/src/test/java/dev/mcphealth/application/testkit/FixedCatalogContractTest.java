package dev.mcphealth.application.testkit;

import static dev.mcphealth.application.testkit.TestServers.aServer;

import dev.mcphealth.application.port.out.ServerCatalogContract;
import dev.mcphealth.application.port.out.ServerCatalogPort;

/** {@link FixedCatalog} held to the contract the loaded configuration keeps (HealthConfigCatalogContractTest). */
class FixedCatalogContractTest extends ServerCatalogContract {
    @Override
    protected ServerCatalogPort catalog() {
        return new FixedCatalog(NAMES.stream().map(n -> aServer().named(n).build())
                .toArray(dev.mcphealth.domain.model.MonitoredServer[]::new));
    }
}
