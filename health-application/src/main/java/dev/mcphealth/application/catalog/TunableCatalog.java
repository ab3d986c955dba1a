package dev.mcphealth.application.catalog;

import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.domain.model.MonitoredServer;

/** The servers as configured, with the settings tuning changed while the monitor runs. */
public interface TunableCatalog extends ServerCatalogPort {
    /**
     * Replaces the server of the same id with {@code changed} (new timeouts, say) for everyone who reads the catalog
     * from now on; returns the one it replaced.
     */
    MonitoredServer replace(MonitoredServer changed);
}
