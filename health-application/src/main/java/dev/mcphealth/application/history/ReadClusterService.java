package dev.mcphealth.application.history;

import dev.mcphealth.application.port.in.ReadClusterUseCase;
import dev.mcphealth.application.port.out.ClusterViewPort;
import dev.mcphealth.domain.monitoring.ClusterView;
import java.util.Objects;
import java.util.Optional;

/** The cluster as the database records it, for {@code status} and whoever shows it. */
public final class ReadClusterService implements ReadClusterUseCase {
    private final ClusterViewPort cluster;

    public ReadClusterService(ClusterViewPort cluster) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
    }

    @Override
    public Optional<ClusterView> read() {
        return cluster.read();
    }
}
