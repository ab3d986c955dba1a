package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimizer's apply on a running server: once the monitor has probed enough (a probe a second, every one
 * answered), the cost target proposes a longer interval; applied, the monitor's own status shows the new interval, and
 * the change is on trial (a minute here, {@code health.tuning.trialMinutes: 1}): the reply gives the window before it,
 * and once the minute after it is over the change is judged (kept: nothing failed), sent to the client as a
 * {@code change_judged} notification and listed with both windows in the next reply.
 */
class TuningApplyIT {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void anAppliedIntervalIsTheOneTheMonitorRunsOn() throws Exception {
        Path config = ServerProcess.config(dir);
        Files.writeString(config, Files.readString(config).replace("\"health\": {",
                "\"health\": {\"tuning\": {\"trialMinutes\": 1}, "));
        List<String> cmd = ServerProcess.command(List.of("--config", config.toString(),
                "--db", dir.resolve("health.db").toString(), "--interval", "1"));
        StdioClientTransport transport = new StdioClientTransport(ServerParameters.builder(cmd.get(0))
                .args(cmd.subList(1, cmd.size())).build(), McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> { });
        List<McpSchema.LoggingMessageNotification> notes = new CopyOnWriteArrayList<>();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(60)).loggingConsumer(notes::add).build();
        try {
            client.initialize();
            client.setLoggingLevel(McpSchema.LoggingLevel.NOTICE);
            // the advisor judges a server only after 20 answered probes: one a second, so about 20 s of monitoring
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long probes = 0;
            while (probes < 21 && System.nanoTime() < deadline) {
                Map<String, Object> scan = ToolCalls.call(client, IntegrationMonitorTool.NAME,
                        Map.of("action", "performance_scan", "server_types", List.of("kv")));
                Map<String, Object> minute = ToolCalls.list(ToolCalls.list(scan, "servers").get(0), "windows").get(0);
                probes = ((Number) minute.get("answeredProbes")).longValue();
                TimeUnit.SECONDS.sleep(1); // the server's own schedule, which no test clock controls
            }
            assertTrue(probes >= 21, "the monitor probed memory a second: " + probes);

            Map<String, Object> applied = ToolCalls.call(client, PerformanceOptimizerTool.NAME, Map.of(
                    "optimization_target", "cost", "server_types", List.of("kv"), "apply", true));
            Map<String, Object> change = ToolCalls.list(applied, "changes").stream()
                    .filter(c -> "probe_interval_s".equals(c.get("setting"))).findFirst()
                    .orElseThrow(() -> new AssertionError("an interval proposal: " + applied));
            assertEquals("applied", change.get("status"), String.valueOf(change));
            assertEquals("1", change.get("before"));
            int after = Integer.parseInt((String) change.get("after"));
            assertTrue(after > 1, "a longer interval: " + change);
            Map<String, Object> trial = ToolCalls.map(change, "trial");
            assertEquals(60L, ((Number) trial.get("windowSeconds")).longValue());
            Map<String, Object> before = ToolCalls.map(trial, "before");
            assertTrue(((Number) before.get("probes")).longValue() >= 21, "the minute before it: " + trial);
            assertEquals(0L, ((Number) before.get("failedProbes")).longValue(), String.valueOf(trial));

            Map<String, Object> server = ToolCalls.call(client, HealthDashboardsTool.NAME, Map.of("view", "server",
                    "server_type", "kv"));
            Map<String, Object> details = ToolCalls.map(ToolCalls.list(server, "servers").get(0), "details");
            assertEquals(Integer.toString(after), details.get("intervalSeconds"), "the monitor runs on it now");

            Map<String, Object> again = ToolCalls.call(client, PerformanceOptimizerTool.NAME, Map.of(
                    "optimization_target", "cost", "server_types", List.of("kv")));
            assertTrue(ToolCalls.list(again, "recommendations").stream()
                    .noneMatch(r -> "probe_interval_s".equals(r.get("setting")) && "1".equals(r.get("current"))),
                    "the next advice starts from the applied interval: " + again);

            // judged by the monitor's flush once the minute after the change is over
            Map<String, Object> ended = null;
            long judgedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (ended == null && System.nanoTime() < judgedBy) {
                TimeUnit.SECONDS.sleep(5); // the server's own schedule, which no test clock controls
                Map<String, Object> reply = ToolCalls.call(client, PerformanceOptimizerTool.NAME, Map.of(
                        "optimization_target", "cost", "server_types", List.of("kv")));
                ended = ToolCalls.list(reply, "trials").stream()
                        .filter(t -> "probe_interval_s".equals(t.get("setting")) && !"running".equals(t.get("status")))
                        .findFirst().orElse(null);
            }
            assertTrue(ended != null, "the trial ended within two minutes");
            assertEquals("kept", ended.get("status"), String.valueOf(ended));
            assertTrue(List.of("no_worse", "better").contains(ended.get("verdict")), String.valueOf(ended));
            Map<String, Object> afterWindow = ToolCalls.map(ended, "after");
            assertTrue(((Number) afterWindow.get("probes")).longValue() >= 5, "probed after the change: " + ended);
            assertEquals(0L, ((Number) afterWindow.get("failedProbes")).longValue(), String.valueOf(ended));
            // the notification and the tool's reply travel apart (the client hands notifications to its consumer on a
            // thread of its own): it may land just after the reply that showed the trial ended
            java.util.function.Predicate<McpSchema.LoggingMessageNotification> judged = n ->
                    String.valueOf(n.data()).contains("\"change_judged\"")
                    && String.valueOf(n.data()).contains("\"kept\"");
            long notedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (notes.stream().noneMatch(judged) && System.nanoTime() < notedBy) {
                TimeUnit.MILLISECONDS.sleep(100); // the server's own delivery, which no test clock controls
            }
            assertTrue(notes.stream().anyMatch(judged), "a change_judged notification: " + notes);
            // optimization_report lists it too
            Map<String, Object> report = ToolCalls.call(client, IntegrationMonitorTool.NAME, Map.of("action",
                    "optimization_report", "server_types", List.of("kv")));
            assertTrue(ToolCalls.list(report, "trials").stream().anyMatch(t -> "kept".equals(t.get("status"))
                    && "probe_interval_s".equals(t.get("setting"))), "optimization_report's trials: " + report);
            // and kept in the database, where `bin/mcp-health report` reads it
            try (dev.mcphealth.infrastructure.persistence.SqliteDatabase db = dev.mcphealth.infrastructure.persistence
                    .SqliteDatabase.open(dir.resolve("health.db"))) {
                List<dev.mcphealth.domain.tuning.TrialRecord> stored = new dev.mcphealth.infrastructure.persistence
                        .JdbcTrialStore(db).since(java.time.Instant.EPOCH);
                assertTrue(stored.stream().anyMatch(t -> t.status().equals("kept")
                        && t.trial().setting().code().equals("probe_interval_s")), "stored: " + stored);
            }
        } finally {
            client.closeGracefully();
        }
    }
}
