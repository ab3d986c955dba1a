package dev.mcphealth.infrastructure.di;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitor recording to a real PostgreSQL server while it watches a real server-everything over HTTP: the server
 * stopped for 5 s and started again, the monitor goes on probing, keeps the rows, and writes them all when the server
 * is back (the lease of its server, 15 s, outlives the outage).
 */
class PostgresMonitorIT {
    @TempDir
    Path dir;

    @Test
    void aMonitorOnPostgresqlKeepsEveryProbeThroughAnOutageOfTheServer() throws Exception {
        try (EverythingServer everything = EverythingServer.streamableHttp();
             PostgresServer pg = PostgresServer.start()) {
            pg.execute("postgres", "CREATE DATABASE health");
            Path config = dir.resolve("mcp.json");
            Files.writeString(config, "{\"mcpServers\": {\"everything\": {\"type\": \"http\", \"url\": \""
                    + everything.mcpUrl() + "\"}}}");
            Instant outage;
            Instant back;
            try (McpHealth health = McpHealth.builder(config).database(pg.url("health"))
                    .interval(Duration.ofSeconds(1)).start()) {
                assertEquals("postgresql://mcp@127.0.0.1:" + pg.port() + "/health", health.database());
                assertEquals(java.util.Set.of("everything"), health.component().cluster().orElseThrow().holding(),
                        "alone on the database, it holds the lease of its one remote server");

                awaitRows(pg, 3, Duration.ofSeconds(20));
                outage = Instant.now();
                pg.stop();
                // a real outage of a real server: real time passes (the monitor's clock is the real one)
                Thread.sleep(5_000);
                pg.startAgain();
                back = Instant.now();
                awaitProbeAfter(pg, back.plusSeconds(2), Duration.ofSeconds(30));
            }
            List<Instant> probes = probes(pg);
            assertTrue(probes.stream().anyMatch(t -> t.isAfter(outage.plusSeconds(2)) && t.isBefore(back)),
                    "probes made while the server was down were kept and written: " + probes);
            for (int i = 1; i < probes.size(); i++) {
                Duration gap = Duration.between(probes.get(i - 1), probes.get(i));
                assertTrue(gap.compareTo(Duration.ofMillis(2_500)) < 0, "a gap of " + gap + " before "
                        + probes.get(i) + " (outage " + outage + " to " + back + "): " + probes);
            }
        }
    }

    private static List<Instant> probes(PostgresServer pg) throws SQLException {
        List<Instant> out = new ArrayList<>();
        try (Connection c = pg.connect("health");
             PreparedStatement ps = c.prepareStatement("SELECT measured_at FROM integration_health_metrics"
                     + " WHERE server_instance = 'everything' AND metric_type = 'availability' ORDER BY measured_at");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getTimestamp(1).toInstant());
            }
        }
        return out;
    }

    private static void awaitRows(PostgresServer pg, int rows, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (probes(pg).size() < rows) {
            assertTrue(System.nanoTime() < deadline, "fewer than " + rows + " probes written in " + within);
            Thread.sleep(200);
        }
    }

    private static void awaitProbeAfter(PostgresServer pg, Instant at, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            List<Instant> p = probes(pg);
            if (!p.isEmpty() && p.get(p.size() - 1).isAfter(at)) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "no probe after " + at + " written in " + within);
            Thread.sleep(200);
        }
    }
}
