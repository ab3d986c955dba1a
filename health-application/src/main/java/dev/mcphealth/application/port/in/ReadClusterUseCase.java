package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.monitoring.ClusterView;
import java.util.Optional;

/** The monitors sharing the database and who holds which server; empty where there is one monitor per database. */
@FunctionalInterface
public interface ReadClusterUseCase {
    Optional<ClusterView> read();
}
