package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.HealthStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one check of several servers, in name order. {@code storageProblem} says why the results could not be
 * recorded, if they could not; the health seen is valid either way.
 */
public record HealthReport(Instant checkedAt, List<ServerHealth> servers, Optional<String> storageProblem) {
    public HealthReport {
        Objects.requireNonNull(checkedAt, "checkedAt");
        servers = servers.stream().sorted(Comparator.comparing(s -> s.server().id())).toList();
        Objects.requireNonNull(storageProblem, "storageProblem");
    }

    /** The worst status of all servers; healthy when there are none. */
    public HealthStatus overall() {
        return HealthStatus.worstOf(servers.stream().map(ServerHealth::status).toList());
    }
}
