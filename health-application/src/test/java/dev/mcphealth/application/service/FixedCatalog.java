package dev.mcphealth.application.service;

import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.domain.model.MonitoredServer;
import java.util.List;

/** A catalog of the given servers, in the given order. */
final class FixedCatalog implements ServerCatalogPort {
    private final List<MonitoredServer> servers;

    FixedCatalog(MonitoredServer... servers) {
        this.servers = List.of(servers);
    }

    @Override
    public List<MonitoredServer> servers() {
        return servers;
    }
}
