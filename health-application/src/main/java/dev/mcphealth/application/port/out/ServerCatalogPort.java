package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.MonitoredServer;
import java.util.List;

/** The servers under watch, as configured. */
@FunctionalInterface
public interface ServerCatalogPort {
    List<MonitoredServer> servers();
}
