package dev.mcphealth.infrastructure.config;

import dev.mcphealth.domain.model.MonitoredServer;
import java.util.Objects;

/** A server from the configuration: what the core sees of it, and how the probe reaches it. */
public record ConfiguredServer(MonitoredServer server, Endpoint endpoint) {
    public ConfiguredServer {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
