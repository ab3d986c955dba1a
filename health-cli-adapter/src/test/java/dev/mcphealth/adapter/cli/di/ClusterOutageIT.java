package dev.mcphealth.adapter.cli.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mcphealth.testkit.AlertReceivers;
import dev.mcphealth.testkit.ChaosFigures;
import dev.mcphealth.testkit.EverythingServer;
import dev.mcphealth.testkit.PostgresServer;
import dev.mcphealth.testkit.TcpProxyDouble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code mcp-health watch} processes sharing one real PostgreSQL server (a server of this test's own, to stop and
 * freeze), watching a real server-everything over HTTP under six names (lease 6 s) and a second one ("flaky"): the
 * database stopped, then frozen (SIGSTOP of all its processes: open connections hang, new ones get no answer, as when a network
 * drops packets), each for longer than the lease, and back. Meanwhile every monitor probes what it holds on, once a
 * second; the flaky server goes down while the database is stopped. Afterwards every probe of the outage is in the
 * database (no gap in any server's rows, none probed twice), the flaky server's episode is one failure row, one alert
 * row and one webhook alert however many monitors there are, the servers are shared out as before, and each monitor
 * stops with nothing dropped. Then one member is cut off from the database while the others are not (each reaches it
 * through a {@link TcpProxyDouble}), past the lease: the others take its servers, and once the path is back none of
 * its rows of them lands (the fence), and the servers are shared out again. Suite: stopped 20 s, frozen 10 s;
 * campaign ({@code -Pchaos}): 60 s each ({@code -Dmcphealth.chaos.clusterDownSeconds}, {@code .clusterFrozenSeconds}).
 * Figures: {@code [chaos] cluster}.
 */
@Tag("serial")
class ClusterOutageIT {
    /** 6 s: a beat of 2 s, so that a stall of the 2 cores under five processes is not taken for a pause. */
    private static final Duration LEASE = Duration.ofSeconds(6);
    private static final int DOWN = ChaosFigures.scale("mcphealth.chaos.clusterDownSeconds", 20, 60);
    private static final int FROZEN = ChaosFigures.scale("mcphealth.chaos.clusterFrozenSeconds", 10, 60);
    private static final String FLAKY = "flaky";
    private static final Set<String> STEADY = Set.of("r0", "r1", "r2", "r3", "r4", "r5");
    /** A probe a second: no two of a server's rows further apart than this while it answers (one skipped is 2 s). */
    private static final Duration MAX_GAP = Duration.ofMillis(1_800);

    @TempDir
    Path dir;

    @BeforeAll
    static void logAsTheOtherCliTestsDo() {
        Main.configureLogging("info");
    }

    @Test
    void threeMonitorsProbeOnThroughADatabaseStoppedAndFrozenAndLoseNothing() throws Exception {
        Set<String> servers = new TreeSet<>(STEADY);
        servers.add(FLAKY);
        try (PostgresServer pg = PostgresServer.start();
             EverythingServer everything = EverythingServer.streamableHttp();
             EverythingServer flaky = EverythingServer.streamableHttp();
             AlertReceivers alerts = AlertReceivers.in(dir)) {
            pg.execute("postgres", "CREATE DATABASE cluster");
            ClusterTables t = new ClusterTables(pg, "cluster", servers, LEASE);
            StringBuilder entries = new StringBuilder();
            for (String s : servers) {
                entries.append(entries.length() == 0 ? "" : ", ").append('"').append(s)
                        .append("\": {\"type\": \"http\", \"url\": \"")
                        .append(s.equals(FLAKY) ? flaky.mcpUrl() : everything.mcpUrl()).append("\"}");
            }
            Path config = dir.resolve("mcp.json");
            Files.writeString(config, "{\"mcpServers\": {" + entries + "}, \"health\": {\"defaults\":"
                    + " {\"timeoutMs\": 1000, \"retryDelaySeconds\": 1}, " + alerts.json() + "}}");
            Map<String, String> env = Map.of("MCP_HEALTH_CLUSTER_LEASE", Long.toString(LEASE.toSeconds()));
            List<WatchProcess> monitors = new ArrayList<>();
            // each member reaches the database through a path of its own, which the partition cuts
            List<TcpProxyDouble> paths = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    TcpProxyDouble path = TcpProxyDouble.to(pg.port());
                    paths.add(path);
                    monitors.add(WatchProcess.start(env, List.of(), "watch", "--config", config.toString(), "--db",
                            pg.url("cluster").replace(":" + pg.port() + "/", ":" + path.port() + "/"), "--interval",
                            "1", "--json"));
                }
                ClusterTables.await(() -> t.sharedOut(3), Duration.ofSeconds(60), "shared out among three",
                        () -> t.leases() + "\n" + t.instances() + "\n" + errs(monitors));
                // from here on each steady server is probed once a second: none changes hands before the outage
                ClusterTables.await(() -> t.steady(STEADY, MAX_GAP), Duration.ofSeconds(30), "each probed at its pace",
                        () -> t.leases() + "\n" + errs(monitors));
                Instant began = Instant.now();

                // stopped: connections refused; the flaky server goes down meanwhile
                Instant down = Instant.now();
                pg.stop();
                Thread.sleep(3_000); // real processes on their own schedules: no test clock reaches them
                flaky.pause();
                Thread.sleep(Duration.ofSeconds(DOWN - 3).toMillis());
                pg.startAgain();
                Instant up = Instant.now();
                // the flaky server, down, is probed at its recovery's backoff: its rows are awaited by its alert's
                long flushed = awaitWritten(t, STEADY, up, monitors);
                ClusterTables.await(() -> t.alerts(FLAKY) == 1, Duration.ofSeconds(30), "the flaky server's alert row",
                        () -> t.leases() + "\n" + errs(monitors));
                report(t, "stopped", down, up, flushed, monitors);
                ClusterTables.await(() -> t.sharedOut(3), Duration.ofSeconds(30), "shared out again among three",
                        () -> t.leases() + "\n" + t.instances());
                assertEquals(1, t.count("SELECT COUNT(*) FROM health_alerts WHERE server_instance = '" + FLAKY + "'"),
                        "one alert row for the episode that began while the database was stopped");
                assertEquals(1, t.count("SELECT COUNT(*) FROM integration_failures WHERE server_instance = '"
                        + FLAKY + "'"), "one failure row for it");
                flaky.resume();
                ClusterTables.await(() -> webhooks(alerts, "alert_resolved") == 1, Duration.ofSeconds(30),
                        "the flaky server's alert resolved", () -> alerts.webhookEvents().toString());

                ClusterTables.await(() -> t.steady(STEADY, MAX_GAP), Duration.ofSeconds(30),
                        "each probed at its pace again", () -> t.leases() + "\n" + errs(monitors));
                // frozen: nothing answers, nothing is refused
                Instant frozen = Instant.now();
                pg.freeze();
                Thread.sleep(Duration.ofSeconds(FROZEN).toMillis());
                pg.thaw();
                Instant thawed = Instant.now();
                flushed = awaitWritten(t, servers, thawed, monitors);
                report(t, "frozen", frozen, thawed, flushed, monitors);
                ClusterTables.await(() -> t.sharedOut(3), Duration.ofSeconds(30), "shared out among three after",
                        () -> t.leases() + "\n" + t.instances());

                // one member cut off from the database, the others not (a partition), past the lease: the others
                // take its servers; it probes them on meanwhile (it cannot tell this from an outage for all), and
                // once back none of its rows of them lands, and it lets them go
                java.util.Map<String, ClusterTables.Lease> before = t.leases();
                WatchProcess cutOff = monitors.stream().max(java.util.Comparator.comparingLong(m -> before.values()
                        .stream().filter(l -> l.owner().contains("/" + m.pid() + "/")).count())).orElseThrow();
                Set<String> itsServers = new TreeSet<>();
                before.forEach((server, l) -> {
                    if (l.owner().contains("/" + cutOff.pid() + "/")) {
                        itsServers.add(server);
                    }
                });
                TcpProxyDouble itsPath = paths.get(monitors.indexOf(cutOff));
                Instant cut = Instant.now();
                itsPath.cut();
                ClusterTables.await(() -> itsServers.stream().allMatch(server -> {
                    ClusterTables.Lease l = t.leases().get(server);
                    return l != null && l.live() && !l.owner().contains("/" + cutOff.pid() + "/");
                }), LEASE.multipliedBy(4), "its servers taken over by the others", () -> t.leases().toString());
                Thread.sleep(2_000); // both probe them now: the cut-off member does not know
                itsPath.heal();
                Instant healed = Instant.now();
                ClusterTables.await(() -> t.sharedOut(3), Duration.ofSeconds(40), "shared out among three again",
                        () -> t.leases() + "\n" + t.instances() + "\n" + errs(monitors));
                awaitWritten(t, servers, healed, monitors);
                ChaosFigures.record("cluster", String.format(java.util.Locale.ROOT, "one member of three cut off from"
                        + " the database %d s: its %d servers taken over, shared out again %d s after the path came"
                        + " back", Duration.between(cut, healed).toSeconds(), itsServers.size(),
                        Duration.between(healed, Instant.now()).toSeconds()));
                assertTrue(cutOff.err().contains("its rows are not written: another monitor holds it now"),
                        "its rows of the servers it lost were refused: " + cutOff.err());

                for (String s : servers) {
                    // none written twice, the cut-off member's rows of the partition included
                    t.assertNoDoubleProbe(s, began.minusSeconds(10));
                }
                assertEquals(1, webhooks(alerts, "alert"), "one webhook alert across the cluster: "
                        + alerts.webhookEvents());
                assertEquals(1, t.count("SELECT COUNT(*) FROM health_alerts WHERE server_instance = '" + FLAKY
                        + "' AND resolved_at IS NOT NULL"), "its one alert row, resolved");
                for (WatchProcess m : monitors) {
                    assertEquals(0, m.terminate(), "each stops having written everything: " + m.err());
                    assertFalse(m.err().contains("dropped"), m.err());
                }
                assertEquals(0, t.count("SELECT COUNT(*) FROM server_leases"), "every lease given up");
            } finally {
                for (WatchProcess m : monitors) {
                    if (m.isAlive()) {
                        m.kill9();
                    }
                }
                flaky.resume();
                pg.thaw();
                paths.forEach(TcpProxyDouble::close);
            }
        }
    }

    /**
     * Waits until every server has a probe row from after {@code back} (what waited is written by then) and returns
     * how long after {@code back} the last of them came, in ms.
     */
    private static long awaitWritten(ClusterTables t, Set<String> servers, Instant back, List<WatchProcess> monitors)
            throws InterruptedException {
        ClusterTables.await(() -> servers.stream().allMatch(s -> t.lastProbe(s).isAfter(back.plusSeconds(1))),
                Duration.ofSeconds(60), "every server's rows written after the database came back",
                () -> t.leases() + "\n" + errs(monitors));
        return Duration.between(back, Instant.now()).toMillis();
    }

    /**
     * Checks that each steady server's probes went on once a second through the outage from {@code from} to
     * {@code to}, and that the flaky one was probed on too; prints the figures.
     */
    private static void report(ClusterTables t, String what, Instant from, Instant to, long flushedMs,
                               List<WatchProcess> monitors) throws SQLException {
        long worst = 0;
        int rows = 0;
        for (String s : STEADY) {
            List<Instant> at = t.probes(s, from.minusSeconds(2));
            at.removeIf(i -> i.isAfter(to.plusSeconds(2)));
            long gap = 0;
            for (int i = 1; i < at.size(); i++) {
                gap = Math.max(gap, Duration.between(at.get(i - 1), at.get(i)).toMillis());
            }
            if (gap > MAX_GAP.toMillis()) {
                fail(s + ": probes " + gap + " ms apart while the database was " + what + " (" + from + " to " + to
                        + "): " + at + "\nits rows: " + t.rows(s, from.minusSeconds(4), to) + "\nleases: "
                        + t.leases() + "\n" + errs(monitors) + events(monitors, s));
            }
            long seconds = Duration.between(from, to).toSeconds();
            assertTrue(at.size() >= seconds, s + ": " + at.size() + " probe rows over " + seconds + " s " + what);
            worst = Math.max(worst, gap);
            rows += at.size();
        }
        List<Instant> flakyRows = t.probes(FLAKY, from);
        flakyRows.removeIf(i -> i.isAfter(to));
        assertTrue(flakyRows.size() >= 3, "the flaky server probed on, down: " + flakyRows);
        ChaosFigures.record("cluster", String.format(java.util.Locale.ROOT, "database %s %d s under three monitors:"
                        + " %d probe rows of the six steady servers kept, widest gap %d ms, every server's rows in"
                        + " %d ms after it came back", what, Duration.between(from, to).toSeconds(), rows, worst,
                flushedMs));
    }

    private static long webhooks(AlertReceivers alerts, String kind) {
        return alerts.webhookEvents().stream().filter(e -> e.path("event").asString().equals(kind)
                && e.path("server").asString().equals(FLAKY)).count();
    }

    /**
     * Each monitor's events naming {@code server} (its --json lines: status changes, takeovers): which member held it
     * when, for a failure's account (a gap before an outage was once a handover or a reconnect, and the rows alone
     * could not tell which).
     */
    private static String events(List<WatchProcess> monitors, String server) {
        StringBuilder out = new StringBuilder();
        for (WatchProcess m : monitors) {
            out.append(m.pid()).append(" events of ").append(server).append(":\n");
            m.out().lines().filter(l -> l.contains("\"" + server + "\"")).forEach(l -> out.append(l).append('\n'));
        }
        return out.toString();
    }

    private static String errs(List<WatchProcess> monitors) {
        StringBuilder out = new StringBuilder();
        for (WatchProcess m : monitors) {
            out.append(m.pid()).append(m.isAlive() ? " alive: " : " exited: ").append(m.err()).append('\n');
        }
        return out.toString();
    }
}
