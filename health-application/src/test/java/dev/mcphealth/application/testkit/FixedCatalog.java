package dev.mcphealth.application.testkit;

import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.domain.model.MonitoredServer;
import java.util.List;

/** A catalog of the given servers, in the given order. */
public final class FixedCatalog implements ServerCatalogPort {
    private final List<MonitoredServer> servers;

    public FixedCatalog(MonitoredServer... servers) {
        this.servers = List.of(servers);
    }

    @Override
    public List<MonitoredServer> servers() {
        return servers;
    }
}
