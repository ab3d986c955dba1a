package dev.mcphealth.infrastructure.orchestrator;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ToolReply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The adapter over a fake {@link ToolCallPort} on a test clock: what it sends, and its breaker. */
class McpOrchestratorTest {
    private static final ServerId ORCH = ServerId.of("orchestrator");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final McpOrchestrator.Settings SETTINGS = new McpOrchestrator.Settings(TIMEOUT, 3,
            Duration.ofSeconds(30), 1);

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T10:00:00Z"));
    private final AtomicReference<MonitoredServer> server = new AtomicReference<>(aServer().named("orchestrator")
            .build());
    private final ServerCatalogPort catalog = () -> List.of(server.get());
    private final FakeCalls calls = new FakeCalls();
    private final AtomicBoolean mayConnect = new AtomicBoolean(true);

    private McpOrchestrator orchestrator() {
        return new McpOrchestrator(ORCH, catalog, calls, id -> mayConnect.get(), clock, SETTINGS);
    }

    /** One tool call as received. */
    private record Sent(MonitoredServer server, String tool, Map<String, Object> arguments, Duration timeout,
                        boolean mayConnect) {
    }

    /** Answers with what the test queued, one per call; remembers every call. */
    private static final class FakeCalls implements ToolCallPort {
        final List<Sent> sent = new ArrayList<>();
        final Deque<Supplier<CallOutcome>> next = new ArrayDeque<>();

        FakeCalls then(Supplier<CallOutcome> outcome) {
            next.add(outcome);
            return this;
        }

        @Override
        public CallOutcome callTool(MonitoredServer server, String tool, Map<String, Object> arguments,
                                    Duration timeout, boolean mayConnect) {
            sent.add(new Sent(server, tool, arguments, timeout, mayConnect));
            if (next.isEmpty()) {
                throw new AssertionError("an unexpected call to " + tool);
            }
            return next.poll().get();
        }

        @Override
        public CallOutcome listTools(MonitoredServer server, Duration timeout, boolean mayConnect) {
            throw new AssertionError("the orchestrator adapter never lists tools");
        }

        @Override
        public CallOutcome request(MonitoredServer server, dev.mcphealth.domain.model.UpstreamRequest what,
                                   java.util.Map<String, Object> params, Duration timeout, boolean mayConnect) {
            throw new AssertionError("the orchestrator adapter asks for no prompts or resources");
        }
    }

    private static Supplier<CallOutcome> text(String text) {
        return () -> new CallOutcome.Replied(new ToolReply(false, List.of(text), "{}"), Duration.ofMillis(5));
    }

    private static Supplier<CallOutcome> undelivered() {
        return () -> new CallOutcome.Failed(FailureType.CONNECTION_ERROR, "orchestrator has no live session", false,
                Duration.ZERO);
    }

    private static Supplier<CallOutcome> timedOut() {
        return () -> new CallOutcome.Failed(FailureType.TIMEOUT, "no answer within 30 s", true, TIMEOUT);
    }

    private static final Supplier<CallOutcome> OK = text("{\"status\": \"status_retrieved\"}");
    private static final Supplier<CallOutcome> REFUSED = text("{\"error\": \"Task execution failed\"}");

    private static OrchestratorReply.NotDelivered notDelivered(OrchestratorReply r) {
        return assertInstanceOf(OrchestratorReply.NotDelivered.class, r, () -> "expected not delivered: " + r);
    }

    @Test
    void aCallGoesToTheOrchestratorWithItsArgumentsTheCallTimeoutAndRecoverysWordOnConnecting() {
        calls.then(text("{\"success\": true, \"task_id\": \"task_9f8e7d6c\"}")).then(OK);
        McpOrchestrator o = orchestrator();
        OrchestratorRequest.PlanTask plan = new OrchestratorRequest.PlanTask("Check the fleet", "Probe every server",
                Optional.empty(), "moderate", "devops");
        Map<String, Object> args = RequestFormat.arguments(plan);

        OrchestratorReply r = o.call(plan);

        assertEquals("task_9f8e7d6c", assertInstanceOf(OrchestratorReply.Answered.class, r).json().get("task_id"));
        assertEquals(new Sent(server.get(), "orchestrator_plan_task", args, TIMEOUT, true), calls.sent.get(0));
        assertEquals(ORCH, o.server());

        mayConnect.set(false); // a recovery episode is open: recovery reopens the session, not a call
        o.call(new OrchestratorRequest.GetStatus(false));
        assertFalse(calls.sent.get(1).mayConnect());
    }

    @Test
    void withASessionSetupANewSessionIsInitializedOnceAndARefusalIsNotTriedAgainOnTheSameSession() {
        java.util.concurrent.atomic.AtomicLong opened = new java.util.concurrent.atomic.AtomicLong();
        AtomicBoolean open = new AtomicBoolean(false);
        McpOrchestrator o = new McpOrchestrator(ORCH, catalog, calls, id -> mayConnect.get(), clock, SETTINGS,
                java.util.Optional.of(new McpOrchestrator.SessionSetup("/work/project", opened::get, open::get)));
        Supplier<CallOutcome> initialized = () -> {
            opened.incrementAndGet(); // the call opened the session
            open.set(true);
            return new CallOutcome.Replied(new ToolReply(false, List.of("{\"status\": \"session_initialized\"}"),
                    "{}"), Duration.ofMillis(5));
        };
        calls.then(initialized).then(OK).then(OK);
        o.call(new OrchestratorRequest.GetStatus(false));
        o.call(new OrchestratorRequest.GetStatus(false));
        assertEquals(List.of("orchestrator_initialize_session", "orchestrator_get_status", "orchestrator_get_status"),
                calls.sent.stream().map(Sent::tool).toList());
        assertEquals(Map.of("working_directory", "/work/project"), calls.sent.get(0).arguments());

        // the session died and was not opened again yet: the call about to be made opens one, set up first
        open.set(false);
        calls.then(undelivered());
        assertTrue(notDelivered(o.call(new OrchestratorRequest.GetStatus(false))).reason().startsWith("not sent: "));
        assertEquals("orchestrator_initialize_session", calls.sent.get(3).tool());
        assertEquals(4, calls.sent.size(), "the call the setup preceded is not made: one failure, not two");

        calls.then(() -> {
            opened.incrementAndGet();
            open.set(true);
            return REFUSED.get();
        }).then(OK).then(OK);
        o.call(new OrchestratorRequest.GetStatus(false));
        o.call(new OrchestratorRequest.GetStatus(false));
        assertEquals(List.of("orchestrator_initialize_session", "orchestrator_get_status", "orchestrator_get_status"),
                calls.sent.subList(4, 7).stream().map(Sent::tool).toList(), "not delivered: tried again; a refusal is not"
                        + " asked again");

        opened.incrementAndGet(); // recovery restarted it between calls
        calls.then(initialized).then(OK);
        o.call(new OrchestratorRequest.PlanTask("t", "d", Optional.empty(), "simple", "devops"));
        assertEquals(List.of("orchestrator_initialize_session", "orchestrator_plan_task"),
                calls.sent.subList(7, 9).stream().map(Sent::tool).toList());
    }

    @Test
    void withASessionSetupAnUnreachableOrchestratorOpensTheBreakerAfterAsManyCallsAsWithout() {
        McpOrchestrator o = new McpOrchestrator(ORCH, catalog, calls, id -> mayConnect.get(), clock, SETTINGS,
                java.util.Optional.of(new McpOrchestrator.SessionSetup("/work/project", () -> 0, () -> false)));
        calls.then(undelivered()).then(undelivered()).then(undelivered());
        notDelivered(o.call(new OrchestratorRequest.GetStatus(false)));
        notDelivered(o.call(new OrchestratorRequest.GetStatus(false)));
        assertEquals(BreakerState.CLOSED, o.breaker(), "two failed calls are two failures");
        notDelivered(o.call(new OrchestratorRequest.GetStatus(false)));
        assertEquals(BreakerState.OPEN, o.breaker(), "three, as configured");
        assertEquals(3, calls.sent.size());
    }

    @Test
    void theBreakerIsHalfOpenWhileItsTrialCallIsOut() {
        McpOrchestrator[] o = {orchestrator()};
        AtomicReference<BreakerState> during = new AtomicReference<>();
        calls.then(undelivered()).then(undelivered()).then(undelivered()).then(() -> {
            during.set(o[0].breaker());
            return OK.get();
        });
        for (int i = 0; i < 3; i++) {
            o[0].call(new OrchestratorRequest.GetStatus(false));
        }
        assertEquals(BreakerState.OPEN, o[0].breaker());
        clock.advance(Duration.ofSeconds(31));
        o[0].call(new OrchestratorRequest.GetStatus(false));
        assertEquals(BreakerState.HALF_OPEN, during.get());
        assertEquals(BreakerState.CLOSED, o[0].breaker());
    }

    @Test
    void aReadOfHowItStandsWaitsNoLongerThanAProbeOfItAnyOtherCallTheCallTimeout() {
        server.set(aServer().named("orchestrator").withTimeout(Duration.ofSeconds(5)).build());
        calls.then(OK).then(OK).then(OK);
        McpOrchestrator o = orchestrator();
        o.call(new OrchestratorRequest.HealthCheck());
        o.call(new OrchestratorRequest.GetStatus(false));
        o.call(new OrchestratorRequest.QueryTasks("task_00000001", 100));
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5), TIMEOUT),
                calls.sent.stream().map(Sent::timeout).toList());

        server.set(aServer().named("orchestrator").withTimeout(Duration.ofSeconds(60)).build());
        calls.then(OK);
        o.call(new OrchestratorRequest.GetStatus(false));
        assertEquals(TIMEOUT, calls.sent.get(3).timeout(), "the call timeout bounds a read too");
    }

    @Test
    void aReadCutShortByTheProbeTimeoutIsNotCountedByTheBreakerAndASetupBeforeItIsBoundedLikeIt() {
        server.set(aServer().named("orchestrator").withTimeout(Duration.ofSeconds(5)).build());
        Supplier<CallOutcome> slow = () -> new CallOutcome.Failed(FailureType.TIMEOUT, "no answer within 5 s", true,
                Duration.ofSeconds(5));
        calls.then(slow).then(slow).then(slow).then(slow);
        McpOrchestrator o = orchestrator();
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(OrchestratorReply.Unconfirmed.class, o.call(new OrchestratorRequest.GetStatus(false)));
        }
        assertEquals(BreakerState.CLOSED, o.breaker(), "slow reads are not failures of the orchestrator");

        java.util.concurrent.atomic.AtomicLong opened = new java.util.concurrent.atomic.AtomicLong();
        McpOrchestrator withSetup = new McpOrchestrator(ORCH, catalog, calls, id -> true, clock, SETTINGS,
                java.util.Optional.of(new McpOrchestrator.SessionSetup("/work/project", opened::get, () -> false)));
        calls.then(OK).then(OK);
        withSetup.call(new OrchestratorRequest.HealthCheck());
        assertEquals(List.of("orchestrator_initialize_session", "orchestrator_health_check"),
                calls.sent.subList(4, 6).stream().map(Sent::tool).toList());
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5)),
                calls.sent.subList(4, 6).stream().map(Sent::timeout).toList(), "the setup waits as long as its read");
    }

    @Test
    void theServerIsReadFromTheCatalogOnEachCallSoATunedConnectTimeoutApplies() {
        calls.then(OK);
        McpOrchestrator o = orchestrator();
        MonitoredServer tuned = aServer().named("orchestrator").withConnectTimeout(Duration.ofSeconds(5)).build();
        server.set(tuned);

        o.call(new OrchestratorRequest.GetStatus(false));

        assertEquals(tuned, calls.sent.get(0).server());
    }

    @Test
    void anOrchestratorThatIsNotAConfiguredServerIsABug() {
        assertThrows(IllegalArgumentException.class, () -> new McpOrchestrator(ServerId.of("nope"), catalog, calls,
                id -> true, clock, SETTINGS));
    }

    @Test
    void undeliveredAndUnconfirmedCallsInARowOpenTheBreakerWhichThenRefusesWithoutCalling() {
        calls.then(undelivered()).then(timedOut()).then(undelivered());
        McpOrchestrator o = orchestrator();

        notDelivered(o.call(new OrchestratorRequest.PlanTask("t", "d", Optional.empty(), "simple", "devops")));
        assertInstanceOf(OrchestratorReply.Unconfirmed.class, o.call(new OrchestratorRequest.PlanTask("t", "d", Optional.empty(), "simple", "devops")));
        assertEquals(BreakerState.CLOSED, o.breaker(), "two failures are not three");
        notDelivered(o.call(new OrchestratorRequest.PlanTask("t", "d", Optional.empty(), "simple", "devops")));
        assertEquals(BreakerState.OPEN, o.breaker());

        OrchestratorReply.NotDelivered refused = notDelivered(o.call(new OrchestratorRequest.CompleteTask(Optional.of("task_00000001"), "s", "w")));

        assertEquals("the orchestrator's breaker is open; retry after 30 s", refused.reason());
        assertEquals(3, calls.sent.size(), "no call while it is open");
    }

    @Test
    void refusalsAndDoneDespiteErrorAreAnswersThatEndARunOfFailures() {
        String quirk = "{'status': 'error', 'error': \"Handler error: 'str' object is not a mapping\", "
                + "'tool': 'orchestrator_update_task', 'error_type': 'TypeError'}";
        calls.then(undelivered()).then(undelivered()).then(REFUSED)
                .then(undelivered()).then(undelivered()).then(text(quirk))
                .then(undelivered()).then(undelivered()).then(text("not json"))
                .then(undelivered()).then(undelivered()).then(undelivered());
        McpOrchestrator o = orchestrator();

        for (int i = 0; i < 3; i++) {
            notDelivered(o.call(OrchestratorRequest.UpdateTask.failed(Optional.of("task_00000001"), "x")));
            notDelivered(o.call(OrchestratorRequest.UpdateTask.failed(Optional.of("task_00000001"), "x")));
            OrchestratorReply answer = o.call(OrchestratorRequest.UpdateTask.failed(Optional.of("task_00000001"), "x"));
            assertTrue(answer instanceof OrchestratorReply.Refused
                    || answer instanceof OrchestratorReply.DoneDespiteError, answer.toString());
            assertEquals(BreakerState.CLOSED, o.breaker(), "round " + i);
        }
        notDelivered(o.call(OrchestratorRequest.UpdateTask.failed(Optional.of("task_00000001"), "x")));
        notDelivered(o.call(OrchestratorRequest.UpdateTask.failed(Optional.of("task_00000001"), "x")));
        assertEquals(BreakerState.CLOSED, o.breaker());
        notDelivered(o.call(OrchestratorRequest.UpdateTask.failed(Optional.of("task_00000001"), "x")));
        assertEquals(BreakerState.OPEN, o.breaker(), "three in a row");
        assertEquals(12, calls.sent.size());
    }

    @Test
    void theOpenPeriodRunsOnTheClockThenOneTrialCallClosesIt() {
        calls.then(undelivered()).then(undelivered()).then(undelivered()).then(OK).then(OK);
        McpOrchestrator o = orchestrator();
        for (int i = 0; i < 3; i++) {
            o.call(new OrchestratorRequest.GetStatus(false));
        }

        clock.advance(Duration.ofMillis(10_500));
        assertEquals("the orchestrator's breaker is open; retry after 20 s",
                notDelivered(o.call(new OrchestratorRequest.GetStatus(false))).reason());
        clock.advance(Duration.ofMillis(19_499));
        assertEquals("the orchestrator's breaker is open; retry after 1 s",
                notDelivered(o.call(new OrchestratorRequest.GetStatus(false))).reason());
        assertEquals(3, calls.sent.size());

        clock.advance(Duration.ofMillis(2));
        assertInstanceOf(OrchestratorReply.Answered.class, o.call(new OrchestratorRequest.GetStatus(false)),
                "the trial call goes through");
        assertEquals(BreakerState.CLOSED, o.breaker());
        assertInstanceOf(OrchestratorReply.Answered.class, o.call(new OrchestratorRequest.GetStatus(false)));
        assertEquals(5, calls.sent.size());
    }

    @Test
    void aFailedTrialCallOpensItForAnotherPeriod() {
        calls.then(undelivered()).then(undelivered()).then(undelivered()).then(timedOut());
        McpOrchestrator o = orchestrator();
        for (int i = 0; i < 3; i++) {
            o.call(new OrchestratorRequest.PlanTask("t", "d", Optional.empty(), "simple", "devops"));
        }
        clock.advance(Duration.ofSeconds(31));

        assertInstanceOf(OrchestratorReply.Unconfirmed.class, o.call(new OrchestratorRequest.PlanTask("t", "d", Optional.empty(), "simple", "devops")));

        assertEquals(BreakerState.OPEN, o.breaker());
        assertEquals("the orchestrator's breaker is open; retry after 30 s",
                notDelivered(o.call(new OrchestratorRequest.PlanTask("t", "d", Optional.empty(), "simple", "devops"))).reason());
        assertEquals(4, calls.sent.size());
    }

    @Test
    void aCallPortThatThrowsBeforeSendingIsNotDeliveredAndAFailure() {
        calls.then(() -> {
            throw new IllegalStateException("this probe is closed");
        }).then(undelivered()).then(undelivered());
        McpOrchestrator o = orchestrator();

        OrchestratorReply.NotDelivered n = notDelivered(o.call(new OrchestratorRequest.PlanTask("t", "d", Optional.empty(), "simple", "devops")));

        assertEquals("orchestrator_plan_task was not delivered (connection_error): it could not be sent"
                + " (MCP Health is stopping, or an internal error)", n.reason());
        o.call(new OrchestratorRequest.PlanTask("t", "d", Optional.empty(), "simple", "devops"));
        o.call(new OrchestratorRequest.PlanTask("t", "d", Optional.empty(), "simple", "devops"));
        assertEquals(BreakerState.OPEN, o.breaker(), "it counted as a failure");
    }

    @Test
    void theBreakerFollowsHealthBreakersRunOfFailuresOpenPeriodAndTrialCalls() {
        BreakerSettings b = new BreakerSettings(0.5, 10, Duration.ofSeconds(60), 4, Duration.ofSeconds(10), 1.0,
                Duration.ofSeconds(45), 2);

        assertEquals(new McpOrchestrator.Settings(Duration.ofSeconds(20), 4, Duration.ofSeconds(45), 2),
                McpOrchestrator.Settings.of(Duration.ofSeconds(20), b));
        assertThrows(IllegalArgumentException.class, () -> new McpOrchestrator.Settings(Duration.ZERO, 1,
                Duration.ofSeconds(1), 1));
        assertThrows(IllegalArgumentException.class, () -> new McpOrchestrator.Settings(TIMEOUT, 0,
                Duration.ofSeconds(1), 1));
        assertThrows(IllegalArgumentException.class, () -> new McpOrchestrator.Settings(TIMEOUT, 1,
                Duration.ofSeconds(1), 0));
    }

    @Test
    void onlyToolNamesAndReplyKindsAreLogged() {
        String secret = "ghp_s3cr3tT0k3nV4lu3";
        calls.then(() -> new CallOutcome.Failed(FailureType.TIMEOUT, "timed out echoing " + secret, true, TIMEOUT))
                .then(text("{\"error\": \"bad token " + secret + "\"}"));
        McpOrchestrator o = orchestrator();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            o.call(new OrchestratorRequest.PlanTask("t", secret, Optional.empty(), "simple", "devops"));
            o.call(new OrchestratorRequest.PlanTask("t", secret, Optional.empty(), "simple", "devops"));
        } finally {
            System.setErr(original);
        }

        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("orchestrator_plan_task unconfirmed"), log);
        assertFalse(log.contains(secret), log);
    }
}
