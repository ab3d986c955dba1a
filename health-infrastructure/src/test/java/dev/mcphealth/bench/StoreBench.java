package dev.mcphealth.bench;

import dev.mcphealth.domain.model.HealthMetric;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.MetricType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.Thresholds;
import dev.mcphealth.domain.model.TransportKind;
import dev.mcphealth.domain.model.FailoverConfig;
import dev.mcphealth.infrastructure.di.McpHealth;
import dev.mcphealth.infrastructure.persistence.Database;
import dev.mcphealth.infrastructure.persistence.JdbcMetricStore;
import dev.mcphealth.infrastructure.persistence.PostgresDatabase;
import dev.mcphealth.infrastructure.persistence.SqliteDatabase;
import dev.mcphealth.testkit.EverythingServer;
import dev.mcphealth.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rows and probes per second into PostgreSQL beside SQLite, in one run on this machine (docs/cluster.md).
 *
 * <ul>
 *   <li><b>rows</b>: {@link JdbcMetricStore#append} of batches as the monitor's flush writes them (one transaction per
 *   batch), for {@code seconds} each, at two batch sizes: 50 rows (a second's flush of 25 servers) and 1,000; rows a
 *   second, and the batch's median and worst time. SQLite: a temporary file, WAL, synchronous=FULL (as the monitor
 *   opens it). PostgreSQL: Debian's server started by the test kit in a temporary directory (fsync off: the figure is
 *   the stores' and the driver's, not a disk's).</li>
 *   <li><b>probes</b>: a monitor ({@link McpHealth}, the production wiring) watching {@code servers} names of one real
 *   server-everything over streamable HTTP at 1 s, for {@code seconds}: probes recorded a second (availability rows
 *   in the database at the end, per second of the window), and the monitor's own view of its writes.</li>
 * </ul>
 * Options: {@code seconds=20 servers=200}. Run:
 * {@code mvn -B -Pbench -Dbench=store -pl health-infrastructure -am -DskipTests verify}
 */
public final class StoreBench {
    private StoreBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new java.util.HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.isBlank() && eq < 1) {
                throw new IllegalArgumentException("options are key=value, got " + a);
            }
            if (!a.isBlank()) {
                o.put(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "20"));
        int servers = Integer.parseInt(o.getOrDefault("servers", "200"));
        System.out.printf(Locale.ROOT, "StoreBench: PostgreSQL beside SQLite, %d cores, Java %s, %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), Instant.now());
        PostgresServer pg = PostgresServer.shared();
        Path dir = Files.createTempDirectory("store-bench");
        for (int batch : new int[] {50, 1_000}) {
            double lite;
            double post;
            try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("rows-" + batch + ".db"))) {
                lite = rows("sqlite", db, batch, seconds);
            }
            try (PostgresDatabase db = PostgresDatabase.open(pg.database())) {
                post = rows("postgresql", db, batch, seconds);
            }
            System.out.printf(Locale.ROOT, "rows, batches of %d: postgresql/sqlite = %.2f%n", batch, post / lite);
        }
        try (EverythingServer everything = EverythingServer.streamableHttp()) {
            StringBuilder names = new StringBuilder();
            for (int i = 0; i < servers; i++) {
                names.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                        "\"s%03d\": {\"type\": \"http\", \"url\": \"%s\"}", i, everything.mcpUrl()));
            }
            Path config = dir.resolve("mcp.json");
            Files.writeString(config, "{\"mcpServers\": {" + names + "}}");
            double lite = probes("sqlite", config, dir.resolve("probes.db").toString(), seconds, servers);
            String db = pg.database().database();
            double post = probes("postgresql", config, pg.url(db), seconds, servers);
            System.out.printf(Locale.ROOT, "probes recorded: postgresql/sqlite = %.2f%n", post / lite);
        }
        pg.close();
    }

    private static double rows(String name, Database db, int batch, int seconds) {
        JdbcMetricStore store = new JdbcMetricStore(db);
        ServerType t = ServerType.of("bench");
        List<MonitoredServer> servers = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            servers.add(new MonitoredServer(ServerId.of("s" + i), t, TransportKind.STREAMABLE_HTTP,
                    Duration.ofSeconds(5), Duration.ofSeconds(1), Thresholds.DEFAULTS, FailoverConfig.defaultsFor(t)));
        }
        Instant at = Instant.parse("2026-12-01T00:00:00Z");
        List<Long> times = new ArrayList<>();
        long rows = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long warm = System.nanoTime() + Duration.ofSeconds(Math.min(5, seconds / 4)).toNanos();
        long measuredFrom = 0;
        while (System.nanoTime() < deadline) {
            List<HealthMetric> b = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                at = at.plusMillis(7);
                b.add(HealthMetric.of(servers.get(i % servers.size()), i % 2 == 0 ? MetricType.AVAILABILITY
                        : MetricType.RESPONSE_TIME, i % 2 == 0 ? 1 : 12.5, HealthStatus.HEALTHY, Map.of(), at));
            }
            long start = System.nanoTime();
            store.append(b);
            long took = System.nanoTime() - start;
            if (start > warm) {
                if (measuredFrom == 0) {
                    measuredFrom = start;
                }
                times.add(took);
                rows += batch;
            }
        }
        double window = (System.nanoTime() - measuredFrom) / 1e9;
        times.sort(null);
        double perSecond = rows / window;
        System.out.printf(Locale.ROOT, "rows %-10s batch %5d: %9.0f rows/s, batch median %.2f ms, worst %.2f ms (%d batches)%n",
                name, batch, perSecond, times.get(times.size() / 2) / 1e6, times.get(times.size() - 1) / 1e6,
                times.size());
        return perSecond;
    }

    private static double probes(String name, Path config, String db, int seconds, int servers) throws Exception {
        Instant from;
        Instant until;
        try (McpHealth health = McpHealth.builder(config).database(db).interval(Duration.ofSeconds(1)).start()) {
            Thread.sleep(5_000); // sessions open, the loop settles: not measured
            from = Instant.now();
            Thread.sleep(seconds * 1000L);
            until = Instant.now();
            health.stop(Duration.ofSeconds(10));
        }
        long recorded;
        Database read = dev.mcphealth.infrastructure.persistence.DatabaseTarget.parse(db, Map.of()).open();
        try (read; Connection c = read.connection();
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM integration_health_metrics"
                     + " WHERE metric_type = 'availability' AND server_instance <> 'mcp-health'"
                     + " AND measured_at >= ? AND measured_at < ?")) {
            bind(read, ps, 1, from);
            bind(read, ps, 2, until);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                recorded = rs.getLong(1);
            }
        }
        double window = Duration.between(from, until).toMillis() / 1000.0;
        double perSecond = recorded / window;
        System.out.printf(Locale.ROOT, "probes %-10s %d servers at 1 s: %.1f probes recorded/s over %.0f s (%.1f%% of"
                + " the schedule)%n", name, servers, perSecond, window, 100 * perSecond / servers);
        return perSecond;
    }

    private static void bind(Database db, java.sql.PreparedStatement ps, int i, Instant t) throws java.sql.SQLException {
        if (db instanceof SqliteDatabase) {
            ps.setString(i, java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS")
                    .withZone(java.time.ZoneOffset.UTC).format(t));
        } else {
            ps.setObject(i, java.time.OffsetDateTime.ofInstant(t, java.time.ZoneOffset.UTC));
        }
    }
}
