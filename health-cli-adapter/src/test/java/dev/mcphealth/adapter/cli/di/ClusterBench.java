package dev.mcphealth.adapter.cli.di;

import dev.mcphealth.testkit.EverythingServer;
import dev.mcphealth.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Takeover times of a monitor cluster over repeated {@code kill -9} (docs/cluster.md): three {@code mcp-health watch}
 * processes (the packaged jar) on one real PostgreSQL database, watching one real server-everything over HTTP under
 * twelve names at a 1 s interval. Each round kills a member holding servers, measures for each of its servers the
 * takeover (the kill to that server's next probe row) and the probe gap (its last row before the kill to its first
 * after), starts a new member in its place and waits until the servers are shared out again. Prints each round and the
 * distributions (min, median, p90, max).
 *
 * <p>Options ({@code -Dbench.options="..."}): {@code kills=20 lease=6 seed=18}. Run:
 * {@code mvn -B -Pbench -pl health-cli-adapter -am -DskipTests verify}
 */
public final class ClusterBench {
    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new java.util.HashMap<>();
        for (String a : String.join(" ", args).split("\\s+")) {
            int eq = a.indexOf('=');
            if (!a.isBlank()) {
                if (eq < 1) {
                    throw new IllegalArgumentException("options are key=value, got " + a);
                }
                o.put(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        int kills = Integer.parseInt(o.getOrDefault("kills", "20"));
        Duration lease = Duration.ofSeconds(Long.parseLong(o.getOrDefault("lease", "6")));
        Random random = new Random(Long.parseLong(o.getOrDefault("seed", "18")));
        Set<String> servers = new TreeSet<>();
        for (int i = 0; i < 12; i++) {
            servers.add("r" + i);
        }
        System.out.printf(Locale.ROOT, "ClusterBench: 3 members, %d servers at 1 s, lease %d s, %d kills, %d cores, %s%n",
                servers.size(), lease.toSeconds(), kills, Runtime.getRuntime().availableProcessors(), Instant.now());
        // every member started alike: from the class data sharing archive, as bin/mcp-health's watch starts once made
        WatchProcess.awaitClassArchive();
        PostgresServer pg = PostgresServer.shared();
        String db = pg.database().database();
        String url = pg.url(db);
        ClusterTables t = new ClusterTables(pg, db, servers, lease);
        Path dir = Files.createTempDirectory("cluster-bench");
        List<Long> takeovers = new ArrayList<>();
        List<Long> gaps = new ArrayList<>();
        List<WatchProcess> members = new ArrayList<>();
        try (EverythingServer everything = EverythingServer.streamableHttp()) {
            StringBuilder config = new StringBuilder();
            for (String s : servers) {
                config.append(config.length() == 0 ? "" : ", ").append('"').append(s)
                        .append("\": {\"type\": \"http\", \"url\": \"").append(everything.mcpUrl()).append("\"}");
            }
            Path file = dir.resolve("mcp.json");
            Files.writeString(file, "{\"mcpServers\": {" + config + "}}");
            Map<String, String> env = Map.of("MCP_HEALTH_CLUSTER_LEASE", Long.toString(lease.toSeconds()));
            for (int i = 0; i < 3; i++) {
                members.add(start(env, file, url));
            }
            ClusterTables.await(() -> t.sharedOut(3), Duration.ofSeconds(60), "shared out", t::instances);
            for (int round = 1; round <= kills; round++) {
                Map<String, ClusterTables.Lease> now = t.leases();
                List<WatchProcess> holding = members.stream().filter(m -> now.values().stream()
                        .anyMatch(l -> l.owner().contains("/" + m.pid() + "/"))).toList();
                WatchProcess victim = holding.get(random.nextInt(holding.size()));
                Set<String> its = new TreeSet<>();
                now.forEach((s, l) -> {
                    if (l.owner().contains("/" + victim.pid() + "/")) {
                        its.add(s);
                    }
                });
                Map<String, Instant> last = new java.util.HashMap<>();
                for (String s : its) {
                    last.put(s, t.lastProbe(s));
                }
                Instant kill = Instant.now();
                victim.kill9();
                members.remove(victim);
                ClusterTables.await(() -> its.stream().allMatch(s -> t.lastProbe(s).isAfter(kill)),
                        Duration.ofSeconds(120), "its servers probed again", () -> t.leases().toString());
                long worst = 0;
                for (String s : its) {
                    Instant first = t.firstProbeAfter(s, kill);
                    long take = Duration.between(kill, first).toMillis();
                    worst = Math.max(worst, take);
                    takeovers.add(take);
                    if (!last.get(s).equals(Instant.EPOCH)) { // a server not probed yet before the kill has no gap
                        gaps.add(Duration.between(last.get(s), first).toMillis());
                    }
                }
                System.out.printf(Locale.ROOT, "round %2d: killed the holder of %d servers, all probed again after"
                        + " %d ms%n", round, its.size(), worst);
                members.add(start(env, file, url));
                ClusterTables.await(() -> t.sharedOut(3), Duration.ofSeconds(60), "shared out again",
                        t::instances);
            }
        } finally {
            for (WatchProcess m : members) {
                m.kill9();
            }
            pg.close();
        }
        System.out.println("takeover (kill -9 to the server's next probe), per server: " + spread(takeovers));
        long bound = lease.plusSeconds(1).toMillis();
        System.out.printf(Locale.ROOT, "takeovers within the lease and one interval (%d ms): %d of %d%n", bound,
                takeovers.stream().filter(ms -> ms <= bound).count(), takeovers.size());
        System.out.println("probe gap (last probe before the kill to the first after), per server: " + spread(gaps));
    }

    private static WatchProcess start(Map<String, String> env, Path config, String url) {
        return WatchProcess.start(env, List.of(), "watch", "--config", config.toString(), "--db", url, "--interval",
                "1");
    }

    private static String spread(List<Long> ms) {
        List<Long> s = new ArrayList<>(ms);
        s.sort(null);
        return String.format(Locale.ROOT, "n %d, min %d ms, median %d ms, p90 %d ms, max %d ms", s.size(), s.get(0),
                s.get(s.size() / 2), s.get((int) Math.ceil(0.9 * s.size()) - 1), s.get(s.size() - 1));
    }
}
