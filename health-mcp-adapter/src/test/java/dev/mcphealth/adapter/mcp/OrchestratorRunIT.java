package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.EverythingServer;
import dev.mcphealth.testkit.OrchestratorDoubleProcess;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health operations as tasks of the MCP Task Orchestrator — a test double of it (the real one is Python, not
 * installable here), run as a real process and watched like any server: a linked run's full lifecycle with its ids,
 * and an orchestrator that dies mid-run: the work completes, the update it missed waits in the outbox and reaches it
 * once recovery has restarted it, exactly once.
 */
class OrchestratorRunIT {
    static final String SESSION = "session_1a2b3c4d_1764000000";

    @TempDir
    Path dir;

    /** The last lines MCP Health wrote to its stderr (its log): what a failure shows. */
    private final java.util.Deque<String> serverLog = new java.util.concurrent.ConcurrentLinkedDeque<>();

    private Path config(OrchestratorDoubleProcess orchestrator) throws Exception {
        return config(orchestrator, Map.of());
    }

    private Path config(OrchestratorDoubleProcess orchestrator, Map<String, Object> breaker) throws Exception {
        return config(orchestrator, breaker, Map.of());
    }

    /**
     * {@code extra}: more servers, each its own server type named as it is, with autoRecovery off (recovered only when
     * a tool asks: no episode of recovery's own leaves them to its backoff).
     */
    private Path config(OrchestratorDoubleProcess orchestrator, Map<String, Object> breaker,
                        Map<String, Object> extra) throws Exception {
        Map<String, Object> servers = new LinkedHashMap<>();
        servers.put("everything", Map.of("command", "node", "args", List.of(EverythingServer.entryPoint().toString(),
                "stdio")));
        servers.put("task-orchestrator", orchestrator.configEntry());
        servers.putAll(extra);
        Map<String, Object> types = new LinkedHashMap<>(Map.of("everything", Map.of("serverType", "demo"),
                "task-orchestrator", Map.of("serverType", "orchestrator")));
        extra.keySet().forEach(name -> types.put(name, Map.of("serverType", name, "autoRecovery", false)));
        Map<String, Object> health = new LinkedHashMap<>(Map.of(
                "defaults", Map.of("timeoutMs", 5000, "retryDelaySeconds", 1),
                "servers", types,
                "orchestrator", Map.of("server", "task-orchestrator", "callTimeoutMs", 5000)));
        if (!breaker.isEmpty()) {
            health.put("breaker", breaker);
        }
        Map<String, Object> root = Map.of("mcpServers", servers, "health", health);
        Path file = dir.resolve("mcp.json");
        Files.writeString(file, McpJsonDefaults.getMapper().writeValueAsString(root));
        return file;
    }

    private McpSyncClient client(Path config) {
        List<String> cmd = ServerProcess.command(List.of("--config", config.toString(), "--db",
                dir.resolve("health.db").toString(), "--interval", "1"));
        StdioClientTransport transport = new StdioClientTransport(ServerParameters.builder(cmd.get(0))
                .args(cmd.subList(1, cmd.size())).build(), McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> {
            serverLog.addLast(line);
            while (serverLog.size() > 300) {
                serverLog.pollFirst();
            }
        });
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(90))
                .initializationTimeout(Duration.ofSeconds(60)).build();
    }

    /** What {@code wait} returns; when it fails, the failure carries MCP Health's log lines about the orchestrator. */
    private <T> T withLog(java.util.concurrent.Callable<T> wait) throws Exception {
        try {
            return wait.call();
        } catch (AssertionError e) {
            List<String> lines = serverLog.stream().filter(l -> l.contains("orchestrator") || l.contains("WARN")
                    || l.contains("ERROR")).toList();
            throw new AssertionError(e.getMessage() + "\nMCP Health's log about it:\n" + String.join("\n",
                    lines.subList(Math.max(0, lines.size() - 40), lines.size())), e);
        }
    }

    /** The first column of {@code sql}'s rows in the monitor's database, {@code params} bound in order. */
    private List<String> column(String sql, String... params) throws java.sql.SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("health.db"));
             java.sql.PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                q.setString(i + 1, params[i]);
            }
            try (java.sql.ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * {@link #column}, read again every 200 ms until {@code done} holds or {@code within} has passed (the monitor
     * writes at its next flush, the outbox loop links after its next delivery); the last read.
     */
    private List<String> awaitColumn(java.util.function.Predicate<List<String>> done, Duration within, String sql,
                                     String... params) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        List<String> rows = column(sql, params);
        while (!done.test(rows) && System.nanoTime() < deadline) {
            new java.util.concurrent.CountDownLatch(1).await(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            rows = column(sql, params);
        }
        return rows;
    }

    @Test
    void aHealthCheckWithASessionIsAPlannedExecutedAndCompletedTask() throws Exception {
        OrchestratorDoubleProcess orchestrator = OrchestratorDoubleProcess.withState(dir.resolve("state.json"));
        McpSyncClient client = client(config(orchestrator));
        try {
            client.initialize();
            Map<String, Object> r = ToolCalls.call(client, IntegrationMonitorTool.NAME, Map.of("action",
                    "health_check", "server_types", List.of("demo"), "orchestrator_session_id", SESSION));
            Map<String, Object> link = ToolCalls.map(r, "orchestrator");
            assertEquals("linked", link.get("state"), String.valueOf(link));
            assertEquals(true, ToolCalls.map(r, "orchestratorHealth").get("healthy"), "self-monitoring: " + r);
            String task = (String) link.get("taskId");
            assertTrue(task.matches("task_[0-9a-f]{8}"), task);

            OrchestratorDoubleProcess.State state = orchestrator.state();
            OrchestratorDoubleProcess.Task t = state.task(task).orElseThrow();
            assertEquals("Health Monitoring: health_check", t.title());
            assertEquals("completed", t.status());
            assertTrue(t.summary().startsWith("Health check (basic) of 1 server(s)"), t.summary());
            assertTrue(t.detailedWork().contains("\"action\":\"health_check\""), t.detailedWork());
            assertEquals(List.of("orchestrator_plan_task", "orchestrator_execute_task", "orchestrator_complete_task"),
                    state.toolNames().stream().filter(n -> !n.equals("orchestrator_health_check")).toList());
            assertEquals("devops", state.callsTo("orchestrator_plan_task").get(0).arguments().get("specialist_type"));
            assertEquals("moderate", state.callsTo("orchestrator_plan_task").get(0).arguments().get("complexity"));

            // the run's probes are metric rows carrying the task and the session (written at the next flush, 1 s)
            List<String> rows = awaitColumn(r2 -> r2.size() >= 2, Duration.ofSeconds(20), "SELECT id FROM"
                    + " integration_health_metrics WHERE orchestrator_task_id = ? AND orchestrator_session_id = ?"
                    + " AND server_instance = 'everything'", task, SESSION);
            assertTrue(rows.size() >= 2, "availability and response time rows with the ids: " + rows);
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void aHealthCheckThatRecoversIsAMultiStepRunClosedWithProgressAndSynthesis() throws Exception {
        OrchestratorDoubleProcess orchestrator = OrchestratorDoubleProcess.withState(dir.resolve("state.json"));
        // a server that exits at once: down in a way a restart is meant to fix
        Path file = config(orchestrator, Map.of(), Map.of("broken", Map.of("command", "node", "args",
                List.of("-e", "process.exit(3)"))));
        McpSyncClient client = client(file);
        try {
            client.initialize();
            Map<String, Object> r = ToolCalls.call(client, IntegrationMonitorTool.NAME, Map.of("action",
                    "health_check", "server_types", List.of("broken"), "auto_recovery", true,
                    "orchestrator_session_id", SESSION));
            Map<String, Object> link = ToolCalls.map(r, "orchestrator");
            assertEquals("linked", link.get("state"), String.valueOf(link));
            String task = (String) link.get("taskId");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> steps = (List<Map<String, Object>>) link.get("steps");
            assertEquals(1, steps.size(), String.valueOf(link));
            assertEquals("Recover broken (restart)", steps.get(0).get("title"));
            String subtask = (String) steps.get(0).get("taskId");
            assertTrue(subtask.matches("task_[0-9a-f]{8}") && !subtask.equals(task), subtask);
            @SuppressWarnings("unchecked")
            Map<String, Object> synthesis = (Map<String, Object>) link.get("synthesis");
            assertEquals("mcp-health", synthesis.get("by"), "the double's synthesize_results says not found: "
                    + synthesis);
            assertTrue(String.valueOf(synthesis.get("progress")).contains("known quirk"), String.valueOf(synthesis));

            OrchestratorDoubleProcess.State state = orchestrator.state();
            // the restart fails: the process exits again at once
            assertEquals("failed", steps.get(0).get("outcome"), String.valueOf(steps));
            assertEquals(List.of("orchestrator_plan_task", "orchestrator_execute_task", "orchestrator_plan_task",
                    "orchestrator_execute_task", "orchestrator_update_task", "orchestrator_query_tasks",
                    "orchestrator_synthesize_results", "orchestrator_complete_task"),
                    state.toolNames().stream().filter(n -> !n.equals("orchestrator_health_check")).toList());
            assertEquals(task, state.callsTo("orchestrator_plan_task").get(1).arguments().get("parent_task_id"));
            assertEquals("failed", state.task(subtask).orElseThrow().status(), "update_task's quirk: updated anyway");
            OrchestratorDoubleProcess.Task parent = state.task(task).orElseThrow();
            assertEquals("completed", parent.status());
            assertTrue(parent.detailedWork().contains("Steps (1):\n- [failed] Recover broken (restart) (" + subtask
                    + ")"), parent.detailedWork());
            assertEquals(0.0, ((Number) synthesis.get("successRate")).doubleValue());

            // the failure the step handled is linked to the step's subtask (written at the monitor's next flush)
            List<String> recoveryTasks = awaitColumn(t -> t.contains(subtask), Duration.ofSeconds(20),
                    "SELECT orchestrator_recovery_task_id FROM integration_failures WHERE server_instance = 'broken'");
            assertTrue(recoveryTasks.contains(subtask), "the failure's recovery task: " + recoveryTasks);

            assertEquals(List.of("orchestrator_query_tasks failed", "orchestrator_synthesize_results failed"),
                    column("SELECT orchestrator_tool || ' ' || integration_status FROM orchestrator_health_integration"
                            + " WHERE integration_type = 'external_monitoring' ORDER BY id"));
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void anOrchestratorThatDiesMidRunGetsTheMissedUpdateOnceItIsBack() throws Exception {
        // it dies on receiving execute_task (its first process only); with its breaker opening at the first failure,
        // complete_task is not delivered now, whether or not recovery has restarted it yet
        OrchestratorDoubleProcess orchestrator = OrchestratorDoubleProcess.withState(dir.resolve("state.json"))
                .dieOn("orchestrator_execute_task").firstStartOnly();
        McpSyncClient client = client(config(orchestrator, Map.of("consecutiveFailures", 1, "openSeconds", 2)));
        try {
            client.initialize();
            Map<String, Object> r = ToolCalls.call(client, IntegrationMonitorTool.NAME, Map.of("action",
                    "health_check", "server_types", List.of("demo"), "orchestrator_session_id", SESSION));
            assertEquals("healthy", r.get("overall"), "the monitoring completed: " + r);
            Map<String, Object> link = ToolCalls.map(r, "orchestrator");
            assertEquals("queued", link.get("state"), String.valueOf(link));
            String task = (String) link.get("taskId");

            // recovery restarts it (a second process); the outbox then delivers complete_task, once
            // (the double logs a call when it arrives and marks it answered after: wait for the answer)
            OrchestratorDoubleProcess.State state = orchestrator.awaitState(s -> s.callsTo(
                    "orchestrator_complete_task").stream().anyMatch(OrchestratorDoubleProcess.Call::answered),
                    Duration.ofSeconds(60));
            assertTrue(state.starts().size() >= 2, "restarted: " + state.starts());
            assertEquals(1, state.callsTo("orchestrator_complete_task").size(), "delivered exactly once");
            assertEquals(task, state.callsTo("orchestrator_complete_task").get(0).arguments().get("task_id"));
            assertEquals(1, state.callsTo("orchestrator_plan_task").size(), "planned once");
            assertEquals(1, state.callsTo("orchestrator_execute_task").size(), "the execute it died on is not resent");
            assertEquals("completed", state.task(task).orElseThrow().status());
        } finally {
            client.closeGracefully();
        }
    }

    /**
     * Its complete_task's answer is lost (it dies on receiving it, before acting): never resent as such, the task would
     * stay pending for good. Once recovery has brought it back, reconciliation finds the task still open in
     * get_status and completes it from MCP Health's record; plan_task and execute_task are never sent again.
     */
    @Test
    void aTaskWhoseCompleteTaskAnswerWasLostIsClosedByReconciliationOnceTheOrchestratorIsBack() throws Exception {
        OrchestratorDoubleProcess orchestrator = OrchestratorDoubleProcess.withState(dir.resolve("state.json"))
                .dieOn("orchestrator_complete_task").firstStartOnly();
        McpSyncClient client = client(config(orchestrator));
        try {
            client.initialize();
            Map<String, Object> r = ToolCalls.call(client, IntegrationMonitorTool.NAME, Map.of("action",
                    "health_check", "server_types", List.of("demo"), "orchestrator_session_id", SESSION));
            assertEquals("healthy", r.get("overall"), "the monitoring completed: " + r);
            Map<String, Object> link = ToolCalls.map(r, "orchestrator");
            String task = (String) link.get("taskId");
            assertTrue(String.valueOf(link.get("message")).contains("complete_task"), String.valueOf(link));

            OrchestratorDoubleProcess.State state = orchestrator.awaitState(s -> s.task(task)
                    .map(t -> t.status().equals("completed")).orElse(false), Duration.ofSeconds(90));
            assertTrue(state.starts().size() >= 2, "restarted: " + state.starts());
            List<OrchestratorDoubleProcess.Call> completes = state.callsTo("orchestrator_complete_task");
            assertEquals(2, completes.size(), "the one it died on, and reconciliation's: " + state.toolNames());
            assertEquals(false, completes.get(0).answered());
            assertEquals(task, completes.get(1).arguments().get("task_id"));
            assertTrue(String.valueOf(completes.get(1).arguments().get("summary"))
                    .startsWith("Reconciled by MCP Health: "), String.valueOf(completes.get(1).arguments()));
            assertEquals(1, state.callsTo("orchestrator_plan_task").size(), "planned once");
            assertEquals(1, state.callsTo("orchestrator_execute_task").size(), "executed once");
            assertTrue(state.toolNames().indexOf("orchestrator_get_status") > state.toolNames()
                    .indexOf("orchestrator_complete_task"), "it looked what is open first: " + state.toolNames());

            List<String> notes = awaitColumn(l -> !l.isEmpty(), Duration.ofSeconds(20), "SELECT reconciliation FROM"
                    + " orchestrator_outbox WHERE tool = 'orchestrator_plan_task' AND reconciliation IS NOT NULL");
            assertTrue(notes.size() == 1 && notes.get(0).startsWith("completed (" + task + ")"), notes.toString());
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void aRunWhosePlanWaitedGetsItsTaskIdOnItsMetricRowsOnceThePlanIsDelivered() throws Exception {
        // it dies on get_status (its first process only), which opens its breaker (1 failure, 5 s): the linked
        // health check right after cannot plan its task, so its plan waits in the outbox and its rows carry a stand-in
        OrchestratorDoubleProcess orchestrator = OrchestratorDoubleProcess.withState(dir.resolve("state.json"))
                .dieOn("orchestrator_get_status").firstStartOnly();
        McpSyncClient client = client(config(orchestrator, Map.of("consecutiveFailures", 1, "openSeconds", 5)));
        try {
            client.initialize();
            ToolCalls.call(client, HealthDashboardsTool.NAME, Map.of());
            Map<String, Object> r = ToolCalls.call(client, IntegrationMonitorTool.NAME, Map.of("action",
                    "health_check", "server_types", List.of("demo"), "orchestrator_session_id", SESSION));
            assertEquals("healthy", r.get("overall"), "the monitoring completed: " + r);
            Map<String, Object> link = ToolCalls.map(r, "orchestrator");
            assertEquals("queued", link.get("state"), String.valueOf(link));
            assertEquals(null, link.get("taskId"), "no task id yet: " + link);

            OrchestratorDoubleProcess.State state;
            try {
                state = withLog(() -> orchestrator.awaitState(s -> s.callsTo(
                        "orchestrator_complete_task").stream().anyMatch(OrchestratorDoubleProcess.Call::answered),
                        Duration.ofSeconds(60)));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nthe run's link: " + link + "\nthe outbox: " + column(
                        "SELECT id || ' ' || substr(run_key, 1, 8) || ' ' || tool || ' ' || state || ' from='"
                        + " || COALESCE(task_from, '-') FROM"
                        + " orchestrator_outbox ORDER BY id"), e);
            }
            OrchestratorDoubleProcess.Task task = state.tasks().stream()
                    .filter(t -> t.title().equals("Health Monitoring: health_check")).findFirst().orElseThrow();
            assertEquals("completed", task.status());

            // after the delivery the outbox loop links the rows stamped with the stand-in to the task
            List<String> links = awaitColumn(l -> l.size() >= 2 && l.stream().allMatch(task.taskId()::equals),
                    Duration.ofSeconds(40), "SELECT orchestrator_task_id FROM integration_health_metrics"
                    + " WHERE orchestrator_session_id = ? ORDER BY id", SESSION);
            assertTrue(links.size() >= 2 && links.stream().allMatch(task.taskId()::equals),
                    "the run's rows carry the task id " + task.taskId() + ": " + links);
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void recoveringTheOrchestratorUsesItsOwnRestartToolsAndHealsItByAProcessRestart() throws Exception {
        OrchestratorDoubleProcess orchestrator = OrchestratorDoubleProcess.withState(dir.resolve("state.json"));
        McpSyncClient client = client(config(orchestrator));
        try {
            client.initialize();
            Map<String, Object> overview = ToolCalls.call(client, HealthDashboardsTool.NAME, Map.of());
            assertTrue(ToolCalls.map(overview, "orchestratorStatus").containsKey("totalTasks"), String.valueOf(overview));

            Map<String, Object> r = ToolCalls.call(client, RecoverySystemTool.NAME, Map.of("action", "recover",
                    "server", "task-orchestrator"));
            Map<String, Object> recovery = ToolCalls.map(r, "recovery");
            List<String> tools = ToolCalls.list(recovery, "steps").stream().map(st -> (String) st.get("tool")).toList();
            assertEquals("orchestrator_shutdown_prepare", tools.get(0), "shutdown_prepare first: " + tools);
            assertTrue(tools.contains("orchestrator_restart_server") && tools.contains("process_restart"), tools.toString());
            assertEquals(true, recovery.get("healedByProcessRestart"), String.valueOf(recovery));
            assertEquals(true, ToolCalls.map(recovery, "health").get("healthy"));
            assertTrue(orchestrator.state().starts().size() >= 2, "its process was restarted");
            assertEquals("manual_request", orchestrator.state().callsTo("orchestrator_restart_server").get(0)
                    .arguments().get("reason"), "a reason the contract allows, not failover_testing");
        } finally {
            client.closeGracefully();
        }
    }
}
