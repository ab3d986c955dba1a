package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.UsageProfileStorePort.StoredProfile;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.infrastructure.persistence.SqliteDatabase;
import dev.mcphealth.infrastructure.persistence.JdbcUsageProfileStore;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running server following the probe hours ({@code health.tuning.probeHours: follow}) on real servers: the kv
 * type's stored profile says every hour of its week is idle (a week of minutes with no call), so once memory is
 * healthy it is probed every 4 s instead of the 1 s asked for, as the monitor's own status shows, while everything
 * (demo: no profile) keeps 1 s; the database then gets a quarter as many of memory's rows.
 */
class ProbeHoursIT {
    @TempDir
    Path dir;

    private Path database() {
        Path db = dir.resolve("health.db");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        UsageProfile idle = new UsageProfile();
        for (int i = 0; i < 7 * 1440; i++) {
            idle.observe(now.minus(Duration.ofDays(7)).plus(Duration.ofMinutes(i)), ZoneId.systemDefault(),
                    UsageProfile.Minute.idle());
        }
        try (SqliteDatabase database = SqliteDatabase.open(db)) {
            new JdbcUsageProfileStore(database).saveProfiles(List.of(new StoredProfile(ServerType.of("kv"), "", now,
                    idle.cells())));
        }
        return db;
    }

    private static String interval(McpSyncClient client, String type) {
        Map<String, Object> server = ToolCalls.call(client, HealthDashboardsTool.NAME, Map.of("view", "server",
                "server_type", type));
        return String.valueOf(ToolCalls.map(ToolCalls.list(server, "servers").get(0), "details")
                .get("intervalSeconds"));
    }

    private long rows(Path db, String instance) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             java.sql.PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM integration_health_metrics"
                     + " WHERE server_instance = ? AND metric_type = 'response_time'")) {
            q.setString(1, instance);
            try (java.sql.ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    @Test
    void anIdleTypeIsProbedFourTimesLessOftenOnceHealthy() throws Exception {
        Path db = database();
        Path config = ServerProcess.config(dir);
        Files.writeString(config, Files.readString(config).replace("\"health\": {",
                "\"health\": {\"tuning\": {\"probeHours\": \"follow\"}, "));
        List<String> cmd = ServerProcess.command(List.of("--config", config.toString(), "--db", db.toString(),
                "--interval", "1"));
        StdioClientTransport transport = new StdioClientTransport(ServerParameters.builder(cmd.get(0))
                .args(cmd.subList(1, cmd.size())).build(), McpJsonDefaults.getMapper());
        Queue<String> log = new ConcurrentLinkedQueue<>();
        transport.setStdErrorHandler(log::add);
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(60)).build();
        try {
            client.initialize();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!interval(client, "kv").equals("4") && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(250); // the server's own schedule, which no test clock controls
            }
            assertEquals("4", interval(client, "kv"), "memory, healthy in an idle hour: every 4 s; log: " + log);
            Map<String, Object> server = ToolCalls.call(client, HealthDashboardsTool.NAME, Map.of("view", "server",
                    "server_type", "kv"));
            assertEquals("1", ToolCalls.map(ToolCalls.list(server, "servers").get(0), "details")
                    .get("intervalInForceSeconds"), "the interval in force, under the stretch, is still 1 s");
            assertEquals("1", interval(client, "demo"), "everything, no profile: as asked");
            // the database sees it: memory's rows come a quarter as often as everything's
            long memory = rows(db, "memory");
            long everything = rows(db, "everything");
            TimeUnit.SECONDS.sleep(12);
            long memoryRows = rows(db, "memory") - memory;
            long everythingRows = rows(db, "everything") - everything;
            assertTrue(everythingRows >= 7 && memoryRows <= 5 && memoryRows >= 1, "in 12 s: memory " + memoryRows
                    + " rows, everything " + everythingRows);
        } finally {
            client.closeGracefully();
        }
    }
}
