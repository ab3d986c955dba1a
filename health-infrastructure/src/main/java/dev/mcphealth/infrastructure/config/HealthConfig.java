package dev.mcphealth.infrastructure.config;

import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.ToolSemanticsPort;
import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.routing.Balancing;
import dev.mcphealth.domain.routing.RetryBudget;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded configuration file: the enabled servers in file order, the breaker settings, which tools may be
 * replayed ({@code idempotentTools}), and which server is the orchestrator ({@code orchestrator}).
 */
public final class HealthConfig implements ServerCatalogPort, ToolSemanticsPort {
    private final Path file;
    private final Map<ServerId, ConfiguredServer> servers;
    private final AlertTargets alerts;
    private final BreakerSettings breaker;
    private final Map<ServerId, Set<String>> idempotentTools;
    private final Set<String> defaultIdempotentTools;
    private final Optional<OrchestratorSettings> orchestrator;
    private final Map<ServerId, Balancing> balancing;
    private final CallPath callPath;
    private final List<ServerId> standby;

    HealthConfig(Path file, List<ConfiguredServer> servers) {
        this(file, servers, AlertTargets.NONE);
    }

    HealthConfig(Path file, List<ConfiguredServer> servers, AlertTargets alerts) {
        this(file, servers, alerts, BreakerSettings.DEFAULTS, Map.of(), Set.of());
    }

    HealthConfig(Path file, List<ConfiguredServer> servers, AlertTargets alerts, BreakerSettings breaker,
                 Map<ServerId, Set<String>> idempotentTools, Set<String> defaultIdempotentTools) {
        this(file, servers, alerts, breaker, idempotentTools, defaultIdempotentTools, Optional.empty());
    }

    HealthConfig(Path file, List<ConfiguredServer> servers, AlertTargets alerts, BreakerSettings breaker,
                 Map<ServerId, Set<String>> idempotentTools, Set<String> defaultIdempotentTools,
                 Optional<OrchestratorSettings> orchestrator) {
        this(file, servers, alerts, breaker, idempotentTools, defaultIdempotentTools, orchestrator, Map.of());
    }

    HealthConfig(Path file, List<ConfiguredServer> servers, AlertTargets alerts, BreakerSettings breaker,
                 Map<ServerId, Set<String>> idempotentTools, Set<String> defaultIdempotentTools,
                 Optional<OrchestratorSettings> orchestrator, Map<ServerId, Balancing> balancing) {
        this(file, servers, alerts, breaker, idempotentTools, defaultIdempotentTools, orchestrator, balancing,
                CallPath.DEFAULT);
    }

    HealthConfig(Path file, List<ConfiguredServer> servers, AlertTargets alerts, BreakerSettings breaker,
                 Map<ServerId, Set<String>> idempotentTools, Set<String> defaultIdempotentTools,
                 Optional<OrchestratorSettings> orchestrator, Map<ServerId, Balancing> balancing,
                 CallPath callPath) {
        this(file, servers, alerts, breaker, idempotentTools, defaultIdempotentTools, orchestrator, balancing,
                callPath, List.of());
    }

    HealthConfig(Path file, List<ConfiguredServer> servers, AlertTargets alerts, BreakerSettings breaker,
                 Map<ServerId, Set<String>> idempotentTools, Set<String> defaultIdempotentTools,
                 Optional<OrchestratorSettings> orchestrator, Map<ServerId, Balancing> balancing,
                 CallPath callPath, List<ServerId> standby) {
        this.file = file;
        this.standby = List.copyOf(standby);
        this.callPath = java.util.Objects.requireNonNull(callPath, "callPath");
        this.balancing = Map.copyOf(balancing);
        this.orchestrator = java.util.Objects.requireNonNull(orchestrator, "orchestrator");
        this.alerts = alerts;
        this.breaker = java.util.Objects.requireNonNull(breaker, "breaker");
        this.idempotentTools = Map.copyOf(idempotentTools);
        this.defaultIdempotentTools = Set.copyOf(defaultIdempotentTools);
        Map<ServerId, ConfiguredServer> byId = new LinkedHashMap<>();
        servers.forEach(s -> byId.put(s.server().id(), s));
        this.servers = java.util.Collections.unmodifiableMap(byId);
    }

    /**
     * The standby instances (health.servers.NAME.standby), in configuration order: out of service until their pool
     * wants them (docs/learning.md, "Standby instances").
     */
    public List<ServerId> standby() {
        return standby;
    }

    /** When standby instances are warmed ahead of a surge and how long they serve at least (health.prewarm). */
    public dev.mcphealth.domain.learning.Prewarm.Timing prewarm() {
        return callPath.prewarm();
    }

    /** Where events go besides the watch's own output (health.alerts). */
    public AlertTargets alerts() {
        return alerts;
    }

    /** How every server's circuit breaker trips (health.breaker). */
    public BreakerSettings breaker() {
        return breaker;
    }

    /** How many extra requests (failovers, replays, hedges) each pool may send beyond one per call (health.retryBudget). */
    public RetryBudget.Settings retryBudget() {
        return callPath.retryBudget();
    }

    /** Each instance's adaptive concurrency limit (health.concurrencyLimit), empty when it is off. */
    public java.util.Optional<dev.mcphealth.infrastructure.resilience.NetflixConcurrencyLimits.Settings>
            concurrencyLimit() {
        return callPath.concurrencyLimit();
    }

    /** How long a call waits on one instance at most (health.callTimeout.maxMs, 30 s by default). */
    public java.time.Duration callTimeout() {
        return callPath.callTimeout();
    }

    /** Whether each tool's calls wait as long as its observed latency says (health.callTimeout.adaptive, on). */
    public boolean adaptiveTimeouts() {
        return callPath.adaptiveTimeouts();
    }

    /** Whether calls of tools safe to send twice are hedged after their p95 (health.hedging, on by default). */
    public boolean hedging() {
        return callPath.hedging();
    }

    /** How long a minute of the learned week is (health.learning.minuteSeconds; a minute by default). */
    public java.time.Duration learnedMinute() {
        return callPath.learnedMinute();
    }

    /** Whether the monitor follows the probe hours (health.tuning.probeHours: follow; advise by default). */
    public boolean followProbeHours() {
        return callPath.followProbeHours();
    }

    /** How long a change applied by the optimizer is on trial (health.tuning.trialMinutes; 15 min by default). */
    public java.time.Duration trialWindow() {
        return callPath.trialWindow();
    }

    /** The configured server that is the MCP Task Orchestrator (health.orchestrator), if one is. */
    public Optional<OrchestratorSettings> orchestrator() {
        return orchestrator;
    }

    /**
     * Whether {@code tool} is in the server's {@code idempotentTools} (its own list, else the defaults' list; a server
     * not in the file gets the defaults' list). Nothing is idempotent unless the configuration says so.
     */
    @Override
    public boolean idempotent(ServerId server, String tool) {
        return idempotentTools.getOrDefault(server, defaultIdempotentTools).contains(tool);
    }

    /**
     * How the calls of each server type are spread over its instances: the {@code balancing} of the type's first
     * server in the file (its own, else the defaults', else {@link Balancing#DEFAULT}), as the type's failover
     * settings are its first server's.
     */
    public Map<ServerType, Balancing> balancing() {
        Map<ServerType, Balancing> byType = new LinkedHashMap<>();
        for (ConfiguredServer s : servers.values()) {
            byType.putIfAbsent(s.server().type(), balancing.getOrDefault(s.server().id(), Balancing.DEFAULT));
        }
        return java.util.Collections.unmodifiableMap(byType);
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
