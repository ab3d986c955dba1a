package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every tool refuses bad arguments before doing anything (the use cases here fail the test if reached), as a tool
 * error whose one message names the argument, what was wrong and the valid values.
 */
class BadInputTest {
    static final ToolUseCases USE_CASES = UnusedUseCases.of(List.of("everything", "memory"), List.of("demo", "kv"));

    static Stream<Arguments> badCalls() {
        return Stream.of(
                // tool, arguments, words the message must hold
                Arguments.of(IntegrationMonitorTool.NAME, Map.of(), List.of("'action'", "is required",
                        "health_check, performance_scan, failure_analysis, optimization_report")),
                Arguments.of(IntegrationMonitorTool.NAME, Map.of("action", "reboot"), List.of("'action'",
                        "must be one of", "health_check", "\"reboot\"")),
                Arguments.of(IntegrationMonitorTool.NAME, Map.of("action", "health_check", "check_depth", "deep"),
                        List.of("'check_depth'", "basic, comprehensive, stress_test", "\"deep\"")),
                Arguments.of(IntegrationMonitorTool.NAME, Map.of("action", "health_check", "server_types",
                        List.of("demo", "nosuch")), List.of("'server_types'", "\"nosuch\"", "demo, kv")),
                Arguments.of(IntegrationMonitorTool.NAME, Map.of("action", "health_check", "server_types", "demo"),
                        List.of("'server_types'", "must be an array")),
                Arguments.of(IntegrationMonitorTool.NAME, Map.of("action", "health_check", "auto_recovery", "yes"),
                        List.of("'auto_recovery'", "true or false", "\"yes\"")),
                Arguments.of(IntegrationMonitorTool.NAME, Map.of("action", "failure_analysis", "window", "a week"),
                        List.of("'window'", "must be a duration like 15m, 24h or 7d", "\"a week\"")),
                Arguments.of(IntegrationMonitorTool.NAME, Map.of("action", "failure_analysis", "window", "0s"),
                        List.of("'window'", "must be from 1m to 90d", "\"0s\"")),
                Arguments.of(HealthDashboardsTool.NAME, Map.of("window", "400d"),
                        List.of("'window'", "must be from 1m to 90d")),
                Arguments.of(IntegrationMonitorTool.NAME, Map.of("action", "health_check",
                        "orchestrator_session_id", "x; DROP TABLE"), List.of("'orchestrator_session_id'",
                        "1 to 128 letters")),
                Arguments.of(IntegrationMonitorTool.NAME, Map.of("action", "health_check", "command", "rm -rf /"),
                        List.of("unknown argument 'command'", "action, server_types")),
                Arguments.of(FailoverCoordinatorTool.NAME, Map.of("failure_type", "timeout"),
                        List.of("'server_type'", "is required", "demo, kv")),
                Arguments.of(FailoverCoordinatorTool.NAME, Map.of("server_type", "other", "failure_type", "timeout"),
                        List.of("'server_type'", "demo, kv", "\"other\"")),
                Arguments.of(FailoverCoordinatorTool.NAME, Map.of("server_type", "demo", "failure_type", "meltdown"),
                        List.of("'failure_type'", "timeout, connection_error", "\"meltdown\"")),
                Arguments.of(FailoverCoordinatorTool.NAME, Map.of("server_type", "demo", "failure_type", "timeout",
                        "recovery_strategy", "pray"), List.of("'recovery_strategy'", "auto, restart, reconnect, "
                        + "failover, manual")),
                Arguments.of(PerformanceOptimizerTool.NAME, Map.of(), List.of("'optimization_target'",
                        "is required", "latency, throughput, reliability, cost")),
                Arguments.of(PerformanceOptimizerTool.NAME, Map.of("optimization_target", "latency",
                        "optimization_level", "max"), List.of("'optimization_level'",
                        "conservative, balanced, aggressive")),
                Arguments.of(PerformanceOptimizerTool.NAME, Map.of("optimization_target", "latency", "apply", 1),
                        List.of("'apply'", "true or false")),
                Arguments.of(HealthDashboardsTool.NAME, Map.of("view", "pie"),
                        List.of("'view'", "overview, server, failures, trends")),
                Arguments.of(HealthDashboardsTool.NAME, Map.of("view", "server"),
                        List.of("'server_type'", "is required by view server")),
                Arguments.of(HealthDashboardsTool.NAME, Map.of("window", 60), List.of("'window'",
                        "must be a duration like", "got 60")),
                Arguments.of(RecoverySystemTool.NAME, Map.of("action", "recover"),
                        List.of("'server'", "is required by action recover")),
                Arguments.of(RecoverySystemTool.NAME, Map.of("action", "recover", "server", "/usr/bin/evil"),
                        List.of("'server'", "everything, memory")),
                Arguments.of(RecoverySystemTool.NAME, Map.of("action", "nuke"),
                        List.of("'action'", "status, recover, prepare_shutdown, restart_status")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badCalls")
    void aBadCallIsAToolErrorNamingTheArgument(String tool, Map<String, Object> arguments, List<String> words) {
        McpSchema.CallToolResult r = ToolBinding.answer(tool(tool), new HashMap<>(arguments),
                McpJsonDefaults.getMapper());

        assertEquals(Boolean.TRUE, r.isError());
        assertEquals(1, r.content().size(), "one message");
        String message = ((McpSchema.TextContent) r.content().get(0)).text();
        assertTrue(message.startsWith(tool + ": "), message);
        for (String w : words) {
            assertTrue(message.contains(w), "'" + w + "' missing from: " + message);
        }
        assertTrue(!message.contains("Exception") && !message.contains("\tat "), "no exception text: " + message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toolNames")
    void everySchemaSpellsOutItsEnumsAndDefaultsAndRefusesUnknownArguments(String name) {
        Map<String, Object> schema = tool(name).input().json();
        assertEquals(false, schema.get("additionalProperties"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> props = (Map<String, Map<String, Object>>) schema.get("properties");
        props.forEach((arg, s) -> assertTrue(s.containsKey("description"), arg + " has a description"));
        assertTrue(props.values().stream().anyMatch(s -> s.containsKey("enum")), "an enum is spelled out");
    }

    static Stream<String> toolNames() {
        return USE_CASES.tools().stream().map(HealthTool::name);
    }

    static HealthTool tool(String name) {
        return USE_CASES.tools().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }
}
