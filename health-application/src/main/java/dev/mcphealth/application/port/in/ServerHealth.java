package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeReport;
import java.util.Objects;

/** One server's health as one check saw it. */
public record ServerHealth(MonitoredServer server, HealthStatus status, ProbeReport probe) {
    public ServerHealth {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(probe, "probe");
        if (!probe.server().equals(server.id())) {
            throw new IllegalArgumentException("probe of " + probe.server() + " reported for " + server.id());
        }
    }
}
