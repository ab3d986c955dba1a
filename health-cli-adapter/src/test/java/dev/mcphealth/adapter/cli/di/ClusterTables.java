package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * A cluster's database as its tests and its benchmark read it (docs/cluster.md): leases, members, the probe rows of
 * each server, on one database of a {@link PostgresServer}, for a set of servers and a lease time.
 */
final class ClusterTables {
    private final PostgresServer pg;
    private final String db;
    private final Set<String> servers;
    private final Duration lease;

    ClusterTables(PostgresServer pg, String db, Set<String> servers, Duration lease) {
        this.pg = pg;
        this.db = db;
        this.servers = Set.copyOf(servers);
        this.lease = lease;
    }

    /** One lease as the table has it: its owner, and whether it runs now. */
    record Lease(String owner, boolean live) {
    }

    /** No two rows of {@code server}'s probes within 400 ms of each other: it was not probed by two monitors. */
    void assertNoDoubleProbe(String server, Instant since)
            throws SQLException {
        List<Instant> at = probes(server, since);
        for (int i = 1; i < at.size(); i++) {
            assertTrue(Duration.between(at.get(i - 1), at.get(i)).toMillis() >= 400, server + " probed twice at "
                    + at.get(i - 1) + " and " + at.get(i) + ": " + at);
        }
        assertTrue(at.size() > 3, server + ": " + at);
    }

    List<Instant> probes(String server, Instant since)
            throws SQLException {
        List<Instant> out = new ArrayList<>();
        try (Connection c = pg.connect(db);
             PreparedStatement ps = c.prepareStatement("SELECT measured_at FROM integration_health_metrics"
                     + " WHERE server_instance = ? AND metric_type = 'availability' AND measured_at >= ?"
                     + " ORDER BY measured_at")) {
            ps.setString(1, server);
            ps.setObject(2, java.time.OffsetDateTime.ofInstant(since, java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getTimestamp(1).toInstant());
                }
            }
        }
        return out;
    }

    /**
     * Whether each of {@code servers} is probed at its pace by its holder now: its last three probes written came
     * within the last 6 s (rows are written once a second), each within {@code gap} of the one before. Not so just
     * after a server changed hands: the new holder's first probe connects, and on a busy machine that may take most
     * of a 1 s interval, so that the next due time passes and is skipped (counted as missed), as designed.
     */
    boolean steady(Set<String> servers, Duration gap) {
        Instant now = Instant.now();
        try {
            for (String s : servers) {
                List<Instant> at = probes(s, now.minusSeconds(6));
                if (at.size() < 3) {
                    return false;
                }
                for (int i = at.size() - 2; i < at.size(); i++) {
                    if (Duration.between(at.get(i - 1), at.get(i)).compareTo(gap) > 0) {
                        return false;
                    }
                }
            }
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Every row of {@code server} measured from {@code from} to {@code to}, one line each (a failed test's account). */
    String rows(String server, Instant from, Instant to) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = pg.connect(db);
             PreparedStatement ps = c.prepareStatement("SELECT measured_at, metric_type, metric_value, status,"
                     + " details FROM integration_health_metrics WHERE server_instance = ? AND measured_at"
                     + " BETWEEN ? AND ? ORDER BY measured_at, metric_type")) {
            ps.setString(1, server);
            ps.setObject(2, java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
            ps.setObject(3, java.time.OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append('\n').append(rs.getTimestamp(1).toInstant()).append(' ').append(rs.getString(2))
                            .append(' ').append(rs.getDouble(3)).append(' ').append(rs.getString(4)).append(' ')
                            .append(rs.getString(5));
                }
            }
        }
        return out.toString();
    }

    Instant lastProbe(String server) {
        try {
            List<Instant> all = probes(server, Instant.EPOCH);
            return all.isEmpty() ? Instant.EPOCH : all.get(all.size() - 1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    Instant firstProbeAfter(String server, Instant after)
            throws SQLException {
        return probes(server, after).get(0);
    }

    Map<String, Lease> leases() {
        Map<String, Lease> out = new TreeMap<>();
        try (Connection c = pg.connect(db);
             ResultSet rs = c.createStatement().executeQuery("SELECT server_instance, owner,"
                     + " expires_at > clock_timestamp() FROM server_leases")) {
            while (rs.next()) {
                out.put(rs.getString(1), new Lease(rs.getString(2), rs.getBoolean(3)));
            }
        } catch (SQLException e) {
            return out; // not migrated yet
        }
        return out;
    }

    /**
     * Whether {@code members} instances are live and every server's live lease is held by the one rendezvous hashing
     * picks among them (a share may be empty: that is no failure).
     */
    boolean sharedOut(int members) {
        List<String> live = new ArrayList<>();
        try (Connection c = pg.connect(db);
             ResultSet rs = c.createStatement().executeQuery("SELECT instance_id FROM monitor_instances WHERE"
                     + " stopped_at IS NULL AND heartbeat_at > clock_timestamp() - interval '" + lease.toSeconds()
                     + " seconds'")) {
            while (rs.next()) {
                live.add(rs.getString(1));
            }
        } catch (SQLException e) {
            return false;
        }
        if (live.size() != members) {
            return false;
        }
        Map<String, Lease> l = leases();
        return servers.stream().allMatch(s -> l.containsKey(s) && l.get(s).live()
                && dev.mcphealth.domain.routing.Rendezvous.owner(s, live).orElseThrow().equals(l.get(s).owner()));
    }

    /** The owners of live leases of {@code servers}; empty unless every one of them has one. */
    Set<String> owners() {
        Map<String, Lease> l = leases();
        Set<String> out = new TreeSet<>();
        for (String s : servers) {
            Lease x = l.get(s);
            if (x == null || !x.live()) {
                return Set.of();
            }
            out.add(x.owner());
        }
        return out;
    }

    String instances() {
        StringBuilder out = new StringBuilder();
        try (Connection c = pg.connect(db);
             ResultSet rs = c.createStatement().executeQuery("SELECT instance_id, heartbeat_at, clock_timestamp(),"
                     + " stopped_at FROM monitor_instances")) {
            while (rs.next()) {
                out.append(rs.getString(1)).append(' ').append(rs.getString(2)).append(" now ").append(rs.getString(3))
                        .append(" stopped ").append(rs.getString(4)).append('\n');
            }
        } catch (SQLException e) {
            return e.getMessage();
        }
        return out.toString();
    }

    long alerts() {
        return alerts("gone");
    }

    /** The alert rows of {@code server}; -1 while the database cannot be read. */
    long alerts(String server) {
        try {
            return count("SELECT COUNT(*) FROM health_alerts WHERE server_instance = '" + server + "'");
        } catch (SQLException e) {
            return -1;
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = pg.connect(db); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void await(BooleanSupplier done, Duration within, String what,
                              java.util.function.Supplier<String> context) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " not within " + within + ": " + context.get());
            Thread.sleep(250);
        }
    }
}
