package dev.mcphealth.infrastructure.config;

import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A loaded configuration file: the enabled servers in file order. */
public final class HealthConfig implements ServerCatalogPort {
    private final Path file;
    private final Map<ServerId, ConfiguredServer> servers;
    private final AlertTargets alerts;

    HealthConfig(Path file, List<ConfiguredServer> servers) {
        this(file, servers, AlertTargets.NONE);
    }

    HealthConfig(Path file, List<ConfiguredServer> servers, AlertTargets alerts) {
        this.file = file;
        this.alerts = alerts;
        Map<ServerId, ConfiguredServer> byId = new LinkedHashMap<>();
        servers.forEach(s -> byId.put(s.server().id(), s));
        this.servers = java.util.Collections.unmodifiableMap(byId);
    }

    /** Where events go besides the watch's own output (health.alerts). */
    public AlertTargets alerts() {
        return alerts;
    }

    public Path file() {
        return file;
    }

    @Override
    public List<MonitoredServer> servers() {
        return servers.values().stream().map(ConfiguredServer::server).toList();
    }

    public Optional<Endpoint> endpoint(ServerId id) {
        return Optional.ofNullable(servers.get(id)).map(ConfiguredServer::endpoint);
    }

    public Map<ServerId, ConfiguredServer> all() {
        return servers;
    }
}
