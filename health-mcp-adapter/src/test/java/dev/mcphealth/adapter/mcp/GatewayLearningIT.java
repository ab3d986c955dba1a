package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.EverythingServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's integration test: two real server-everything instances (one pool, {@code demo}) behind the gateway, a
 * traffic generator calling {@code demo__echo} through it along a compressed profile ({@code health.learning
 * .minuteSeconds: 1}: each second is a learned minute, each wall-clock minute an hour of the simulated week), the
 * gateway stopped and started again midway on the same database. Shows the profile kept across the restart, an
 * injected surge raised as an {@code anomaly} (an MCP notification, and a row), and optimization_report giving the
 * pool's instance recommendation from the capacity the load levels showed. Runs for about four minutes with
 * {@code -Pchaos} (the campaign: three load levels of 1, 4 and 8 callers for the capacity, the pool's plan). The suite
 * runs its short version, in under three minutes: a paced caller (a call, then 5 ms) before and after the restart, and
 * the surge of 8 unpaced callers, so that the surge is several times the usual rate however busy the machine is (the
 * campaign's unpaced single caller can leave too little CPU for 8 callers to triple it); the capacity and the plan
 * from stored minutes are UsageReportCommandIT's. The traffic is real and the clock is the wall clock.
 */
class GatewayLearningIT {
    @TempDir
    Path dir;

    /** Callers at work, each calling echo in a loop: the generator's load. */
    private static final class Traffic implements AutoCloseable {
        final AtomicInteger callers = new AtomicInteger();
        final AtomicLong calls = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        /** How long each caller waits after each call (0: at once). */
        final AtomicLong paceMillis = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Thread> threads = new ArrayList<>();

        Traffic(McpSyncClient client, int max) {
            for (int i = 0; i < max; i++) {
                int me = i;
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        if (me >= callers.get()) {
                            pause(20);
                            continue;
                        }
                        try {
                            client.callTool(new McpSchema.CallToolRequest("demo__echo", Map.of("message", "hi")));
                            calls.incrementAndGet();
                            long pace = paceMillis.get();
                            if (pace > 0) {
                                pause(pace);
                            }
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                        }
                    }
                }, "traffic-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }
    }

    /** The wall clock's pacing of a real process's traffic: no test clock reaches it. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private McpSyncClient gateway(Path config, List<McpSchema.LoggingMessageNotification> notes) {
        List<String> cmd = ServerProcess.command(List.of("--config", config.toString(), "--gateway", "--db",
                dir.resolve("health.db").toString()));
        StdioClientTransport transport = new StdioClientTransport(ServerParameters.builder(cmd.get(0))
                .args(cmd.subList(1, cmd.size())).build(), McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> { });
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(90)).loggingConsumer(notes::add).build();
        client.initialize();
        client.setLoggingLevel(McpSchema.LoggingLevel.WARNING);
        return client;
    }

    /**
     * Waits (at most a minute) until the gateway process of this test is gone: closing the client only asks it to
     * stop, and it saves what it learned on its way out, so the database is read after that.
     */
    private void awaitGatewayGone() throws Exception {
        String mark = dir.resolve("mcp.json").toString();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        for (ProcessHandle p : ProcessHandle.current().descendants()
                .filter(h -> h.info().commandLine().orElse("").contains(mark)).toList()) {
            p.onExit().get(Math.max(1, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The minutes the pool's own profile learned, as stored: the largest weight of its all-hours estimates (a figure in
     * an anomaly is not learned for up to an hour, and where the first run's load steps fall in the compressed week's
     * hours decides whether one is raised: the figures' weights differ from run to run, their largest much less).
     */
    private double minutesLearned() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("health.db"));
             ResultSet rs = c.createStatement().executeQuery("SELECT MAX(weight) FROM usage_profile_cells WHERE"
                     + " server_type = 'demo' AND tool_name = '' AND slot = 192")) {
            return rs.next() ? rs.getDouble(1) : 0;
        }
    }

    @Test
    void aCompressedWeekThroughTheGatewayIsLearnedKeptOverARestartRaisesTheSurgeAndPlansThePool() throws Exception {
        String entry = EverythingServer.entryPoint().toString();
        Path config = dir.resolve("mcp.json");
        Files.writeString(config, "{\"mcpServers\": {"
                + "\"everything-1\": {\"command\": \"node\", \"args\": [\"" + entry + "\", \"stdio\"]},"
                + "\"everything-2\": {\"command\": \"node\", \"args\": [\"" + entry + "\", \"stdio\"]}},"
                + "\"health\": {\"learning\": {\"minuteSeconds\": 1},"
                + " \"defaults\": {\"timeoutMs\": 5000, \"retryDelaySeconds\": 1, \"balancing\": \"round_robin\"},"
                + " \"servers\": {\"everything-1\": {\"serverType\": \"demo\"},"
                + " \"everything-2\": {\"serverType\": \"demo\"}}}}");
        List<McpSchema.LoggingMessageNotification> notes = new CopyOnWriteArrayList<>();

        boolean campaign = dev.mcphealth.testkit.ChaosFigures.full();
        long pace = campaign ? 0 : 5;
        // first run: three load levels (1, 4 and 8 callers), for the capacity estimate; the suite's, a paced caller
        McpSyncClient first = gateway(config, notes);
        long firstCalls;
        try (Traffic traffic = new Traffic(first, 8)) {
            traffic.paceMillis.set(pace);
            for (int[] phase : campaign ? new int[][] {{1, 50}, {4, 40}, {8, 40}} : new int[][] {{1, 45}}) {
                traffic.callers.set(phase[0]);
                pause(phase[1] * 1000L);
            }
            firstCalls = traffic.calls.get();
            traffic.callers.set(0);
        } finally {
            first.closeGracefully();
        }
        awaitGatewayGone();
        double learnedBefore = minutesLearned();
        System.out.println("[learning] first run: " + firstCalls + " calls, " + learnedBefore + " minutes saved");
        assertTrue(firstCalls > 500, "calls through the gateway: " + firstCalls);
        assertTrue(learnedBefore >= (campaign ? 100 : 35), "about " + (campaign ? 130 : 45) + " learned minutes saved"
                + " at the stop (the figure that learned the most): " + learnedBefore);

        // the restart: a new gateway process on the same database, steady traffic until a simulated hour (a wall
        // minute) has 37 of its minutes behind it, then a surge of 8 callers for 8 s, then steady again
        McpSyncClient second = gateway(config, notes);
        Instant surge;
        Map<String, Object> report;
        String summary;
        try (Traffic traffic = new Traffic(second, 8)) {
            traffic.paceMillis.set(pace);
            traffic.callers.set(1);
            pause(5_000);
            long toNextMinute = 60_000 - Instant.now().toEpochMilli() % 60_000;
            long steadyFrom = traffic.calls.get();
            long steadyStart = System.nanoTime();
            pause(toNextMinute + 37_000);
            surge = Instant.now();
            long surgeFrom = traffic.calls.get();
            long surgeStart = System.nanoTime();
            traffic.paceMillis.set(0);
            traffic.callers.set(8);
            pause(8_000);
            // what the machine made of it: a surge is a rate x3 only when the gateway is not CPU-bound at 1 caller
            double steadyRate = (surgeFrom - steadyFrom) / ((surgeStart - steadyStart) / 1e9);
            double surgeRate = (traffic.calls.get() - surgeFrom) / ((System.nanoTime() - surgeStart) / 1e9);
            System.out.printf(java.util.Locale.ROOT, "[learning] steady %.0f calls/s, surge %.0f calls/s (x%.1f)%n",
                    steadyRate, surgeRate, surgeRate / steadyRate);
            traffic.callers.set(1);
            traffic.paceMillis.set(pace);
            pause(12_000);
            // steady on until the pool's profile has learned enough for a plan (3 learned hours: 180 s here)
            Instant deadline = Instant.now().plusSeconds(120);
            report = Map.of();
            summary = "";
            while (campaign) {
                McpSchema.CallToolResult r = second.callTool(new McpSchema.CallToolRequest(
                        "orchestrator_integration_monitor", Map.of("action", "optimization_report",
                        "server_types", List.of("demo"))));
                summary = r.content().stream().filter(McpSchema.TextContent.class::isInstance)
                        .map(c -> ((McpSchema.TextContent) c).text()).reduce("", String::concat);
                @SuppressWarnings("unchecked")
                Map<String, Object> structured = (Map<String, Object>) r.structuredContent();
                report = structured;
                System.out.println("[learning] at " + Instant.now() + " (surge at " + surge + "): " + summary);
                if (!summary.contains("no instance recommendation yet") || Instant.now().isAfter(deadline)) {
                    break;
                }
                pause(10_000);
            }
            assertTrue(traffic.failed.get() == 0, "no call failed: " + traffic.failed.get());
        } finally {
            second.closeGracefully();
        }
        awaitGatewayGone();
        double learnedAfter = minutesLearned();

        // the monitor's probes of each instance were learned too (probe_profiles, V14: its latency forecasts' week)
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("health.db"));
             ResultSet rs = c.createStatement().executeQuery("SELECT p.server_name, COUNT(x.slot) FROM probe_profiles p"
                     + " JOIN probe_profile_cells x ON x.server_name = p.server_name GROUP BY p.server_name"
                     + " ORDER BY p.server_name")) {
            List<String> probed = new ArrayList<>();
            while (rs.next()) {
                probed.add(rs.getString(1));
                assertTrue(rs.getLong(2) >= 9, "rate, p50 and p95 in three slots: " + rs.getLong(2));
            }
            assertTrue(probed.equals(List.of("everything-1", "everything-2")), "probe profiles: " + probed);
        }

        // the profile was kept and went on learning
        assertTrue(learnedAfter > learnedBefore + 40, "kept over the restart: " + learnedBefore + " then "
                + learnedAfter);

        // the surge: an anomaly of the pool's call rate, above its band, sent to the client and stored
        List<String> anomalies = notes.stream().map(n -> n.data()).filter(d -> d.contains("\"event\":\"anomaly\"")
                && d.contains("\"figure\":\"rate\"") && d.contains("\"direction\":\"above\"")).toList();
        assertTrue(!anomalies.isEmpty(), "an anomaly notification: " + notes);
        boolean stored = false;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("health.db"));
             ResultSet rs = c.createStatement().executeQuery("SELECT raised_at, observed, band_high FROM"
                     + " usage_anomalies WHERE server_type = 'demo' AND figure = 'rate' AND direction = 'above'")) {
            while (rs.next()) {
                Instant at = Instant.parse(rs.getString(1).replace(' ', 'T') + "Z");
                if (!at.isBefore(surge) && at.isBefore(surge.plusSeconds(10))) {
                    stored = rs.getDouble(2) > rs.getDouble(3);
                }
            }
        }
        assertTrue(stored, "the surge's anomaly stored, its observed rate above the band (rate anomalies sent: "
                + anomalies + ")");

        if (!campaign) {
            System.out.println("[learning] suite: " + firstCalls + " calls before the restart; learned minutes "
                    + learnedBefore + " then " + learnedAfter + "; " + anomalies.size() + " rate anomalies sent");
            return; // the capacity and the plan: the campaign's (-Pchaos), and UsageReportCommandIT's from stored minutes
        }
        // the recommendation follows from the load: a capacity from the three levels, and a plan of the pool
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> capacity = (List<Map<String, Object>>) report.get("capacity");
        assertTrue(capacity != null && capacity.size() == 1, String.valueOf(report));
        Map<String, Object> demo = capacity.get(0);
        assertTrue(String.valueOf(demo.get("recommendation")).startsWith("demo: ")
                && String.valueOf(demo.get("recommendation")).contains("an instance serves"), demo.toString());
        assertTrue(summary.contains("Capacity: demo: "), summary);
        System.out.println("[learning] " + firstCalls + " calls before the restart; learned minutes " + learnedBefore
                + " then " + learnedAfter + "; " + anomalies.size() + " rate anomalies sent; " + demo.get("recommendation"));
    }
}
