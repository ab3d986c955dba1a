package dev.mcphealth.infrastructure.orchestrator;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.infrastructure.probe.McpProbe;
import dev.mcphealth.testkit.OrchestratorDoubleProcess;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapter against the orchestrator's test double as a real process, over a real {@link McpProbe}'s kept stdio
 * session: a task's lifecycle, the contract's quirks, a double that dies or hangs, and the breaker.
 */
class McpOrchestratorIT {
    private static final Pattern TASK_ID = Pattern.compile("task_[0-9a-f]{8}");
    private static final Pattern SESSION_ID = Pattern.compile("session_[0-9a-f]{8}_\\d+");
    private static final ServerId ORCH = ServerId.of("orchestrator");
    /** The double is a JVM: its first answer includes its start-up. */
    private static final Duration CONNECT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final Map<ServerId, Endpoint> endpoints = new LinkedHashMap<>();
    private final McpProbe probe = new McpProbe(id -> Optional.ofNullable(endpoints.get(id)), Clock.systemUTC(),
            System::nanoTime, McpJsonDefaults.getMapper(), "test");
    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final AtomicBoolean mayConnect = new AtomicBoolean(true);

    @AfterEach
    void closeSessions() {
        probe.close();
    }

    private OrchestratorDoubleProcess aDouble() {
        return OrchestratorDoubleProcess.withState(dir.resolve("orchestrator-state.json"));
    }

    /** The adapter over the probe's session to {@code orchestrator}, started as the config would start it. */
    private McpOrchestrator adapter(OrchestratorDoubleProcess orchestrator, McpOrchestrator.Settings settings) {
        List<String> cmd = orchestrator.command();
        endpoints.put(ORCH, new Endpoint.Stdio(cmd.get(0), cmd.subList(1, cmd.size()), Map.of(), Optional.empty()));
        MonitoredServer server = aServer().named(ORCH.value()).withConnectTimeout(CONNECT).build();
        return new McpOrchestrator(ORCH, () -> List.of(server), probe, id -> mayConnect.get(), clock, settings);
    }

    private McpOrchestrator adapter(OrchestratorDoubleProcess orchestrator) {
        return adapter(orchestrator, new McpOrchestrator.Settings(Duration.ofSeconds(30), 5, Duration.ofSeconds(30),
                1));
    }

    private static Map<String, Object> answered(OrchestratorReply reply) {
        return assertInstanceOf(OrchestratorReply.Answered.class, reply, () -> "expected an answer: " + reply).json();
    }

    private static String refused(OrchestratorReply reply) {
        return assertInstanceOf(OrchestratorReply.Refused.class, reply, () -> "expected a refusal: " + reply).error();
    }

    @Test
    void runsATaskFromSessionToCompletionWithTheIdsTheOrchestratorKeeps() {
        OrchestratorDoubleProcess orchestrator = aDouble();
        McpOrchestrator o = adapter(orchestrator);
        Path work = dir.resolve("work");

        Map<String, Object> session = answered(o.call(new OrchestratorRequest.InitializeSession(work.toString())));
        Map<String, Object> planned = answered(o.call(new OrchestratorRequest.PlanTask("Check the fleet",
                "Probe every server", Optional.empty(), "moderate", "devops")));
        String taskId = (String) planned.get("task_id");
        Map<String, Object> executed = answered(o.call(new OrchestratorRequest.ExecuteTask(Optional.of(taskId))));
        Map<String, Object> completed = answered(o.call(new OrchestratorRequest.CompleteTask(Optional.of(taskId),
                "all servers answered", "everything: 3 ms")));

        assertEquals("session_initialized", session.get("status"));
        assertTrue(SESSION_ID.matcher((String) session.get("session_id")).matches(), session.toString());
        assertTrue(TASK_ID.matcher(taskId).matches(), taskId);
        assertEquals("ready_for_execution", executed.get("status"));
        assertEquals("success", completed.get("status"));
        assertEquals(taskId, completed.get("task_id"));

        OrchestratorDoubleProcess.State state = orchestrator.state();
        assertEquals(List.of(session.get("session_id")), state.sessions().stream().map(s -> s.get("session_id"))
                .toList());
        OrchestratorDoubleProcess.Task task = state.task(taskId).orElseThrow();
        assertEquals("completed", task.status());
        assertEquals("all servers answered", task.summary());
        assertEquals("devops", task.fields().get("specialist_type"));
        assertEquals(List.of("orchestrator_initialize_session", "orchestrator_plan_task", "orchestrator_execute_task",
                "orchestrator_complete_task"), state.toolNames());
        assertEquals(1, state.starts().size(), "one process, one kept session");
    }

    @Test
    void withAWorkingDirectoryEachNewSessionIsInitializedForItBeforeItsFirstCall() {
        OrchestratorDoubleProcess orchestrator = aDouble();
        List<String> cmd = orchestrator.command();
        endpoints.put(ORCH, new Endpoint.Stdio(cmd.get(0), cmd.subList(1, cmd.size()), Map.of(), Optional.empty()));
        MonitoredServer server = aServer().named(ORCH.value()).withConnectTimeout(CONNECT).build();
        Path work = dir.resolve("project");
        McpOrchestrator o = new McpOrchestrator(ORCH, () -> List.of(server), probe, id -> mayConnect.get(), clock,
                new McpOrchestrator.Settings(Duration.ofSeconds(30), 5, Duration.ofSeconds(30), 1),
                Optional.of(new McpOrchestrator.SessionSetup(work.toString(), () -> probe.sessionsOpened(ORCH),
                        () -> probe.isOpen(ORCH))));

        answered(o.call(new OrchestratorRequest.GetStatus(false)));
        answered(o.call(new OrchestratorRequest.GetStatus(false)));
        assertEquals(List.of("orchestrator_initialize_session", "orchestrator_get_status", "orchestrator_get_status"),
                orchestrator.state().toolNames(), "once per session, before its first call");

        assertTrue(probe.reopen(server).isEmpty(), "a restart: a new process");
        answered(o.call(new OrchestratorRequest.GetStatus(false)));

        OrchestratorDoubleProcess.State state = orchestrator.state();
        assertEquals(2, state.starts().size());
        assertEquals(List.of("orchestrator_initialize_session", "orchestrator_get_status", "orchestrator_get_status",
                "orchestrator_initialize_session", "orchestrator_get_status"), state.toolNames());
        assertEquals(List.of(work.toString(), work.toString()), state.callsTo("orchestrator_initialize_session")
                .stream().map(c -> c.arguments().get("working_directory")).toList());
    }

    @Test
    void aToolCallTheServerRefusesAsWrongIsAnAnsweredToolErrorNotAFailureOfTheServer() {
        // the double is a Java SDK server: an unknown tool is a JSON-RPC error, as from the Python SDK's and older
        // TypeScript servers (the newest TypeScript SDK answers it as a tool error itself)
        List<String> cmd = aDouble().command();
        endpoints.put(ORCH, new Endpoint.Stdio(cmd.get(0), cmd.subList(1, cmd.size()), Map.of(), Optional.empty()));
        MonitoredServer server = aServer().named(ORCH.value()).withConnectTimeout(CONNECT).build();

        CallOutcome outcome = probe.callTool(server, "no_such_tool", Map.of("x", 1), Duration.ofSeconds(20), true);

        CallOutcome.Replied r = assertInstanceOf(CallOutcome.Replied.class, outcome, outcome::toString);
        assertTrue(r.reply().error());
        assertTrue(r.reply().texts().get(0).startsWith("tools/call no_such_tool refused: JSON-RPC error -326"),
                r.reply().texts().toString());
        assertTrue(probe.isOpen(ORCH), "the session goes on");
    }

    @Test
    void updateTaskIsDoneDespiteItsErrorAndTheTaskIsUpdated() {
        OrchestratorDoubleProcess orchestrator = aDouble();
        McpOrchestrator o = adapter(orchestrator);
        String taskId = (String) answered(o.call(new OrchestratorRequest.PlanTask("old", "d", Optional.empty(),
                "simple", "devops"))).get("task_id");

        OrchestratorReply r = o.call(new OrchestratorRequest.UpdateTask(Optional.of(taskId), "in_progress",
                Optional.of("renamed")));

        assertEquals("{'status': 'error', 'error': \"Handler error: 'str' object is not a mapping\", "
                + "'tool': 'orchestrator_update_task', 'error_type': 'TypeError'}",
                assertInstanceOf(OrchestratorReply.DoneDespiteError.class, r).raw());
        OrchestratorDoubleProcess.Task task = orchestrator.state().task(taskId).orElseThrow();
        assertEquals("in_progress", task.status(), "the row IS updated");
        assertEquals("renamed", task.fields().get("description"));

        String unknown = refused(o.call(new OrchestratorRequest.UpdateTask(Optional.of("task_ffffffff"), "blocked",
                Optional.empty())));
        assertTrue(unknown.startsWith("{'status': 'error', 'error': 'Handler error: Task task_ffffffff not found'"),
                unknown);
        assertEquals(BreakerState.CLOSED, o.breaker());
    }

    @Test
    void theContractsOtherErrorsAreRefusals() {
        McpOrchestrator o = adapter(aDouble());
        String taskId = (String) answered(o.call(new OrchestratorRequest.PlanTask("t", "d", Optional.empty(),
                "simple", "devops"))).get("task_id");
        answered(o.call(new OrchestratorRequest.QueryTasks(taskId, 100))); // no subtasks: a normal answer
        answered(o.call(new OrchestratorRequest.PlanTask("sub", "d", Optional.of(taskId), "simple", "devops")));

        assertEquals("Query execution error: 'str' object has no attribute 'isoformat'",
                refused(o.call(new OrchestratorRequest.QueryTasks(taskId, 100))));
        assertEquals("Parent task " + taskId + " not found",
                refused(o.call(new OrchestratorRequest.SynthesizeResults(taskId))));
        assertEquals("Task execution failed: Task task_00000000 not found",
                refused(o.call(new OrchestratorRequest.ExecuteTask(Optional.of("task_00000000")))));
        assertTrue(refused(o.call(new OrchestratorRequest.RestartServer("failover_testing")))
                .startsWith("Input validation error: 'failover_testing' is not one of"));
        assertEquals(BreakerState.CLOSED, o.breaker(), "it answered every time");
    }

    @Test
    void aDeadOrchestratorFailsFastThenTheBreakerOpensWithoutCallingAndATrialCallAfterItsPeriodGetsThrough()
            throws Exception {
        OrchestratorDoubleProcess orchestrator = aDouble().dieAfter(1).firstStartOnly();
        McpOrchestrator o = adapter(orchestrator, new McpOrchestrator.Settings(Duration.ofSeconds(20), 2,
                Duration.ofSeconds(30), 1));
        answered(o.call(new OrchestratorRequest.HealthCheck()));

        // it dies on receiving the call: sent, never answered
        OrchestratorReply died = o.call(new OrchestratorRequest.PlanTask("t", "d", Optional.empty(), "simple", "devops"));
        assertInstanceOf(OrchestratorReply.Unconfirmed.class, died);
        // recovery is in charge of the dead server now: a call does not start it
        mayConnect.set(false);
        OrchestratorReply.NotDelivered none = assertInstanceOf(OrchestratorReply.NotDelivered.class,
                o.call(new OrchestratorRequest.GetStatus(false)));
        assertTrue(none.reason().startsWith("orchestrator_get_status was not delivered"), none.reason());
        assertEquals(BreakerState.OPEN, o.breaker(), "two failures in a row");

        mayConnect.set(true);
        clock.advance(Duration.ofSeconds(10));
        OrchestratorReply.NotDelivered open = assertInstanceOf(OrchestratorReply.NotDelivered.class,
                o.call(new OrchestratorRequest.CompleteTask(Optional.of("task_00000000"), "s", "w")));
        assertEquals("the orchestrator's breaker is open; retry after 20 s", open.reason());

        OrchestratorDoubleProcess.State state = orchestrator.state();
        assertEquals(List.of("orchestrator_health_check", "orchestrator_plan_task"), state.toolNames(),
                "nothing reached it after it died: " + state.calls());
        assertEquals(List.of(true, false), state.calls().stream().map(OrchestratorDoubleProcess.Call::answered)
                .toList());
        assertEquals(1, state.starts().size(), "nothing started it again");

        // the open period ends on the clock: the trial call may connect (a new process) and closes the breaker
        clock.advance(Duration.ofSeconds(21));
        assertEquals(true, answered(o.call(new OrchestratorRequest.HealthCheck())).get("healthy"));
        assertEquals(BreakerState.CLOSED, o.breaker());
        OrchestratorDoubleProcess.State after = orchestrator.state();
        assertEquals(2, after.starts().size());
        assertEquals(List.of("orchestrator_health_check", "orchestrator_plan_task", "orchestrator_health_check"),
                after.toolNames());
        assertNotEquals(after.calls().get(0).pid(), after.calls().get(2).pid());
    }

    @Test
    void aHungToolIsUnconfirmedWithinTheCallTimeoutWhileTheSessionServesOtherCalls() {
        OrchestratorDoubleProcess orchestrator = aDouble().slow(Duration.ofSeconds(20), "orchestrator_plan_task");
        McpOrchestrator o = adapter(orchestrator, new McpOrchestrator.Settings(Duration.ofMillis(1500), 5,
                Duration.ofSeconds(30), 1));
        answered(o.call(new OrchestratorRequest.HealthCheck())); // started and initialized

        long start = System.nanoTime();
        OrchestratorReply.Unconfirmed u = assertInstanceOf(OrchestratorReply.Unconfirmed.class,
                o.call(new OrchestratorRequest.PlanTask("t", "d", Optional.empty(), "simple", "devops")));
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(u.reason().startsWith("orchestrator_plan_task was sent, no answer (timeout)"), u.reason());
        assertTrue(waited.compareTo(Duration.ofSeconds(10)) < 0, "waited " + waited);
        assertEquals("orchestrator_plan_task", orchestrator.state().toolNames().get(1), "it was received");
        answered(o.call(new OrchestratorRequest.GetStatus(false)));
    }
}
