package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import java.util.List;
import java.util.Optional;

/**
 * The servers under watch, as configured, or as tuned while the monitor runs: callers that read it on each use see
 * a changed setting (such as a probe timeout) from their next use.
 */
@FunctionalInterface
public interface ServerCatalogPort {
    List<MonitoredServer> servers();

    /** The server named {@code id} as it is now; empty if none is. */
    default Optional<MonitoredServer> server(ServerId id) {
        return servers().stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
