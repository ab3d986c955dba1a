package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimizer's apply on a running server: once the monitor has probed enough (a probe a second, every one
 * answered), the cost target proposes a longer interval; applied, the monitor's own status shows the new interval.
 */
class TuningApplyIT {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void anAppliedIntervalIsTheOneTheMonitorRunsOn() throws Exception {
        List<String> cmd = ServerProcess.command(List.of("--config", ServerProcess.config(dir).toString(),
                "--db", dir.resolve("health.db").toString(), "--interval", "1"));
        StdioClientTransport transport = new StdioClientTransport(ServerParameters.builder(cmd.get(0))
                .args(cmd.subList(1, cmd.size())).build(), McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> { });
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(60)).build();
        try {
            client.initialize();
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

            Map<String, Object> server = ToolCalls.call(client, HealthDashboardsTool.NAME, Map.of("view", "server",
                    "server_type", "kv"));
            Map<String, Object> details = ToolCalls.map(ToolCalls.list(server, "servers").get(0), "details");
            assertEquals(Integer.toString(after), details.get("intervalSeconds"), "the monitor runs on it now");

            Map<String, Object> again = ToolCalls.call(client, PerformanceOptimizerTool.NAME, Map.of(
                    "optimization_target", "cost", "server_types", List.of("kv")));
            assertTrue(ToolCalls.list(again, "recommendations").stream()
                    .noneMatch(r -> "probe_interval_s".equals(r.get("setting")) && "1".equals(r.get("current"))),
                    "the next advice starts from the applied interval: " + again);
        } finally {
            client.closeGracefully();
        }
    }
}
