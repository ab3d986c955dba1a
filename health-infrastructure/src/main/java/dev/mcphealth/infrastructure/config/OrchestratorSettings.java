package dev.mcphealth.infrastructure.config;

import dev.mcphealth.domain.model.ServerId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code health.orchestrator}: which configured server is the MCP Task Orchestrator, how long one call to it may take,
 * and the working directory to give its sessions ({@code orchestrator_initialize_session}), if one is set. The
 * server stays one of the monitored servers: it is probed, its breaker tripped and it is recovered like any other.
 */
public record OrchestratorSettings(ServerId server, Duration callTimeout, Optional<Path> workingDirectory) {
    /** As the resilient client's call timeout: a hung orchestrator holds a caller at most this long. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    public OrchestratorSettings {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("callTimeout must be positive, got " + callTimeout);
        }
    }

    /** The orchestrator {@code server} with the default call timeout and no working directory. */
    public static OrchestratorSettings of(ServerId server) {
        return new OrchestratorSettings(server, DEFAULT_CALL_TIMEOUT, Optional.empty());
    }
}
