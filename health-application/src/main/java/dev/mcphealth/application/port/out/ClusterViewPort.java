package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.monitoring.ClusterView;
import java.util.Optional;

/**
 * The monitors sharing the database and who holds what, as recorded (docs/cluster.md); empty where monitors do not
 * share a database (SQLite).
 *
 * <p>Storage failures are {@link StorageUnavailableException}s.
 */
@FunctionalInterface
public interface ClusterViewPort {
    /** No cluster: one monitor per database. */
    ClusterViewPort NONE = Optional::empty;

    Optional<ClusterView> read();
}
