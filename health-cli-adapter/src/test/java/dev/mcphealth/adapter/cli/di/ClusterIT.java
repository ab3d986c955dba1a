package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.EverythingServer;
import dev.mcphealth.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code mcp-health watch} processes on one real PostgreSQL database, watching a real server-everything over
 * HTTP (six names for it) and a server that is down: the servers shared out, none probed twice; one monitor killed
 * with {@code kill -9}, its servers taken over within the lease and a beat, the down server's episode and alert
 * carried on (one of each, not two); another paused with SIGSTOP past its lease and woken, its rows of the servers it
 * lost not written; the last two stopped, their leases given up. The lease is 4 s here (15 s by default).
 */
class ClusterIT {
    private static final Duration LEASE = Duration.ofSeconds(4);
    private static final Set<String> SERVERS = Set.of("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9",
            "r10", "gone");

    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeAll
    static void logAsTheOtherCliTestsDo() {
        // the JVM's logging is made once, by whichever test comes first: the same levels as theirs
        Main.configureLogging("info");
    }

    private record Lease(String owner, boolean live) {
    }

    @Test
    void threeMonitorsShareTheServersTakeOverFromAKilledOneAndFenceAPausedOne() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String db = pg.database().database();
        String url = pg.url(db);
        try (EverythingServer everything = EverythingServer.streamableHttp()) {
            StringBuilder servers = new StringBuilder();
            for (String s : SERVERS) {
                String at = s.equals("gone") ? "http://127.0.0.1:" + EverythingServer.freeLoopbackPort() + "/mcp"
                        : everything.mcpUrl();
                servers.append(servers.length() == 0 ? "" : ", ").append('"').append(s)
                        .append("\": {\"type\": \"http\", \"url\": \"").append(at).append("\"}");
            }
            Path config = dir.resolve("mcp.json");
            Files.writeString(config, "{\"mcpServers\": {" + servers + "}, \"health\": {\"defaults\":"
                    + " {\"timeoutMs\": 1000, \"retryDelaySeconds\": 1}}}");
            Map<String, String> env = Map.of("MCP_HEALTH_CLUSTER_LEASE", Long.toString(LEASE.toSeconds()));
            List<WatchProcess> monitors = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    monitors.add(WatchProcess.start(env, List.of(), "watch", "--config", config.toString(), "--db",
                            url, "--interval", "1", "--json"));
                }
                // shared out: every server held by the live instance rendezvous hashing picks for it
                await(() -> sharedOut(pg, db, 3), Duration.ofSeconds(40), "shared out among three",
                        () -> leases(pg, db) + "\n" + instances(pg, db) + "\n" + monitors.stream().map(m -> m.pid() + (m.isAlive() ? " alive: "
                                : " exited: ") + m.err()).toList());
                await(() -> alerts(pg, db) == 1, Duration.ofSeconds(20), "the down server's alert",
                        () -> leases(pg, db).toString());

                // kill -9 the monitor of the server that is down
                String goneOwner = leases(pg, db).get("gone").owner();
                WatchProcess killed = monitors.stream().filter(m -> goneOwner.contains("/" + m.pid() + "/"))
                        .findFirst().orElseThrow();
                Set<String> itsServers = new TreeSet<>();
                leases(pg, db).forEach((s, l) -> {
                    if (l.owner().equals(goneOwner)) {
                        itsServers.add(s);
                    }
                });
                Instant kill = Instant.now();
                killed.kill9();
                monitors.remove(killed);
                await(() -> itsServers.stream().allMatch(s -> lastProbe(pg, db, s).isAfter(kill.plusMillis(200))),
                        Duration.ofSeconds(30), "its servers probed again", () -> leases(pg, db).toString());
                Duration takeover = Duration.ZERO;
                for (String s : itsServers) {
                    Instant first = firstProbeAfter(pg, db, s, kill);
                    Duration d = Duration.between(kill, first);
                    takeover = d.compareTo(takeover) > 0 ? d : takeover;
                }
                System.out.println("[cluster] kill -9 of the monitor of " + itsServers + ": probed again after "
                        + takeover.toMillis() + " ms (lease " + LEASE.toMillis() + " ms)");
                assertTrue(takeover.compareTo(LEASE.plus(LEASE.dividedBy(3)).plusSeconds(1 + 3)) < 0,
                        "taken over within the lease, a beat and an interval (3 s to spare): " + takeover);
                Thread.sleep(2_000);
                assertEquals(1, count(pg, db, "SELECT COUNT(*) FROM health_alerts WHERE server_instance = 'gone'"),
                        "one alert for the down server's one episode, whoever watches it");
                assertEquals(1, count(pg, db, "SELECT COUNT(*) FROM integration_failures"
                        + " WHERE server_instance = 'gone'"), "one failure row for its one episode");

                // SIGSTOP one of the two left past its lease; the other takes everything; SIGCONT
                Map<String, Lease> before = leases(pg, db);
                WatchProcess paused = monitors.stream().max(java.util.Comparator.comparingLong(m -> before.values()
                        .stream().filter(l -> l.owner().contains("/" + m.pid() + "/")).count())).orElseThrow();
                paused.signal("STOP");
                Instant stopped = Instant.now();
                Thread.sleep(LEASE.plusSeconds(3).toMillis());
                assertEquals(1, owners(pg, db, SERVERS).size(), "the one left holds every server: " + leases(pg, db));
                Set<String> itHeld = new TreeSet<>();
                before.forEach((s, l) -> {
                    if (l.owner().contains("/" + paused.pid() + "/")) {
                        itHeld.add(s);
                    }
                });
                int heardBefore = paused.out().length();
                paused.signal("CONT");
                await(() -> sharedOut(pg, db, 2), Duration.ofSeconds(20), "shared out again among two",
                        () -> leases(pg, db) + "\n" + instances(pg, db));
                // what it said after it woke: nothing of the servers it lost for good (it knew it had been paused,
                // and probed and acted on none of them before its beat let them go)
                Set<String> lost = new TreeSet<>(itHeld);
                leases(pg, db).forEach((s, l) -> {
                    if (l.owner().contains("/" + paused.pid() + "/")) {
                        lost.remove(s);
                    }
                });
                String said = paused.out().substring(heardBefore);
                for (String s : lost) {
                    assertTrue(!said.contains("\"server\":\"" + s + "\""), "the woken monitor spoke of " + s
                            + ", which it lost: " + said);
                }
                for (String s : SERVERS) {
                    assertNoDoubleProbe(pg, db, s, stopped.minusSeconds(30));
                }
                assertEquals(1, count(pg, db, "SELECT COUNT(*) FROM health_alerts WHERE server_instance = 'gone'"));

                // status shows the cluster: the two live members and what each holds, every server once
                WatchProcess status = WatchProcess.start(List.of(), "status", "--db", url, "--json");
                status.exit(Duration.ofSeconds(60));
                tools.jackson.databind.JsonNode cluster = tools.jackson.databind.json.JsonMapper.builder().build()
                        .readTree(status.out()).get("cluster");
                List<String> held = new ArrayList<>();
                int live = 0;
                for (tools.jackson.databind.JsonNode m : cluster.get("members")) {
                    if (m.get("live").booleanValue()) {
                        live++;
                        m.get("holds").forEach(h -> held.add(h.stringValue()));
                    }
                }
                assertEquals(2, live, status.out());
                held.sort(null);
                assertEquals(new ArrayList<>(new TreeSet<>(SERVERS)), held, "every server held once: " + status.out());

                // stopped cleanly: their leases given up, their instances marked stopped
                for (WatchProcess m : monitors) {
                    m.terminate();
                }
                assertEquals(0, count(pg, db, "SELECT COUNT(*) FROM server_leases"));
                assertEquals(0, count(pg, db, "SELECT COUNT(*) FROM monitor_instances WHERE stopped_at IS NULL"
                        + " AND instance_id NOT LIKE '%/" + killed.pid() + "/%'"));
            } finally {
                for (WatchProcess m : monitors) {
                    if (m.isAlive()) {
                        m.signal("CONT");
                        m.kill9();
                    }
                }
            }
        }
    }

    /** No two rows of {@code server}'s probes within 400 ms of each other: it was not probed by two monitors. */
    private static void assertNoDoubleProbe(PostgresServer pg, String db, String server, Instant since)
            throws SQLException {
        List<Instant> at = probes(pg, db, server, since);
        for (int i = 1; i < at.size(); i++) {
            assertTrue(Duration.between(at.get(i - 1), at.get(i)).toMillis() >= 400, server + " probed twice at "
                    + at.get(i - 1) + " and " + at.get(i) + ": " + at);
        }
        assertTrue(at.size() > 3, server + ": " + at);
    }

    private static List<Instant> probes(PostgresServer pg, String db, String server, Instant since)
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

    private static Instant lastProbe(PostgresServer pg, String db, String server) {
        try {
            List<Instant> all = probes(pg, db, server, Instant.EPOCH);
            return all.isEmpty() ? Instant.EPOCH : all.get(all.size() - 1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant firstProbeAfter(PostgresServer pg, String db, String server, Instant after)
            throws SQLException {
        return probes(pg, db, server, after).get(0);
    }

    private static Map<String, Lease> leases(PostgresServer pg, String db) {
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
    private static boolean sharedOut(PostgresServer pg, String db, int members) {
        List<String> live = new ArrayList<>();
        try (Connection c = pg.connect(db);
             ResultSet rs = c.createStatement().executeQuery("SELECT instance_id FROM monitor_instances WHERE"
                     + " stopped_at IS NULL AND heartbeat_at > clock_timestamp() - interval '" + LEASE.toSeconds()
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
        Map<String, Lease> l = leases(pg, db);
        return SERVERS.stream().allMatch(s -> l.containsKey(s) && l.get(s).live()
                && dev.mcphealth.domain.routing.Rendezvous.owner(s, live).orElseThrow().equals(l.get(s).owner()));
    }

    /** The owners of live leases of {@code servers}; empty unless every one of them has one. */
    private static Set<String> owners(PostgresServer pg, String db, Set<String> servers) {
        Map<String, Lease> l = leases(pg, db);
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

    private static String instances(PostgresServer pg, String db) {
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

    private static long alerts(PostgresServer pg, String db) {
        try {
            return count(pg, db, "SELECT COUNT(*) FROM health_alerts WHERE server_instance = 'gone'");
        } catch (SQLException e) {
            return -1;
        }
    }

    private static long count(PostgresServer pg, String db, String sql) throws SQLException {
        try (Connection c = pg.connect(db); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void await(BooleanSupplier done, Duration within, String what,
                              java.util.function.Supplier<String> context) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " not within " + within + ": " + context.get());
            Thread.sleep(250);
        }
    }
}
