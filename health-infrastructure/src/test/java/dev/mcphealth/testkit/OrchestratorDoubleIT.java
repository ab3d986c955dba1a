package dev.mcphealth.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.TransportKind;
import dev.mcphealth.infrastructure.config.ConfigLoader;
import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.infrastructure.config.HealthConfig;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link OrchestratorDouble} as a real process, driven by the MCP Java SDK's stdio client exactly as a client
 * drives the real MCP Task Orchestrator: its tools and schemas, a task's lifecycle, its quirks, its test controls, and
 * the state file a test in another process reads.
 */
class OrchestratorDoubleIT {
    private static final Pattern TASK_ID = Pattern.compile("task_[0-9a-f]{8}");
    private static final Pattern SESSION_ID = Pattern.compile("session_[0-9a-f]{8}_(\\d+)");
    private static final Pattern ARTIFACT_ID = Pattern.compile("artifact_[0-9a-f]{8}");
    private static final Pattern NAIVE_UTC = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /**
     * How long a call the double dies on is waited for (no answer may come). Not the client's request timeout, which
     * its handshake waits too: the double's JVM took over 3 s to answer that on a loaded 2-core CI machine.
     */
    private static final Duration UNANSWERED = Duration.ofSeconds(3);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private final List<McpSyncClient> clients = new ArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeClients() {
        for (McpSyncClient c : clients) {
            try {
                c.closeGracefully();
            } catch (RuntimeException ignored) {
                // a double that died already
            }
        }
    }

    private OrchestratorDoubleProcess orchestrator() {
        return OrchestratorDoubleProcess.withState(dir.resolve("orchestrator-state.json"));
    }

    private McpSyncClient connect(OrchestratorDoubleProcess orchestrator) {
        StdioClientTransport transport = new StdioClientTransport(orchestrator.serverParameters(),
                McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(stderr::add);
        McpSyncClient client = McpClient.sync(transport).requestTimeout(TIMEOUT)
                .initializationTimeout(TIMEOUT).build();
        clients.add(client);
        McpSchema.InitializeResult init = client.initialize();
        assertEquals(OrchestratorDouble.SERVER_NAME, init.serverInfo().name());
        return client;
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(args).build());
    }

    /**
     * Calls {@code tool} on a double told to die on it: fails if an answer comes within {@link #UNANSWERED}. The call
     * goes on, on a thread of its own, until the client gives up on it or is closed.
     */
    private static void assertUnanswered(McpSyncClient client, String tool) throws InterruptedException {
        java.util.concurrent.FutureTask<McpSchema.CallToolResult> answer = new java.util.concurrent.FutureTask<>(
                () -> call(client, tool, Map.of()));
        Thread caller = new Thread(answer, "call-to-a-dying-double");
        caller.setDaemon(true);
        caller.start();
        try {
            McpSchema.CallToolResult result = answer.get(UNANSWERED.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("an answer from a dead double: " + result);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // no answer: the client gave up on the call, or is still waiting for it
        }
    }

    /** The one text content of an answer. */
    private static String text(McpSchema.CallToolResult r) {
        assertEquals(1, r.content().size(), "one content: " + r.content());
        return assertInstanceOf(McpSchema.TextContent.class, r.content().get(0)).text();
    }

    /** An answer that is one text of indented JSON, not flagged isError: its object. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(McpSchema.CallToolResult r) {
        String text = text(r);
        assertFalse(Boolean.TRUE.equals(r.isError()), "not isError: " + text);
        assertTrue(text.startsWith("{\n  \""), "indented JSON (json.dumps indent=2): " + text);
        return JSON.readValue(text, Map.class);
    }

    private static Map<String, Object> json(McpSyncClient client, String tool, Map<String, Object> args) {
        return json(call(client, tool, args));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return assertInstanceOf(Map.class, o);
    }

    private static Map<String, Object> props(Map<String, Object> schema) {
        return map(schema.get("properties"));
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("process " + pid + " still alive");
            }
            Thread.sleep(50);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void servesTheContractsFourteenToolsWithTheirSchemasAndRejectsArgumentsOutsideThem() {
        McpSyncClient client = connect(orchestrator());
        List<McpSchema.Tool> tools = client.listTools().tools();
        assertEquals(14, tools.size());
        assertEquals(Set.of("orchestrator_initialize_session", "orchestrator_plan_task", "orchestrator_execute_task",
                "orchestrator_complete_task", "orchestrator_update_task", "orchestrator_query_tasks",
                "orchestrator_synthesize_results", "orchestrator_get_status", "orchestrator_maintenance_coordinator",
                "orchestrator_health_check", "orchestrator_restart_server", "orchestrator_reconnect_test",
                "orchestrator_restart_status", "orchestrator_shutdown_prepare"),
                Set.copyOf(tools.stream().map(McpSchema.Tool::name).toList()));
        Map<String, Map<String, Object>> schemas = new java.util.HashMap<>();
        tools.forEach(t -> schemas.put(t.name(), t.inputSchema()));
        assertEquals(List.of("title", "description"), schemas.get("orchestrator_plan_task").get("required"));
        assertEquals(List.of("task_id", "summary", "detailed_work", "next_action"),
                schemas.get("orchestrator_complete_task").get("required"));
        assertEquals(List.of("parent_task_id"), schemas.get("orchestrator_synthesize_results").get("required"));
        assertEquals(List.of("action"), schemas.get("orchestrator_maintenance_coordinator").get("required"));
        assertEquals(List.of("continue", "needs_revision", "blocked", "complete"),
                map(props(schemas.get("orchestrator_complete_task")).get("next_action")).get("enum"));
        assertEquals(List.of("pending", "active", "in_progress", "blocked", "completed", "failed", "cancelled",
                "archived"), map(props(schemas.get("orchestrator_update_task")).get("status")).get("enum"));
        Map<String, Object> timeout = map(props(schemas.get("orchestrator_restart_server")).get("timeout"));
        assertEquals(10, ((Number) timeout.get("minimum")).intValue());
        assertEquals(300, ((Number) timeout.get("maximum")).intValue());
        assertEquals(List.of("configuration_update", "schema_migration", "error_recovery", "manual_request",
                "emergency_shutdown"), map(props(schemas.get("orchestrator_restart_server")).get("reason"))
                .get("enum"));

        // the feature spec's reason is not legal: rejected like the Python SDK rejects it
        McpSchema.CallToolResult bad = call(client, "orchestrator_restart_server", Map.of("reason", "failover_testing"));
        assertEquals(Boolean.TRUE, bad.isError());
        assertEquals("Input validation error: 'failover_testing' is not one of ['configuration_update', "
                + "'schema_migration', 'error_recovery', 'manual_request', 'emergency_shutdown']", text(bad));
        McpSchema.CallToolResult missing = call(client, "orchestrator_plan_task", Map.of("title", "no description"));
        assertEquals(Boolean.TRUE, missing.isError());
        assertEquals("Input validation error: 'description' is a required property", text(missing));
        assertEquals("Input validation error: 5 is less than the minimum of 10",
                text(call(client, "orchestrator_restart_server", Map.of("timeout", 5))));

        // the tools that do not need a task: one indented JSON text each, with the contract's keys
        Map<String, Object> status = json(client, "orchestrator_get_status", Map.of());
        assertEquals("status_retrieved", status.get("status"));
        assertEquals(true, map(status.get("system_status")).get("server_healthy"));
        assertEquals(false, map(status.get("system_status")).get("maintenance_mode"));
        assertTrue(map(status.get("metrics")).containsKey("response_time_ms"));
        assertTrue(status.containsKey("task_summary"));
        assertEquals(0, map(status.get("pending_tasks")).get("total_count"));

        Map<String, Object> maintenance = json(client, "orchestrator_maintenance_coordinator",
                Map.of("action", "scan_cleanup"));
        assertEquals("maintenance_completed", maintenance.get("status"));
        assertTrue(maintenance.containsKey("maintenance_results") && maintenance.containsKey("summary"));

        Map<String, Object> reconnect = json(client, "orchestrator_reconnect_test", Map.of());
        assertEquals(true, reconnect.get("test_completed"));
        assertEquals("pass", reconnect.get("overall_status"));
        assertEquals(0, map(map(reconnect.get("results")).get("all_sessions")).get("total_sessions"));
        assertEquals(Map.of("successful_reconnections", 0, "failed_reconnections", 0,
                "average_reconnection_time", 0.0, "status", "operational"),
                map(reconnect.get("results")).get("reconnection_stats"));

        Map<String, Object> restartStatus = json(client, "orchestrator_restart_status", Map.of());
        assertEquals("idle", map(restartStatus.get("current_status")).get("phase"));

        Map<String, Object> shutdown = json(client, "orchestrator_shutdown_prepare", Map.of());
        assertEquals(true, shutdown.get("ready_for_shutdown"));
        assertEquals(List.of(), shutdown.get("blocking_issues"));
        assertTrue(shutdown.containsKey("checks"));

        Map<String, Object> health = json(client, "orchestrator_health_check", Map.of());
        assertEquals(true, health.get("healthy"));
        assertEquals("1.4.1", health.get("server_version"));
        assertTrue(((String) health.get("timestamp")).endsWith("+00:00"), health.toString());
        assertEquals(Set.of("reboot_readiness", "database", "connections"), map(health.get("checks")).keySet());
    }

    @Test
    @SuppressWarnings("unchecked")
    void runsATaskThroughItsLifecycleAndTheStateFileHasEveryCallInOrder() {
        OrchestratorDoubleProcess orchestrator = orchestrator();
        McpSyncClient client = connect(orchestrator);
        Path work = dir.resolve("work");

        Map<String, Object> initArgs = Map.of("working_directory", work.toString());
        Map<String, Object> session = json(client, "orchestrator_initialize_session", initArgs);
        assertEquals("session_initialized", session.get("status"));
        var sessionId = SESSION_ID.matcher((String) session.get("session_id"));
        assertTrue(sessionId.matches(), "session id " + session.get("session_id"));
        long epoch = Long.parseLong(sessionId.group(1));
        assertTrue(Math.abs(Instant.now().getEpochSecond() - epoch) < 600, "epoch seconds " + epoch);
        assertTrue(session.keySet().containsAll(List.of("working_directory", "capabilities", "database_status",
                "next_steps")), session.keySet().toString());
        assertTrue(work.toFile().isDirectory(), "it creates the working directory, as the real one does");

        Map<String, Object> planArgs = Map.of("title", "Check the fleet", "description", "Probe every server",
                "specialist_type", "devops", "complexity", "simple");
        Map<String, Object> planned = json(client, "orchestrator_plan_task", planArgs);
        assertEquals(true, planned.get("success"));
        String taskId = (String) planned.get("task_id");
        assertTrue(TASK_ID.matcher(taskId).matches(), taskId);
        assertEquals("pending", planned.get("status"));
        assertEquals("standard", planned.get("task_type"));
        assertEquals("simple", planned.get("complexity"));
        assertEquals("devops", planned.get("specialist_type"));
        assertTrue(NAIVE_UTC.matcher((String) planned.get("created_at")).matches(), "naive UTC: "
                + planned.get("created_at"));

        Map<String, Object> executed = json(client, "orchestrator_execute_task", Map.of("task_id", taskId));
        assertEquals("ready_for_execution", executed.get("status"));
        assertEquals(taskId, executed.get("task_id"));
        assertTrue(executed.keySet().containsAll(List.of("specialist_context", "specialist_prompts",
                "execution_instructions")), executed.keySet().toString());

        Map<String, Object> completeArgs = Map.of("task_id", taskId, "summary", "all servers answered",
                "detailed_work", "everything: 3 ms\nmemory: 5 ms", "next_action", "complete");
        Map<String, Object> completed = json(client, "orchestrator_complete_task", completeArgs);
        assertEquals("success", completed.get("status"));
        assertEquals(taskId, completed.get("task_id"));
        assertEquals(1, completed.get("artifact_count"));
        List<Object> refs = (List<Object>) completed.get("artifact_references");
        assertTrue(ARTIFACT_ID.matcher((String) map(refs.get(0)).get("id")).matches(), refs.toString());
        assertTrue(NAIVE_UTC.matcher((String) completed.get("completion_time")).matches());

        Map<String, Object> unknown = json(client, "orchestrator_execute_task", Map.of("task_id", "task_00000000"));
        assertEquals("Task execution failed", unknown.get("error"));
        assertEquals("orchestrator_execute_task", unknown.get("tool"));

        OrchestratorDoubleProcess.State state = orchestrator.state();
        OrchestratorDoubleProcess.Task task = state.task(taskId).orElseThrow();
        assertEquals("completed", task.status());
        assertEquals("all servers answered", task.summary());
        assertEquals("everything: 3 ms\nmemory: 5 ms", task.detailedWork());
        assertEquals("complete", task.fields().get("next_action"));
        assertEquals(List.of(session.get("session_id")), state.sessions().stream().map(s -> s.get("session_id"))
                .toList());
        assertEquals(List.of("orchestrator_initialize_session", "orchestrator_plan_task", "orchestrator_execute_task",
                "orchestrator_complete_task", "orchestrator_execute_task"), state.toolNames());
        assertEquals(List.of(initArgs, planArgs, Map.of("task_id", taskId), completeArgs,
                Map.of("task_id", "task_00000000")), state.calls().stream()
                .map(OrchestratorDoubleProcess.Call::arguments).toList());
        assertEquals(List.of(1, 2, 3, 4, 5), state.calls().stream().map(OrchestratorDoubleProcess.Call::seq).toList());
        long pid = state.starts().get(0).pid();
        assertTrue(state.calls().stream().allMatch(c -> c.answered() && c.pid() == pid), state.calls().toString());
    }

    @Test
    void updateTaskUpdatesTheTaskButAnswersAPythonDictReprThatIsNotJson() {
        OrchestratorDoubleProcess orchestrator = orchestrator();
        McpSyncClient client = connect(orchestrator);
        String taskId = (String) json(client, "orchestrator_plan_task", Map.of("title", "old", "description", "d"))
                .get("task_id");

        McpSchema.CallToolResult r = call(client, "orchestrator_update_task",
                Map.of("task_id", taskId, "status", "in_progress", "title", "renamed"));
        String text = text(r);
        assertEquals("{'status': 'error', 'error': \"Handler error: 'str' object is not a mapping\", "
                + "'tool': 'orchestrator_update_task', 'error_type': 'TypeError'}", text);
        assertFalse(Boolean.TRUE.equals(r.isError()), "the real server does not flag it");
        assertThrows(JacksonException.class, () -> JSON.readTree(text), "a dict repr is not JSON");

        OrchestratorDoubleProcess.Task task = orchestrator.state().task(taskId).orElseThrow();
        assertEquals("in_progress", task.status(), "the row IS updated");
        assertEquals("renamed", task.title());

        // an unknown task also comes back through the catch-all
        String unknown = text(call(client, "orchestrator_update_task", Map.of("task_id", "task_ffffffff")));
        assertTrue(unknown.startsWith("{'status': 'error', 'error': 'Handler error: Task task_ffffffff not found'"),
                unknown);
    }

    /**
     * The contract: get_status's tasks are in active_tasks (active, in_progress), pending_tasks, failed_tasks and, only
     * when asked, completed_tasks (else null), each an object with total_count and tasks; its task_summary is wrong
     * (each count is 12, the number of keys of such an object, or null), as the real one's is.
     */
    @Test
    @SuppressWarnings("unchecked")
    void getStatusListsTheTasksByStatusAndItsTaskSummaryIsWrongLikeTheRealOnes() {
        McpSyncClient client = connect(orchestrator());
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add((String) json(client, "orchestrator_plan_task", Map.of("title", "t" + i, "description", "d" + i))
                    .get("task_id"));
        }
        call(client, "orchestrator_update_task", Map.of("task_id", ids.get(0), "status", "in_progress"));
        call(client, "orchestrator_update_task", Map.of("task_id", ids.get(1), "status", "failed"));
        json(client, "orchestrator_complete_task", Map.of("task_id", ids.get(2), "summary", "s", "detailed_work", "w",
                "next_action", "complete"));

        Map<String, Object> status = json(client, "orchestrator_get_status", Map.of("include_completed", false));
        Map<String, Object> active = map(status.get("active_tasks"));
        Map<String, Object> pending = map(status.get("pending_tasks"));
        Map<String, Object> failed = map(status.get("failed_tasks"));
        assertEquals(1, active.get("total_count"));
        assertEquals(2, pending.get("total_count"));
        assertEquals(1, failed.get("total_count"));
        assertEquals(null, status.get("completed_tasks"));
        assertTrue(pending.keySet().containsAll(List.of("success", "tasks", "total_count", "page_count",
                "current_page", "page_size", "has_more")), pending.keySet().toString());
        assertEquals(12, pending.size());
        assertEquals(List.of(ids.get(3), ids.get(4)), ((List<Map<String, Object>>) pending.get("tasks")).stream()
                .map(t -> t.get("task_id")).toList());
        Map<String, Object> listed = ((List<Map<String, Object>>) pending.get("tasks")).get(0);
        assertEquals("t3", listed.get("title"));
        assertEquals("d3", listed.get("description"));
        assertEquals("pending", listed.get("status"));
        assertEquals("in_progress", ((List<Map<String, Object>>) active.get("tasks")).get(0).get("status"));
        Map<String, Object> summary = map(status.get("task_summary"));
        assertEquals(12, summary.get("total_active"), "len() of the list's object, not its tasks");
        assertEquals(12, summary.get("total_pending"));
        assertEquals(12, summary.get("total_failed"));
        assertEquals(null, summary.get("total_completed"));

        Map<String, Object> all = json(client, "orchestrator_get_status", Map.of("include_completed", true));
        assertEquals(1, map(all.get("completed_tasks")).get("total_count"));
        assertEquals(12, map(all.get("task_summary")).get("total_completed"));
    }

    @Test
    void queryTasksFailsWheneverItWouldFindSomethingAndSynthesisNeverFindsTheParent() {
        McpSyncClient client = connect(orchestrator());
        Map<String, Object> empty = json(client, "orchestrator_query_tasks", Map.of());
        assertEquals("success", empty.get("status"));
        assertEquals(List.of(), empty.get("tasks"));
        assertEquals(0, map(map(empty.get("query_summary")).get("pagination")).get("total_count"));

        String taskId = (String) json(client, "orchestrator_plan_task", Map.of("title", "t", "description", "d"))
                .get("task_id");
        Map<String, Object> failed = json(client, "orchestrator_query_tasks", Map.of());
        assertEquals("Query execution error", failed.get("error"));
        assertEquals("orchestrator_query_tasks", failed.get("tool"));
        assertEquals("Query execution error", json(client, "orchestrator_query_tasks",
                Map.of("status", List.of("pending"))).get("error"));

        Map<String, Object> none = json(client, "orchestrator_query_tasks", Map.of("status", List.of("failed")));
        assertEquals("success", none.get("status"), "an empty result is a normal answer");
        assertEquals(List.of("status"), map(none.get("query_summary")).get("filters_applied"));

        Map<String, Object> synthesis = json(client, "orchestrator_synthesize_results",
                Map.of("parent_task_id", taskId));
        assertEquals("synthesis_failed", synthesis.get("status"));
        assertEquals("Parent task " + taskId + " not found", synthesis.get("error"));
    }

    @Test
    void aFailedRestartLeavesItUnhealthyUntilTheProcessIsRestartedAndTheStateOutlivesTheProcess() throws Exception {
        OrchestratorDoubleProcess orchestrator = orchestrator();
        McpSyncClient first = connect(orchestrator);
        assertEquals(true, json(first, "orchestrator_health_check", Map.of()).get("healthy"));
        String taskId = (String) json(first, "orchestrator_plan_task", Map.of("title", "t", "description", "d"))
                .get("task_id");

        Map<String, Object> restart = json(first, "orchestrator_restart_server",
                Map.of("reason", "error_recovery", "graceful", true, "timeout", 30));
        assertEquals(false, restart.get("success"));
        assertEquals("failed", restart.get("phase"));
        assertTrue(restart.keySet().containsAll(List.of("progress", "message", "errors")), restart.keySet().toString());
        assertFalse(((List<?>) restart.get("errors")).isEmpty());

        for (int i = 0; i < 2; i++) { // it stays so
            Map<String, Object> health = json(first, "orchestrator_health_check", Map.of());
            assertEquals(false, health.get("healthy"));
            assertEquals(List.of("Server already in maintenance mode"),
                    map(map(health.get("checks")).get("reboot_readiness")).get("issues"));
        }
        Map<String, Object> system = map(json(first, "orchestrator_get_status", Map.of()).get("system_status"));
        assertEquals(false, system.get("server_healthy"));
        assertEquals(true, system.get("maintenance_mode"));
        Map<String, Object> again = json(first, "orchestrator_restart_server", Map.of());
        assertEquals("preparation_failed", again.get("phase"), "a second restart is refused: " + again);
        assertEquals("failed", map(json(first, "orchestrator_restart_status", Map.of()).get("current_status"))
                .get("phase"));
        OrchestratorDoubleProcess.State before = orchestrator.state();
        assertTrue(before.maintenanceMode());

        first.closeGracefully();
        long firstPid = before.starts().get(0).pid();
        awaitGone(firstPid);

        McpSyncClient second = connect(orchestrator);
        assertEquals(true, json(second, "orchestrator_health_check", Map.of()).get("healthy"),
                "a new process is healthy");
        assertEquals("ready_for_execution", json(second, "orchestrator_execute_task", Map.of("task_id", taskId))
                .get("status"), "the task outlived the process");

        OrchestratorDoubleProcess.State after = orchestrator.state();
        assertEquals(2, after.starts().size());
        long secondPid = after.starts().get(1).pid();
        assertNotEquals(firstPid, secondPid);
        assertFalse(after.maintenanceMode());
        assertEquals(List.of("orchestrator_health_check", "orchestrator_plan_task", "orchestrator_restart_server",
                "orchestrator_health_check", "orchestrator_health_check", "orchestrator_get_status",
                "orchestrator_restart_server", "orchestrator_restart_status",
                "orchestrator_health_check", "orchestrator_execute_task"), after.toolNames());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), after.calls().stream()
                .map(OrchestratorDoubleProcess.Call::seq).toList());
        assertEquals(List.of(firstPid, firstPid, firstPid, firstPid, firstPid, firstPid, firstPid, firstPid,
                secondPid, secondPid), after.calls().stream().map(OrchestratorDoubleProcess.Call::pid).toList());
    }

    @Test
    void diesAfterNCallsAndTheCallItDiedOnIsLoggedUnanswered() throws Exception {
        OrchestratorDoubleProcess orchestrator = orchestrator().dieAfter(2);
        McpSyncClient client = connect(orchestrator);
        assertEquals(true, json(client, "orchestrator_health_check", Map.of()).get("healthy"));
        json(client, "orchestrator_get_status", Map.of());

        assertUnanswered(client, "orchestrator_health_check");

        awaitGone(orchestrator.state().starts().get(0).pid()); // the call is recorded before it dies
        OrchestratorDoubleProcess.State state = orchestrator.state();
        assertEquals(List.of("orchestrator_health_check", "orchestrator_get_status", "orchestrator_health_check"),
                state.toolNames());
        assertEquals(List.of(true, true, false), state.calls().stream()
                .map(OrchestratorDoubleProcess.Call::answered).toList());
        long told = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // the client reads stderr on a thread of its own
        while (stderr.stream().noneMatch(l -> l.contains("dying as told on call #3")) && System.nanoTime() < told) {
            Thread.sleep(50); // a real process's output on its way: no test clock applies
        }
        assertTrue(stderr.stream().anyMatch(l -> l.contains("dying as told on call #3")), String.join("\n", stderr));
    }

    @Test
    void diesOnACallToAGivenTool() throws Exception {
        OrchestratorDoubleProcess orchestrator = orchestrator().dieOn("orchestrator_restart_server");
        McpSyncClient client = connect(orchestrator);
        json(client, "orchestrator_plan_task", Map.of("title", "t", "description", "d"));
        assertUnanswered(client, "orchestrator_restart_server");

        awaitGone(orchestrator.state().starts().get(0).pid()); // the call is recorded before it dies
        OrchestratorDoubleProcess.State state = orchestrator.state();
        OrchestratorDoubleProcess.Call last = state.calls().get(state.calls().size() - 1);
        assertEquals("orchestrator_restart_server", last.tool());
        assertFalse(last.answered());
        assertEquals(1, state.tasks().size(), "what it did before dying is kept");
    }

    @Test
    void startsUnhealthyAndSlowWhenToldAndOnlyTheFirstStartWhenSoTold() throws Exception {
        Duration delay = Duration.ofMillis(1500);
        OrchestratorDoubleProcess orchestrator = orchestrator().unhealthy()
                .slow(delay, "orchestrator_health_check").firstStartOnly();
        McpSyncClient first = connect(orchestrator);
        long t0 = System.nanoTime();
        Map<String, Object> health = json(first, "orchestrator_health_check", Map.of());
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(false, health.get("healthy"));
        assertTrue(tookMs >= delay.toMillis(), "answered after the delay, took " + tookMs + " ms");
        assertEquals(true, map(json(first, "orchestrator_get_status", Map.of()).get("system_status"))
                .get("maintenance_mode"));

        // without a list of tools, every tool is slow
        McpSyncClient allSlow = connect(OrchestratorDoubleProcess.inMemory().slow(delay));
        t0 = System.nanoTime();
        assertEquals("status_retrieved", json(allSlow, "orchestrator_get_status", Map.of()).get("status"));
        tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(tookMs >= delay.toMillis(), "get_status too answered after the delay, took " + tookMs + " ms");
        allSlow.closeGracefully();

        first.closeGracefully();
        McpSyncClient later = connect(orchestrator);
        assertEquals(true, json(later, "orchestrator_health_check", Map.of()).get("healthy"),
                "faults were for the first start only");
        List<OrchestratorDoubleProcess.Start> starts = orchestrator.state().starts();
        assertTrue(starts.get(0).faultsActive());
        assertFalse(starts.get(starts.size() - 1).faultsActive());
    }

    @Test
    void aHeldPingHoldsEverythingBehindItLikeAHungServer() {
        Duration hold = Duration.ofMillis(1500);
        McpSyncClient client = connect(orchestrator().slowPings(hold));
        long t0 = System.nanoTime();
        client.ping();
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(tookMs >= hold.toMillis(), "ping answered after the hold, took " + tookMs + " ms");
        assertEquals(true, json(client, "orchestrator_health_check", Map.of()).get("healthy"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void writesNothingButProtocolOnStdoutAndEndsWithItsInput() throws Exception {
        OrchestratorDoubleProcess orchestrator = orchestrator();
        Process p = new ProcessBuilder(orchestrator.command()).start();
        CompletableFuture<List<String>> err = CompletableFuture.supplyAsync(() -> lines(p.getErrorStream(), null));
        List<String> stdout = new CopyOnWriteArrayList<>();
        CompletableFuture<List<String>> out = CompletableFuture.supplyAsync(() -> lines(p.getInputStream(), stdout));
        try (OutputStream in = p.getOutputStream()) {
            in.write(String.join("\n",
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                            + "\"orchestrator_health_check\",\"arguments\":{}}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}",
                    "").getBytes(StandardCharsets.UTF_8));
            in.flush();
            long end = System.nanoTime() + TIMEOUT.toNanos();
            while (stdout.size() < 3 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
        }
        assertTrue(p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "it ends when its input ends");
        assertEquals(0, p.exitValue());
        assertEquals(3, out.get(10, TimeUnit.SECONDS).size(), "three answers and nothing else: " + stdout);
        for (String line : stdout) {
            Map<String, Object> message = JSON.readValue(line, Map.class);
            assertEquals("2.0", message.get("jsonrpc"), line);
        }
        assertTrue(err.get(10, TimeUnit.SECONDS).stream().anyMatch(l -> l.contains("orchestrator double (pid")),
                "logs go to stderr");

        // the config entry MCP Health reads starts this very command
        Path config = orchestrator.writeConfig(dir.resolve("mcp.json"), "orchestrator", "orchestrator");
        HealthConfig health = new ConfigLoader(System::getenv).load(config);
        assertEquals(1, health.servers().size());
        assertEquals(TransportKind.STDIO, health.servers().get(0).transport());
        assertEquals("orchestrator", health.servers().get(0).type().value());
        Endpoint.Stdio endpoint = assertInstanceOf(Endpoint.Stdio.class,
                health.endpoint(ServerId.of("orchestrator")).orElseThrow());
        List<String> cmd = orchestrator.command();
        assertEquals(cmd.get(0), endpoint.command());
        assertEquals(cmd.subList(1, cmd.size()), endpoint.args());
    }

    private static List<String> lines(java.io.InputStream s, List<String> into) {
        List<String> lines = into == null ? new ArrayList<>() : into;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // ended
        }
        return lines;
    }
}
