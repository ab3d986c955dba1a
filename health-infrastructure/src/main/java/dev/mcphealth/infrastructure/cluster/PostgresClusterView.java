package dev.mcphealth.infrastructure.cluster;

import dev.mcphealth.application.port.out.ClusterViewPort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.monitoring.ClusterView;
import dev.mcphealth.infrastructure.persistence.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The cluster's tables read back (V2: monitor_instances, server_leases), at the database's time. */
public final class PostgresClusterView implements ClusterViewPort {
    private final Database db;
    private final Duration lease;

    public PostgresClusterView(Database db, Duration lease) {
        this.db = Objects.requireNonNull(db, "db");
        this.lease = Objects.requireNonNull(lease, "lease");
    }

    @Override
    public Optional<ClusterView> read() {
        try (Connection c = db.connection()) {
            // a server that does not answer fails the read within seconds (a page polls it every 5 s)
            c.setNetworkTimeout(Runnable::run, 5_000);
            Instant at;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
                rs.next();
                at = rs.getTimestamp(1).toInstant();
            }
            // the lease the members run with, not this reader's (it may not have MCP_HEALTH_CLUSTER_LEASE set)
            Duration theirs = ClusterLeases.newestLease(c).orElse(lease);
            List<ClusterView.Member> members = ClusterLeases.instances(c, theirs);
            List<ClusterView.Holding> holdings = ClusterLeases.leases(c);
            return members.isEmpty() ? Optional.empty() : Optional.of(new ClusterView(theirs, at, members, holdings));
        } catch (SQLException e) {
            throw new StorageUnavailableException("cannot read the cluster from " + db.name() + ": "
                    + Database.reason(e), e);
        }
    }
}
