package dev.mcphealth.infrastructure.cluster;

import dev.mcphealth.domain.monitoring.ClusterView;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster's SQL on PostgreSQL (V2: monitor_instances, server_leases, lease_tokens): heartbeats, the live members,
 * claims, renewals, hand-overs and the fence's check. Every time is the database's ({@code clock_timestamp()}), so
 * instances whose clocks disagree still agree on who holds what. Each method is one statement on the connection given,
 * in its transaction or auto-commit.
 */
public final class ClusterLeases {
    private static final String BEAT = "INSERT INTO monitor_instances (instance_id, host, pid, started_at,"
            + " heartbeat_at, servers, lease_ms) VALUES (?, ?, ?, clock_timestamp(), clock_timestamp(), ?, ?) ON"
            + " CONFLICT (instance_id) DO UPDATE SET heartbeat_at = clock_timestamp(), stopped_at = NULL,"
            + " servers = excluded.servers, lease_ms = excluded.lease_ms";
    /** How long until the soonest running lease of these servers held by another instance lapses, in seconds. */
    private static final String NEXT_LAPSE = "SELECT EXTRACT(EPOCH FROM MIN(expires_at) - clock_timestamp())"
            + " FROM server_leases WHERE owner <> ? AND server_instance = ANY(?) AND expires_at > clock_timestamp()";
    /** Members silent for a day (killed, their hosts gone): no longer listed. */
    private static final String PRUNE = "DELETE FROM monitor_instances WHERE heartbeat_at < clock_timestamp()"
            + " - interval '1 day'";
    private static final String NEWEST_LEASE = "SELECT lease_ms FROM monitor_instances WHERE lease_ms IS NOT NULL"
            + " ORDER BY heartbeat_at DESC LIMIT 1";
    /** Live by its own lease (V4), or by the reader's for a member that does not say. */
    private static final String LIVE = "SELECT instance_id, servers FROM monitor_instances WHERE stopped_at IS NULL"
            + " AND heartbeat_at > clock_timestamp() - make_interval(secs => COALESCE(lease_ms / 1000.0, ?))"
            + " ORDER BY instance_id";
    /** Free or lapsed (whoever had it): taken, with a new token. */
    private static final String CLAIM = "INSERT INTO server_leases (server_instance, owner, token, acquired_at,"
            + " expires_at) VALUES (?, ?, nextval('lease_tokens'), clock_timestamp(), clock_timestamp()"
            + " + make_interval(secs => ?)) ON CONFLICT (server_instance) DO UPDATE SET owner = excluded.owner,"
            + " token = excluded.token, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at,"
            + " handed_over = FALSE WHERE server_leases.owner = excluded.owner"
            + " OR (server_leases.expires_at <= clock_timestamp() AND (? OR server_leases.handed_over))"
            + " RETURNING token";
    /**
     * Every lease this instance still holds, extended: its own token still in the row means nobody took it since, even
     * if it lapsed while the database was away (then it is extended all the same: there was no other owner).
     */
    private static final String RENEW = "UPDATE server_leases SET expires_at = clock_timestamp()"
            + " + make_interval(secs => ?) WHERE owner = ? AND server_instance = ANY(?)"
            + " RETURNING server_instance, token";
    /** Given up to whoever claims it next: lapsing in {@code secs}, so that rows on their way still get in. */
    private static final String HAND_OVER = "UPDATE server_leases SET expires_at = clock_timestamp()"
            + " + make_interval(secs => ?), handed_over = TRUE WHERE server_instance = ? AND owner = ? AND token = ?";
    private static final String RELEASE_ALL = "DELETE FROM server_leases WHERE owner = ?";
    private static final String STOPPED = "UPDATE monitor_instances SET stopped_at = clock_timestamp()"
            + " WHERE instance_id = ?";
    private static final String CHECK = "SELECT server_instance, owner, token, expires_at > clock_timestamp()"
            + " FROM server_leases WHERE server_instance = ANY(?) FOR SHARE";
    private static final String INSTANCES = "SELECT instance_id, host, pid, started_at, heartbeat_at, stopped_at,"
            + " heartbeat_at > clock_timestamp() - make_interval(secs => COALESCE(lease_ms / 1000.0, ?))"
            + " AND stopped_at IS NULL FROM monitor_instances ORDER BY instance_id";
    private static final String LEASES = "SELECT server_instance, owner, token, acquired_at, expires_at,"
            + " expires_at > clock_timestamp() FROM server_leases ORDER BY server_instance";

    private ClusterLeases() {
    }

    /** This instance is alive, and knows {@code servers} (the shared ones of its configuration). */
    static void heartbeat(Connection c, String instance, String host, long pid, java.util.Set<String> servers,
                          Duration lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(BEAT)) {
            ps.setString(1, instance);
            ps.setString(2, host);
            ps.setLong(3, pid);
            ps.setArray(4, c.createArrayOf("text", servers.toArray()));
            ps.setLong(5, lease.toMillis());
            ps.executeUpdate();
        }
    }

    /**
     * How long until the soonest lease of {@code servers} that another instance holds lapses, by the database's clock;
     * empty when none runs.
     */
    static Optional<Duration> nextLapse(Connection c, String instance, java.util.Set<String> servers)
            throws SQLException {
        if (servers.isEmpty()) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement(NEXT_LAPSE)) {
            ps.setString(1, instance);
            ps.setArray(2, c.createArrayOf("text", servers.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                double seconds = rs.getDouble(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(Duration.ofNanos(Math.round(seconds * 1e9)));
            }
        }
    }

    /** Forgets the members silent for a day; how many. */
    static int prune(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(PRUNE)) {
            return ps.executeUpdate();
        }
    }

    /** The lease time of the member that beat last, if any says. */
    static Optional<Duration> newestLease(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(NEWEST_LEASE); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(Duration.ofMillis(rs.getLong(1))) : Optional.empty();
        }
    }

    /** A live instance, and the shared servers it knows (empty: it does not say, so every one). */
    record Live(String instance, Optional<java.util.Set<String>> servers) {
        /** Whether {@code server} may be its share. */
        boolean knows(String server) {
            return servers.map(s -> s.contains(server)).orElse(true);
        }
    }

    /** The instances whose heartbeat is younger than {@code lease}, and not stopped. */
    static List<Live> live(Connection c, Duration lease) throws SQLException {
        List<Live> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LIVE)) {
            ps.setDouble(1, seconds(lease));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.sql.Array known = rs.getArray(2);
                    Optional<java.util.Set<String>> servers = known == null ? Optional.empty() : Optional.of(
                            new java.util.HashSet<>(java.util.Arrays.asList((String[]) known.getArray())));
                    out.add(new Live(rs.getString(1), servers));
                }
            }
        }
        return out;
    }

    /**
     * The new token when {@code server}'s lease was free, lapsed, or already {@code instance}'s (a claim whose answer
     * was lost), and is now {@code instance}'s; else empty. A lapsed lease of another instance is taken when it was
     * handed over, or when {@code takeLapsed}: not just after the database came back (or this instance started), when
     * every lease has lapsed and their holders have not yet had the time to renew them.
     */
    static Optional<Long> claim(Connection c, String server, String instance, Duration lease, boolean takeLapsed)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setString(1, server);
            ps.setString(2, instance);
            ps.setDouble(3, seconds(lease));
            ps.setBoolean(4, takeLapsed);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** Extends the leases of {@code servers} that {@code instance} still holds; gives each one's server and token. */
    static Map<String, Long> renew(Connection c, String instance, Set<String> servers, Duration lease)
            throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        if (servers.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(RENEW)) {
            ps.setDouble(1, seconds(lease));
            ps.setString(2, instance);
            ps.setArray(3, c.createArrayOf("text", servers.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** Lets {@code server} lapse in {@code grace} for whoever claims it next. */
    static void handOver(Connection c, String server, String instance, long token, Duration grace)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(HAND_OVER)) {
            ps.setDouble(1, seconds(grace));
            ps.setString(2, server);
            ps.setString(3, instance);
            ps.setLong(4, token);
            ps.executeUpdate();
        }
    }

    /** A clean stop: every lease of {@code instance} given up at once, and the instance marked stopped. */
    static void stop(Connection c, String instance) throws SQLException {
        try (PreparedStatement release = c.prepareStatement(RELEASE_ALL);
             PreparedStatement stopped = c.prepareStatement(STOPPED)) {
            release.setString(1, instance);
            release.executeUpdate();
            stopped.setString(1, instance);
            stopped.executeUpdate();
        }
    }

    /** One server's lease as the fence reads it. */
    record Held(String owner, long token, boolean live) {
    }

    /** The leases of {@code servers}, held FOR SHARE until the transaction on {@code c} ends. */
    static Map<String, Held> check(Connection c, Set<String> servers) throws SQLException {
        Map<String, Held> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(CHECK)) {
            Array names = c.createArrayOf("text", servers.toArray());
            ps.setArray(1, names);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Held(rs.getString(2), rs.getLong(3), rs.getBoolean(4)));
                }
            }
        }
        return out;
    }

    /** Every instance the table knows, live or not. */
    static List<ClusterView.Member> instances(Connection c, Duration lease) throws SQLException {
        List<ClusterView.Member> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(INSTANCES)) {
            ps.setDouble(1, seconds(lease));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ClusterView.Member(rs.getString(1), rs.getString(2), rs.getLong(3),
                            rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(),
                            Optional.ofNullable(rs.getTimestamp(6)).map(java.sql.Timestamp::toInstant),
                            rs.getBoolean(7)));
                }
            }
        }
        return out;
    }

    /** Every lease. */
    static List<ClusterView.Holding> leases(Connection c) throws SQLException {
        List<ClusterView.Holding> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(LEASES); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ClusterView.Holding(rs.getString(1), rs.getString(2), rs.getLong(3),
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(), rs.getBoolean(6)));
            }
        }
        return out;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
