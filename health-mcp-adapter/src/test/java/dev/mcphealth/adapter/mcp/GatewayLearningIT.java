package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;

import dev.mcphealth.testkit.ChaosFigures;
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
 * traffic generator calling {@code demo__gzip-file-as-resource} through it along a compressed profile
 * ({@code health.learning.minuteSeconds: 1}: each second is a learned minute, each wall-clock minute an hour of the
 * simulated week), the gateway stopped and started again midway on the same database. Shows the profile kept across
 * the restart, an injected surge raised as an {@code anomaly} (an MCP notification, and a row), and
 * optimization_report giving the pool's instance recommendation from the capacity the load levels showed.
 *
 * <p>The tool fetches a 1 MiB text from a loopback HTTP server of this test and gzips it: tens of milliseconds of CPU
 * in the instance's one JavaScript thread per call, so each instance is a queue of one worker whose calls wait in
 * line as callers are added, as a real server doing real work is. (Its echo serves thousands of calls a second: on
 * two cores the gateway and the test's client run out of CPU long before an instance shows a limit, and no capacity
 * can be seen.) A light load for the machine: about 70 calls a second at the most. Hedging is off, so the calls the
 * instances serve are the generator's. The traffic is real and the clock is the wall clock: about three and a half
 * minutes with {@code -Pchaos} (the long campaigns' profile), which runs it whole; the suite runs its first part (the
 * profile learned from the load levels, kept over the restart and learning on), about a minute.
 */
class GatewayLearningIT {
    @TempDir
    Path dir;

    /** The tool the traffic calls: CPU-bound work in the instance (see the class's doc). */
    private static final String TOOL = "demo__gzip-file-as-resource";

    /** Callers at work, each calling the tool in a loop: the generator's load. */
    private static final class Traffic implements AutoCloseable {
        final AtomicInteger callers = new AtomicInteger();
        final AtomicLong calls = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        /** How long each caller waits after each call (0: at once). */
        final AtomicLong paceMillis = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Thread> threads = new ArrayList<>();

        /** Each call's time in nanoseconds, summed, and the calls it sums (for the single caller's latency). */
        final AtomicLong nanos = new AtomicLong();

        Traffic(McpSyncClient client, int max, Map<String, Object> arguments) {
            for (int i = 0; i < max; i++) {
                int me = i;
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        if (me >= callers.get()) {
                            pause(20);
                            continue;
                        }
                        try {
                            long start = System.nanoTime();
                            McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(TOOL, arguments));
                            if (Boolean.TRUE.equals(r.isError())) {
                                throw new IllegalStateException(String.valueOf(r.content()));
                            }
                            nanos.addAndGet(System.nanoTime() - start);
                            calls.incrementAndGet();
                            long pace = paceMillis.get();
                            if (pace > 0) {
                                pause(pace);
                            }
                        } catch (RuntimeException e) {
                            if (failed.incrementAndGet() == 1) {
                                System.out.println("[learning] a call failed: " + e.getMessage());
                            }
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

    /**
     * A loopback HTTP server of one text, 1 MiB of words, the same on every run: what each call's instance fetches
     * and gzips.
     */
    private static HttpServer blobServer() throws java.io.IOException {
        java.util.Random random = new java.util.Random(16);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            StringBuilder w = new StringBuilder();
            for (int j = 3 + random.nextInt(6); j > 0; j--) {
                w.append((char) ('a' + random.nextInt(26)));
            }
            words.add(w.toString());
        }
        StringBuilder text = new StringBuilder(1 << 20);
        while (text.length() < 1 << 20) {
            text.append(words.get(random.nextInt(words.size()))).append(' ');
        }
        byte[] blob = text.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        HttpServer server = HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "blob-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/blob.txt", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, blob.length);
            try (java.io.OutputStream out = exchange.getResponseBody()) {
                out.write(blob);
            }
        });
        server.start();
        return server;
    }

    /** The monitor's probes of each instance were learned too (probe_profiles, V14: its latency forecasts' week). */
    private void assertProbeProfiles() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("health.db"));
             ResultSet rs = c.createStatement().executeQuery("SELECT p.server_name, COUNT(x.slot) FROM probe_profiles p"
                     + " JOIN probe_profile_cells x ON x.server_name = p.server_name GROUP BY p.server_name"
                     + " ORDER BY p.server_name")) {
            List<String> probed = new ArrayList<>();
            while (rs.next()) {
                probed.add(rs.getString(1));
                assertTrue(rs.getLong(2) >= 9, "rate, p50 and p95 in three slots: " + rs.getLong(2));
            }
            assertEquals(List.of("everything-1", "everything-2"), probed, "probe profiles");
        }
    }

    @Test
    void aCompressedWeekThroughTheGatewayIsLearnedKeptOverARestartRaisesTheSurgeAndPlansThePool() throws Exception {
        String entry = EverythingServer.entryPoint().toString();
        Path config = dir.resolve("mcp.json");
        // probes every 5 s: a probe profile learns a wall-clock minute once a probe of a later one comes, so each run
        // has some (at the default 60 s, a run of a minute or two may have none: a clean-clone run saved no profile)
        Files.writeString(config, "{\"mcpServers\": {"
                + "\"everything-1\": {\"command\": \"node\", \"args\": [\"" + entry + "\", \"stdio\"]},"
                + "\"everything-2\": {\"command\": \"node\", \"args\": [\"" + entry + "\", \"stdio\"]}},"
                + "\"health\": {\"learning\": {\"minuteSeconds\": 1}, \"hedging\": false,"
                + " \"defaults\": {\"timeoutMs\": 5000, \"intervalSeconds\": 5, \"retryDelaySeconds\": 1,"
                + " \"balancing\": \"round_robin\"},"
                + " \"servers\": {\"everything-1\": {\"serverType\": \"demo\"},"
                + " \"everything-2\": {\"serverType\": \"demo\"}}}}");
        List<McpSchema.LoggingMessageNotification> notes = new CopyOnWriteArrayList<>();
        HttpServer blobs = blobServer();
        Map<String, Object> arguments = Map.of("name", "blob.txt.gz", "outputType", "resourceLink",
                "data", "http://127.0.0.1:" + blobs.getAddress().getPort() + "/blob.txt");
        try {
            run(config, notes, arguments);
        } finally {
            blobs.stop(0);
        }
    }

    private void run(Path config, List<McpSchema.LoggingMessageNotification> notes, Map<String, Object> arguments)
            throws Exception {
        // first run: three load levels (1, 4 and 8 callers at once) for the capacity
        McpSyncClient first = gateway(config, notes);
        long firstCalls;
        double oneCallerMs;
        try (Traffic traffic = new Traffic(first, 8, arguments)) {
            traffic.callers.set(1);
            pause(12_000);
            oneCallerMs = traffic.nanos.get() / 1e6 / Math.max(1, traffic.calls.get());
            for (int callers : new int[] {4, 8}) {
                traffic.callers.set(callers);
                pause(12_000);
            }
            firstCalls = traffic.calls.get();
            traffic.callers.set(0);
            assertEquals(0, traffic.failed.get(), "no call failed");
        } finally {
            first.closeGracefully();
        }
        awaitGatewayGone();
        double learnedBefore = minutesLearned();
        System.out.printf(java.util.Locale.ROOT, "[learning] first run: %d calls (one caller's take %.1f ms), %.1f"
                + " minutes saved%n", firstCalls, oneCallerMs, learnedBefore);
        assertTrue(firstCalls > 300, "calls through the gateway: " + firstCalls);
        assertTrue(learnedBefore >= 30, "about 36 learned minutes saved at the stop (the figure that learned the"
                + " most): " + learnedBefore);

        long pace = Math.round(2 * oneCallerMs);
        if (!ChaosFigures.full()) {
            // the suite's short version: the restart keeps the profile, which goes on learning; the surge's anomaly
            // and the capacity plan (three learned hours, four minutes of traffic) are the campaign's (-Pchaos)
            McpSyncClient again = gateway(config, notes);
            try (Traffic traffic = new Traffic(again, 1, arguments)) {
                traffic.paceMillis.set(pace);
                traffic.callers.set(1);
                pause(15_000);
                assertEquals(0, traffic.failed.get(), "no call failed");
            } finally {
                again.closeGracefully();
            }
            awaitGatewayGone();
            double learnedAgain = minutesLearned();
            // (the probe profiles learn a wall-clock minute once a probe of the next one comes: a run of a minute
            // may end before either instance's is saved; the campaign's run has minutes enough)
            assertTrue(learnedAgain > learnedBefore + 10, "kept over the restart, and learning on: " + learnedBefore
                    + " then " + learnedAgain);
            return;
        }

        // the restart: a new gateway process on the same database, a paced caller (a call, then twice a call's time)
        // until a simulated hour (a wall minute) has 37 of its minutes behind it, then a surge of 8 callers at once
        // for 8 s, then paced again until the pool has learned enough for a plan (3 learned hours: 180 s)
        McpSyncClient second = gateway(config, notes);
        Instant surge;
        Map<String, Object> report = Map.of();
        String summary = "";
        try (Traffic traffic = new Traffic(second, 8, arguments)) {
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
            double steadyRate = (surgeFrom - steadyFrom) / ((surgeStart - steadyStart) / 1e9);
            double surgeRate = (traffic.calls.get() - surgeFrom) / ((System.nanoTime() - surgeStart) / 1e9);
            System.out.printf(java.util.Locale.ROOT, "[learning] steady %.1f calls/s, surge %.1f calls/s (x%.1f)%n",
                    steadyRate, surgeRate, surgeRate / steadyRate);
            traffic.callers.set(1);
            traffic.paceMillis.set(pace);
            pause(10_000);
            Instant deadline = Instant.now().plusSeconds(150);
            while (true) {
                McpSchema.CallToolResult r = second.callTool(new McpSchema.CallToolRequest(
                        "orchestrator_integration_monitor", Map.of("action", "optimization_report",
                        "server_types", List.of("demo"))));
                summary = r.content().stream().filter(McpSchema.TextContent.class::isInstance)
                        .map(c -> ((McpSchema.TextContent) c).text()).reduce("", String::concat);
                @SuppressWarnings("unchecked")
                Map<String, Object> structured = (Map<String, Object>) r.structuredContent();
                report = structured;
                if (!summary.contains("no instance recommendation yet") || Instant.now().isAfter(deadline)) {
                    break;
                }
                pause(5_000);
            }
            System.out.println("[learning] at " + Instant.now() + " (surge at " + surge + "): " + summary);
            assertEquals(0, traffic.failed.get(), "no call failed");
        } finally {
            second.closeGracefully();
        }
        awaitGatewayGone();
        double learnedAfter = minutesLearned();

        assertProbeProfiles();

        // the profile was kept and went on learning
        assertTrue(learnedAfter > learnedBefore + 100, "kept over the restart: " + learnedBefore + " then "
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

        // the recommendation follows from the load: an instance's capacity from the load levels, a queue's, at least
        // what an instance was seen to serve and near what one caller's calls take; the quiet hours need one
        // instance, the busy ones (the levels of 4 and 8 callers, the surge) more
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> capacity = (List<Map<String, Object>>) report.get("capacity");
        assertTrue(capacity != null && capacity.size() == 1, String.valueOf(report));
        Map<String, Object> demo = capacity.get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> estimate = (Map<String, Object>) demo.get("capacity");
        @SuppressWarnings("unchecked")
        Map<String, Object> plan = (Map<String, Object>) demo.get("plan");
        String recommendation = String.valueOf(demo.get("recommendation"));
        assertTrue(recommendation.startsWith("demo: ") && recommendation.contains("an instance serves"), demo.toString());
        assertTrue(summary.contains("Capacity: demo: "), summary);
        double perSecond = ((Number) estimate.get("perSecond")).doubleValue();
        double seen = ((Number) estimate.get("highestSeenPerSecond")).doubleValue();
        assertEquals("queue", estimate.get("method"), estimate.toString());
        assertTrue(perSecond >= 0.9 * seen && perSecond <= 2 * seen, "a capacity near what was served: " + estimate);
        assertTrue(perSecond > 1000 / oneCallerMs / 2 && perSecond < 3 * 1000 / oneCallerMs,
                "a capacity near one instance's pace (" + oneCallerMs + " ms a call): " + estimate);
        assertEquals(1, ((Number) plan.get("fewest")).intValue(), "a quiet hour needs one instance: " + plan);
        assertTrue(((Number) plan.get("peak")).intValue() >= 2, "a busy hour needs both or more: " + plan);
        System.out.println("[learning] " + firstCalls + " calls before the restart; learned minutes " + learnedBefore
                + " then " + learnedAfter + "; " + anomalies.size() + " rate anomalies sent; " + recommendation);
    }
}
