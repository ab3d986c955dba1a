package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The same end-to-end checks over any transport: the five tools listed, and each one called for real. */
final class ToolCalls {
    static final Set<String> TOOLS = Set.of(IntegrationMonitorTool.NAME, FailoverCoordinatorTool.NAME,
            PerformanceOptimizerTool.NAME, HealthDashboardsTool.NAME, RecoverySystemTool.NAME);

    private ToolCalls() {
    }

    static void listsTheFiveTools(McpSyncClient client) {
        List<McpSchema.Tool> tools = client.listTools().tools();
        assertEquals(TOOLS, tools.stream().map(McpSchema.Tool::name).collect(Collectors.toSet()));
        for (McpSchema.Tool t : tools) {
            assertEquals("object", t.inputSchema().get("type"), t.name());
            assertEquals(Boolean.FALSE, t.inputSchema().get("additionalProperties"), t.name());
            assertTrue(t.outputSchema() != null && t.outputSchema().containsKey("properties"), t.name());
            assertFalse(t.description().isBlank(), t.name());
        }
    }

    static Map<String, Object> call(McpSyncClient client, String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, args));
        String text = r.content().isEmpty() ? "" : ((McpSchema.TextContent) r.content().get(0)).text();
        assertNotEquals(Boolean.TRUE, r.isError(), tool + " " + args + ": " + text);
        assertFalse(text.isBlank(), "a summary");
        @SuppressWarnings("unchecked")
        Map<String, Object> structured = (Map<String, Object>) r.structuredContent();
        assertTrue(structured != null && !structured.isEmpty(), tool + " has structured content");
        return structured;
    }

    static String error(McpSyncClient client, String tool, Map<String, Object> args) {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, args));
        assertEquals(Boolean.TRUE, r.isError(), tool + " " + args + " must fail");
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }

    /** The live view as resources: every server, one server, and an unknown one refused. */
    static void readsTheResources(McpSyncClient client) {
        assertTrue(client.listResources().resources().stream().anyMatch(r -> r.uri().equals(HealthResources.ALL)));
        assertTrue(client.listResourceTemplates().resourceTemplates().stream()
                .anyMatch(t -> t.uriTemplate().equals("health://servers/{name}")));
        String all = ((McpSchema.TextResourceContents) client.readResource(
                new McpSchema.ReadResourceRequest(HealthResources.ALL)).contents().get(0)).text();
        assertTrue(all.contains("\"server\":\"everything\"") && all.contains("\"server\":\"memory\""), all);
        String one = ((McpSchema.TextResourceContents) client.readResource(
                new McpSchema.ReadResourceRequest("health://servers/memory")).contents().get(0)).text();
        assertTrue(one.startsWith("{\"server\":\"memory\""), one);
        try {
            client.readResource(new McpSchema.ReadResourceRequest("health://servers/nosuch"));
            throw new AssertionError("an unknown server is not a resource");
        } catch (io.modelcontextprotocol.spec.McpError e) {
            assertTrue(String.valueOf(e.getMessage()).toLowerCase().contains("not found"), e.getMessage());
        }
    }

    /** Calls every tool with every action, checking what each answer holds. */
    static void callsEachTool(McpSyncClient client) {
        Map<String, Object> check = call(client, IntegrationMonitorTool.NAME, Map.of("action", "health_check"));
        assertTrue(!"offline".equals(check.get("overall")), String.valueOf(check));
        assertEquals(2, list(check, "servers").size());
        assertEquals(true, map(list(check, "servers").get(0), "probe").get("answered"));

        Map<String, Object> deep = call(client, IntegrationMonitorTool.NAME, Map.of("action", "health_check",
                "check_depth", "comprehensive", "server_types", List.of("demo"), "orchestrator_session_id", "s-1"));
        assertEquals(1, list(deep, "servers").size());
        assertTrue(((Number) map(list(deep, "servers").get(0), "probe").get("tools")).intValue() >= 10,
                "comprehensive lists the everything server's tools: " + deep);
        assertEquals(false, map(deep, "orchestrator").get("configured"));

        Map<String, Object> stress = call(client, IntegrationMonitorTool.NAME, Map.of("action", "health_check",
                "check_depth", "stress_test", "server_types", List.of("kv")));
        Map<String, Object> burst = list(stress, "stress").get(0);
        assertEquals("memory", burst.get("server"));
        assertEquals(50, ((Number) burst.get("probes")).intValue(), String.valueOf(burst));
        assertTrue(((Number) burst.get("answered")).intValue() >= 45, "a local server answers a burst of 50: " + burst);

        Map<String, Object> perf = call(client, IntegrationMonitorTool.NAME, Map.of("action", "performance_scan"));
        assertTrue(list(perf, "servers").stream().anyMatch(s -> "everything".equals(s.get("server"))));

        Map<String, Object> failures = call(client, IntegrationMonitorTool.NAME, Map.of("action", "failure_analysis",
                "window", "1h"));
        assertTrue(map(failures, "analysis").containsKey("episodes"));

        Map<String, Object> report = call(client, IntegrationMonitorTool.NAME, Map.of("action",
                "optimization_report"));
        assertTrue(map(report, "advice").containsKey("recommendations"));

        Map<String, Object> manual = call(client, FailoverCoordinatorTool.NAME, Map.of("server_type", "demo",
                "failure_type", "timeout", "recovery_strategy", "manual"));
        assertEquals("manual", manual.get("strategy"));
        Map<String, Object> restart = call(client, FailoverCoordinatorTool.NAME, Map.of("server_type", "kv",
                "failure_type", "connection_error", "recovery_strategy", "restart"));
        assertEquals(true, list(restart, "steps").get(0).get("succeeded"), String.valueOf(restart));

        Map<String, Object> tuning = call(client, PerformanceOptimizerTool.NAME, Map.of("optimization_target",
                "latency", "optimization_level", "aggressive"));
        assertEquals(false, tuning.get("applied"));
        Map<String, Object> applied = call(client, PerformanceOptimizerTool.NAME, Map.of("optimization_target",
                "cost", "apply", true));
        assertTrue(applied.get("applied") instanceof Boolean, String.valueOf(applied));

        for (String view : List.of("overview", "failures", "trends")) {
            assertEquals(view, call(client, HealthDashboardsTool.NAME, Map.of("view", view)).get("view"));
        }
        Map<String, Object> server = call(client, HealthDashboardsTool.NAME, Map.of("view", "server",
                "server_type", "demo", "window", "15m"));
        assertEquals("everything", list(server, "servers").get(0).get("server"));

        Map<String, Object> status = call(client, RecoverySystemTool.NAME, Map.of("action", "status"));
        assertEquals(2, list(status, "servers").size());
        Map<String, Object> recovered = call(client, RecoverySystemTool.NAME, Map.of("action", "recover",
                "server", "everything"));
        assertEquals(true, map(recovered, "recovery").get("succeeded"), String.valueOf(recovered));
        Map<String, Object> restarts = call(client, RecoverySystemTool.NAME, Map.of("action", "restart_status",
                "server", "everything"));
        assertTrue(((Number) map(list(restarts, "servers").get(0), "attempts").get("made")).intValue() >= 1,
                String.valueOf(restarts));
        Map<String, Object> ready = call(client, RecoverySystemTool.NAME, Map.of("action", "prepare_shutdown"));
        assertTrue(map(ready, "readiness").containsKey("ready"));

        String bad = error(client, IntegrationMonitorTool.NAME, Map.of("action", "health_check", "command", "ls"));
        assertTrue(bad.contains("unknown argument 'command'"), bad);
    }
}
