package dev.mcphealth.application.catalog;

import static dev.mcphealth.application.testkit.TestServers.aServer;

import dev.mcphealth.application.port.out.ServerCatalogContract;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.domain.model.MonitoredServer;
import java.time.Duration;

/** The running monitor's catalog held to the catalog contract, before and after a setting was tuned. */
class LiveServerCatalogContractTest extends ServerCatalogContract {
    @Override
    protected ServerCatalogPort catalog() {
        LiveServerCatalog live = new LiveServerCatalog(new FixedCatalog(NAMES.stream()
                .map(n -> aServer().named(n).build()).toArray(MonitoredServer[]::new)));
        // a tuned setting changes the server, never the order
        live.replace(aServer().named("alpha").withTimeout(Duration.ofSeconds(3)).build());
        return live;
    }
}
