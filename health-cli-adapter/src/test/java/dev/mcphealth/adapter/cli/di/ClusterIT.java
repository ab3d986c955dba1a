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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code mcp-health watch} processes on one real PostgreSQL database, watching a real server-everything over
 * HTTP (six names for it) and a server that is down: the servers shared out, none probed twice; one monitor killed
 * with {@code kill -9}, its servers taken over within the lease and a beat, the down server's episode and alert
 * carried on (one of each, and one webhook alert, not two); another paused with SIGSTOP past its lease and woken, its rows of the servers it
 * lost not written; the last two stopped, their leases given up. The lease is 4 s here (15 s by default).
 */
@Tag("serial")
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


    @Test
    void threeMonitorsShareTheServersTakeOverFromAKilledOneAndFenceAPausedOne() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String db = pg.database().database();
        String url = pg.url(db);
        ClusterTables t = new ClusterTables(pg, db, SERVERS, LEASE);
        try (EverythingServer everything = EverythingServer.streamableHttp();
             dev.mcphealth.testkit.AlertReceivers receivers = dev.mcphealth.testkit.AlertReceivers.in(dir)) {
            StringBuilder servers = new StringBuilder();
            for (String s : SERVERS) {
                String at = s.equals("gone") ? "http://127.0.0.1:" + EverythingServer.freeLoopbackPort() + "/mcp"
                        : everything.mcpUrl();
                servers.append(servers.length() == 0 ? "" : ", ").append('"').append(s)
                        .append("\": {\"type\": \"http\", \"url\": \"").append(at).append("\"}");
            }
            Path config = dir.resolve("mcp.json");
            Files.writeString(config, "{\"mcpServers\": {" + servers + "}, \"health\": {\"defaults\":"
                    + " {\"timeoutMs\": 1000, \"retryDelaySeconds\": 1}, " + receivers.json() + "}}");
            Map<String, String> env = Map.of("MCP_HEALTH_CLUSTER_LEASE", Long.toString(LEASE.toSeconds()));
            List<WatchProcess> monitors = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    monitors.add(WatchProcess.start(env, List.of(), "watch", "--config", config.toString(), "--db",
                            url, "--interval", "1", "--json"));
                }
                // shared out: every server held by the live instance rendezvous hashing picks for it
                ClusterTables.await(() -> t.sharedOut(3), Duration.ofSeconds(40), "shared out among three",
                        () -> t.leases() + "\n" + t.instances() + "\n" + monitors.stream().map(m -> m.pid() + (m.isAlive() ? " alive: "
                                : " exited: ") + m.err()).toList());
                ClusterTables.await(() -> t.alerts() == 1, Duration.ofSeconds(20), "the down server's alert",
                        () -> t.leases().toString());

                // kill -9 the monitor of the server that is down
                String goneOwner = t.leases().get("gone").owner();
                WatchProcess killed = monitors.stream().filter(m -> goneOwner.contains("/" + m.pid() + "/"))
                        .findFirst().orElseThrow();
                Set<String> itsServers = new TreeSet<>();
                t.leases().forEach((s, l) -> {
                    if (l.owner().equals(goneOwner)) {
                        itsServers.add(s);
                    }
                });
                Instant kill = Instant.now();
                killed.kill9();
                monitors.remove(killed);
                ClusterTables.await(() -> itsServers.stream().allMatch(s -> t.lastProbe(s).isAfter(kill.plusMillis(200))),
                        Duration.ofSeconds(30), "its servers probed again", () -> t.leases().toString());
                Duration takeover = Duration.ZERO;
                for (String s : itsServers) {
                    Instant first = t.firstProbeAfter(s, kill);
                    Duration d = Duration.between(kill, first);
                    takeover = d.compareTo(takeover) > 0 ? d : takeover;
                }
                System.out.println("[cluster] kill -9 of the monitor of " + itsServers + ": probed again after "
                        + takeover.toMillis() + " ms (lease " + LEASE.toMillis() + " ms)");
                assertTrue(takeover.compareTo(LEASE.plusSeconds(1).plusMillis(1_500)) < 0,
                        "taken over within the lease and an interval (1.5 s to spare for 2 busy cores): " + takeover);
                Thread.sleep(2_000);
                assertEquals(1, t.count("SELECT COUNT(*) FROM health_alerts WHERE server_instance = 'gone'"),
                        "one alert for the down server's one episode, whoever watches it");
                assertEquals(1, t.count("SELECT COUNT(*) FROM integration_failures"
                        + " WHERE server_instance = 'gone'"), "one failure row for its one episode");
                assertEquals(1, receivers.webhookEvents().stream().filter(e -> e.path("event").asString()
                        .equals("alert") && e.path("server").asString().equals("gone")).count(),
                        "one webhook alert for it across the cluster: " + receivers.webhookEvents());

                // SIGSTOP one of the two left past its lease; the other takes everything; SIGCONT
                Map<String, ClusterTables.Lease> before = t.leases();
                WatchProcess paused = monitors.stream().max(java.util.Comparator.comparingLong(m -> before.values()
                        .stream().filter(l -> l.owner().contains("/" + m.pid() + "/")).count())).orElseThrow();
                paused.signal("STOP");
                Instant stopped = Instant.now();
                Thread.sleep(LEASE.plusSeconds(3).toMillis());
                assertEquals(1, t.owners().size(), "the one left holds every server: " + t.leases());
                Set<String> itHeld = new TreeSet<>();
                before.forEach((s, l) -> {
                    if (l.owner().contains("/" + paused.pid() + "/")) {
                        itHeld.add(s);
                    }
                });
                int heardBefore = paused.out().length();
                paused.signal("CONT");
                ClusterTables.await(() -> t.sharedOut(2), Duration.ofSeconds(20), "shared out again among two",
                        () -> t.leases() + "\n" + t.instances());
                // what it said after it woke: nothing of the servers it lost for good (it knew it had been paused,
                // and probed and acted on none of them before its beat let them go)
                Set<String> lost = new TreeSet<>(itHeld);
                t.leases().forEach((s, l) -> {
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
                    t.assertNoDoubleProbe(s, stopped.minusSeconds(30));
                }
                assertEquals(1, t.count("SELECT COUNT(*) FROM health_alerts WHERE server_instance = 'gone'"));
                assertEquals(1, receivers.webhookEvents().stream().filter(e -> e.path("event").asString()
                        .equals("alert") && e.path("server").asString().equals("gone")).count(),
                        "still one webhook alert for it: " + receivers.webhookEvents());

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

                // the dashboard of the database shows it too: GET /api/v1/cluster, the same shape
                WatchProcess dashboard = WatchProcess.start(List.of(), "dashboard", "--db", url, "--http", "0");
                try {
                    String line = dashboard.awaitErr(l -> l.contains(" on http://127.0.0.1:"), Duration.ofSeconds(60),
                            "the dashboard's address").text();
                    String at = line.substring(line.indexOf("http://"), line.indexOf('/', line.indexOf("http://") + 7)
                            + 1);
                    java.net.http.HttpResponse<String> got = java.net.http.HttpClient.newHttpClient().send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(at + "api/v1/cluster")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, got.statusCode(), got.body());
                    tools.jackson.databind.JsonNode api = tools.jackson.databind.json.JsonMapper.builder().build()
                            .readTree(got.body()).get("cluster");
                    assertEquals(2, api.get("liveMembers").intValue(), got.body());
                    List<String> shown = new ArrayList<>();
                    api.get("members").forEach(m -> m.get("holds").forEach(h -> shown.add(h.stringValue())));
                    shown.sort(null);
                    assertEquals(held, shown, "the API shows what status shows: " + got.body());
                } finally {
                    assertEquals(0, dashboard.terminate(), dashboard.err());
                }

                // stopped cleanly: their leases given up, their instances marked stopped
                for (WatchProcess m : monitors) {
                    m.terminate();
                }
                assertEquals(0, t.count("SELECT COUNT(*) FROM server_leases"));
                assertEquals(0, t.count("SELECT COUNT(*) FROM monitor_instances WHERE stopped_at IS NULL"
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

}
