package dev.mcphealth.application.orchestrator;

import dev.mcphealth.application.testkit.Answers;
import dev.mcphealth.application.testkit.ScriptedOrchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase.Delivery;
import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase.Held;
import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase.Outcome;
import dev.mcphealth.application.port.in.DeliverOrchestratorUpdatesUseCase.Settled;
import dev.mcphealth.application.port.out.InMemoryOutbox;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.port.out.OutboxPort.Call;
import dev.mcphealth.application.port.out.OutboxPort.State;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The outbox's delivery with a scripted orchestrator over the in-memory outbox: order, holding, never twice. */
class OrchestratorOutboxServiceTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final String TASK = "task_1a2b3c4d";

    private final TestClock clock = new TestClock(T0);
    private final InMemoryOutbox outbox = new InMemoryOutbox();
    private final ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    private final OrchestratorOutboxService service = new OrchestratorOutboxService(orchestrator, outbox, clock);

    private static Call plan(String run, String title) {
        return Call.of(run, new OrchestratorRequest.PlanTask(title, "down", Optional.empty(), "moderate", "devops"));
    }

    private static Call update(String run, long planEntry, String status) {
        return Call.withTaskFrom(run, new OrchestratorRequest.UpdateTask(Optional.empty(), status, Optional.empty()),
                planEntry);
    }

    private static OrchestratorReply.Answered planned(String taskId) {
        return Answers.plannedPending(taskId);
    }

    /** A plan's title, an update's status, or else the tool's short name. */
    private static List<Object> titles(List<ScriptedOrchestrator.Call> calls) {
        return calls.stream().map(c -> c.request() instanceof OrchestratorRequest.PlanTask p ? p.title()
                : c.request() instanceof OrchestratorRequest.UpdateTask u ? u.status() : c.tool().shortName())
                .collect(Collectors.toList());
    }

    /** The task id a call about a task was sent with. */
    private static Optional<String> task(ScriptedOrchestrator.Call c) {
        return ((OrchestratorRequest.OfTask) c.request()).taskId();
    }

    private static List<Long> entries(List<Settled> settled) {
        return settled.stream().map(Settled::entry).collect(Collectors.toList());
    }

    private OutboxPort.Entry entry(long id) {
        return outbox.entry(id).orElseThrow();
    }

    @Test
    void entriesGoOutInTheOrderTheyWereCreatedAcrossRuns() {
        long a = service.enqueue(plan("r1", "a"));
        long b = service.enqueue(plan("r2", "b"));
        long c = service.enqueue(Call.of("r1", new OrchestratorRequest.GetStatus(false)));
        long d = service.enqueue(plan("r3", "d"));

        Delivery delivery = service.deliverPending();

        assertEquals(List.of("a", "b", "get_status", "d"), titles(orchestrator.calls()));
        assertEquals(List.of(a, b, c, d), entries(delivery.settled()));
        assertEquals(Optional.empty(), delivery.held());
        assertEquals(0, delivery.left());
        assertEquals(new Settled(b, "r2", "orchestrator_plan_task", Outcome.ANSWERED, "status=ok"),
                delivery.settled().get(1));
        assertEquals(State.ANSWERED, entry(a).state());
    }

    @Test
    void theTaskIdThePlanEntryObtainedGoesIntoTheRequest() {
        orchestrator.then(planned(TASK));
        long p = service.enqueue(plan("r1", "recover files-1"));
        long u = service.enqueue(update("r1", p, "completed"));

        Delivery delivery = service.deliverPending();

        OrchestratorRequest.UpdateTask sent = new OrchestratorRequest.UpdateTask(Optional.of(TASK), "completed",
                Optional.empty());
        assertEquals(List.of(new ScriptedOrchestrator.Call(plan("r1", "recover files-1").request()),
                new ScriptedOrchestrator.Call(sent)), orchestrator.calls());
        assertEquals("status=pending, success=true, task_id=" + TASK, delivery.settled().get(0).detail());
        assertEquals(sent, entry(u).call().request(), "the entry keeps the request it was sent as");
    }

    @Test
    void aTaskIdInTheRequestIsReplacedByTheOneObtained() {
        orchestrator.then(planned(TASK));
        long p = service.enqueue(plan("r1", "p"));
        service.enqueue(Call.withTaskFrom("r1", new OrchestratorRequest.CompleteTask(Optional.of("stale"), "s", "w"),
                p));

        service.deliverPending();

        assertEquals(Optional.of(TASK), task(orchestrator.calls().get(1)));
    }

    @Test
    void aDeliveryStopsAtTheFirstCallTheOrchestratorDoesNotGetAndKeepsTheRestInOrder() {
        orchestrator.away("breaker open");
        long a = service.enqueue(plan("r1", "a"));
        service.enqueue(plan("r2", "b"));
        service.enqueue(plan("r1", "c"));

        Delivery away = service.deliverPending();

        assertEquals(1, orchestrator.calls().size(), "only the first is tried");
        assertEquals(List.of(), away.settled());
        assertEquals(Optional.of(new Held(a, "r1", "orchestrator_plan_task", "breaker open")), away.held());
        assertEquals(3, away.left());
        assertEquals(new OutboxPort.Entry(a, plan("r1", "a"), T0, State.PENDING, 1, Optional.of("breaker open"),
                Optional.empty()), entry(a));

        orchestrator.back();
        Delivery back = service.deliverPending();

        assertEquals(List.of("a", "b", "c"), titles(orchestrator.received()));
        assertEquals(3, back.delivered().size());
        assertEquals(0, back.left());
        assertEquals(2, entry(a).attempts());
    }

    @Test
    void whatWasDeliveredBeforeTheOrchestratorWentAwayStaysDelivered() {
        orchestrator.then(Answers.ok(OrchestratorTool.PLAN_TASK),
                new OrchestratorReply.NotDelivered("connection refused"));
        long a = service.enqueue(plan("r1", "a"));
        long b = service.enqueue(plan("r1", "b"));
        service.enqueue(plan("r1", "c"));

        Delivery first = service.deliverPending();

        assertEquals(List.of(a), entries(first.settled()));
        assertEquals(b, first.held().orElseThrow().entry());
        assertEquals(2, first.left());
        Delivery second = service.deliverPending();
        assertEquals(List.of("a", "b", "c"), titles(orchestrator.received()));
        assertEquals(List.of(b, b + 1), entries(second.settled()));
    }

    @Test
    void aRefusedOrUnconfirmedCallIsSettledAndNeverSentAgain() {
        orchestrator.then(new OrchestratorReply.Refused("Task task_00000000 not found"),
                new OrchestratorReply.Unconfirmed("no answer within 30 s"),
                new OrchestratorReply.DoneDespiteError("{'status': 'error', 'error': \"'str' object is not a mapping\"}"));
        long a = service.enqueue(plan("r1", "a"));
        long b = service.enqueue(plan("r1", "b"));
        long c = service.enqueue(plan("r1", "c"));

        Delivery delivery = service.deliverPending();
        service.deliverPending();
        new OrchestratorOutboxService(orchestrator, outbox, clock).deliverPending();

        assertEquals(3, orchestrator.calls().size(), "each sent once, also after a restart");
        assertEquals(List.of(Outcome.REFUSED, Outcome.UNCONFIRMED, Outcome.DONE_DESPITE_ERROR),
                delivery.settled().stream().map(Settled::outcome).collect(Collectors.toList()));
        assertEquals("Task task_00000000 not found", delivery.settled().get(0).detail());
        assertEquals(State.REFUSED, entry(a).state());
        assertEquals(State.UNCONFIRMED, entry(b).state());
        assertEquals(State.DONE_DESPITE_ERROR, entry(c).state());
        assertEquals(new OutboxPort.Replied(new OrchestratorReply.Unconfirmed("no answer within 30 s"), T0),
                entry(b).ending().orElseThrow());
    }

    @Test
    void anEntryWhosePlanObtainedNoTaskIdIsSkippedWithTheReasonNotSent() {
        orchestrator.then(new OrchestratorReply.Refused("title is required"),
                new OrchestratorReply.Unconfirmed("timeout after 30 s"),
                new OrchestratorReply.Answered(new dev.mcphealth.domain.orchestrator.OrchestratorAnswer.Planned(
                        Optional.empty()), "status=error?", Map.of("status", "error?")));
        long refused = service.enqueue(plan("r1", "p1"));
        long u1 = service.enqueue(update("r1", refused, "completed"));
        long unconfirmed = service.enqueue(plan("r2", "p2"));
        long u2 = service.enqueue(update("r2", unconfirmed, "completed"));
        long noTaskId = service.enqueue(plan("r3", "p3"));
        long u3 = service.enqueue(update("r3", noTaskId, "completed"));
        long u4 = service.enqueue(update("r3", u3, "archived"));

        Delivery delivery = service.deliverPending();

        assertEquals(List.of("p1", "p2", "p3"), titles(orchestrator.calls()), "only the plans are sent");
        assertEquals(List.of(u1, u2, u3, u4), entries(delivery.skipped()));
        assertEquals(List.of(
                "entry 1 (orchestrator_plan_task), which it takes its task_id from, was refused: title is required",
                "entry 3 (orchestrator_plan_task), which it takes its task_id from, is unconfirmed (timeout after 30 s),"
                        + " so no task_id is known",
                "entry 5 (orchestrator_plan_task), which it takes its task_id from, answered without a task_id",
                "entry 6 (orchestrator_update_task), which it takes its task_id from, was skipped: entry 5"
                        + " (orchestrator_plan_task), which it takes its task_id from, answered without a task_id"),
                delivery.skipped().stream().map(Settled::detail).collect(Collectors.toList()));
        assertEquals(new OutboxPort.Skipped(delivery.skipped().get(0).detail(), T0), entry(u1).ending().orElseThrow());
        assertEquals(0, entry(u1).attempts());
        assertEquals(0, delivery.left());
    }

    @Test
    void aNewServiceOverTheSameOutboxContinuesWhereTheOldOneLeftOff() {
        orchestrator.then(planned(TASK), new OrchestratorReply.NotDelivered("breaker open"));
        long p = service.enqueue(plan("r1", "plan"));
        service.enqueue(update("r1", p, "in_progress"));
        service.enqueue(update("r1", p, "completed"));
        service.deliverPending();
        assertEquals(1, orchestrator.received().size());

        clock.advance(Duration.ofMinutes(5));
        OrchestratorOutboxService restarted = new OrchestratorOutboxService(orchestrator, outbox, clock);
        Delivery delivery = restarted.deliverPending();

        assertEquals(List.of("plan", "in_progress", "completed"), titles(orchestrator.received()));
        assertEquals(List.of(TASK, TASK), orchestrator.received().subList(1, 3).stream()
                .map(c -> task(c).orElse(null)).collect(Collectors.toList()));
        assertEquals(2, delivery.delivered().size());
        assertEquals(T0.plus(Duration.ofMinutes(5)), entry(p + 2).ending().orElseThrow().at());
    }

    @Test
    void aCallSentJustBeforeTheProcessStoppedIsUnconfirmedAfterTheRestartNotSentAgain() {
        long a = service.enqueue(plan("r1", "a"));
        long b = service.enqueue(plan("r1", "b"));
        outbox.failNext(InMemoryOutbox.Operation.SETTLE); // the reply came, the process died before storing it

        assertThrows(StorageUnavailableException.class, service::deliverPending);
        assertEquals(State.SENDING, entry(a).state());

        OrchestratorOutboxService restarted = new OrchestratorOutboxService(orchestrator, outbox, clock);
        Delivery delivery = restarted.deliverPending();

        assertEquals(List.of("a", "b"), titles(orchestrator.received()), "a is never sent again");
        assertEquals(new Settled(a, "r1", "orchestrator_plan_task", Outcome.UNCONFIRMED,
                OrchestratorOutboxService.INTERRUPTED), delivery.settled().get(0));
        assertEquals(State.UNCONFIRMED, entry(a).state());
        assertEquals(State.ANSWERED, entry(b).state());
    }

    @Test
    void aReplyTheStoreCouldNotTakeIsStoredByTheNextDeliveryWithoutSendingAgain() {
        orchestrator.then(planned(TASK));
        long p = service.enqueue(plan("r1", "plan"));
        service.enqueue(update("r1", p, "completed"));
        outbox.failNext(InMemoryOutbox.Operation.SETTLE);

        assertThrows(StorageUnavailableException.class, service::deliverPending);
        Delivery delivery = service.deliverPending();

        assertEquals(List.of("plan", "completed"), titles(orchestrator.calls()));
        assertEquals(Optional.of(TASK), task(orchestrator.calls().get(1)));
        assertEquals(new OutboxPort.Replied(planned(TASK), T0), entry(p).ending().orElseThrow());
        assertEquals(List.of(Outcome.ANSWERED, Outcome.ANSWERED),
                delivery.settled().stream().map(Settled::outcome).collect(Collectors.toList()));
    }

    @Test
    void aCallNotDeliveredThatTheStoreCouldNotPutBackIsSentAgainLater() {
        orchestrator.away("no session");
        long a = service.enqueue(plan("r1", "a"));
        outbox.failNext(InMemoryOutbox.Operation.RELEASE);

        assertThrows(StorageUnavailableException.class, service::deliverPending);
        assertEquals(State.SENDING, entry(a).state());
        orchestrator.back();
        Delivery delivery = service.deliverPending();

        assertEquals(List.of("a"), titles(orchestrator.received()));
        assertEquals(2, orchestrator.calls().size());
        assertEquals(List.of(a), entries(delivery.delivered()));
        assertEquals(new OutboxPort.Entry(a, plan("r1", "a"), T0, State.ANSWERED, 2, Optional.of("no session"),
                entry(a).ending()), entry(a));
    }

    @Test
    void aClaimTheStoreRefusesSendsNothing() {
        service.enqueue(plan("r1", "a"));
        outbox.failNext(InMemoryOutbox.Operation.CLAIM);

        assertThrows(StorageUnavailableException.class, service::deliverPending);

        assertEquals(List.of(), orchestrator.calls());
        assertEquals(1, service.deliverPending().delivered().size());
    }

    @Test
    void aPortThatThrowsLeavesTheCallUnconfirmedAndTheDeliveryGoesOn() {
        OrchestratorOutboxService s = new OrchestratorOutboxService(new OrchestratorPort() {
            @Override
            public ServerId server() {
                return orchestrator.server();
            }

            @Override
            public dev.mcphealth.domain.model.BreakerState breaker() {
                return dev.mcphealth.domain.model.BreakerState.CLOSED;
            }

            @Override
            public OrchestratorReply call(OrchestratorRequest request) {
                if (request instanceof OrchestratorRequest.PlanTask p && "a".equals(p.title())) {
                    throw new IllegalStateException("bug");
                }
                return orchestrator.call(request);
            }
        }, outbox, clock);
        long a = s.enqueue(plan("r1", "a"));
        s.enqueue(plan("r1", "b"));

        Delivery delivery = s.deliverPending();

        assertEquals(List.of(Outcome.UNCONFIRMED, Outcome.ANSWERED),
                delivery.settled().stream().map(Settled::outcome).collect(Collectors.toList()));
        // its message, never its class: the detail is stored in the outbox and shown to clients
        assertEquals("the call failed unexpectedly: bug", delivery.settled().get(0).detail());
        assertEquals(State.UNCONFIRMED, entry(a).state());
    }

    @Test
    void moreThanAPageIsDeliveredInOneGoInOrder() {
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < OrchestratorOutboxService.PAGE * 2 + 7; i++) {
            service.enqueue(plan("r" + (i % 3), "t" + i));
            expected.add("t" + i);
        }

        Delivery delivery = service.deliverPending();

        assertEquals(expected, titles(orchestrator.received()));
        assertEquals(expected.size(), delivery.delivered().size());
        assertEquals(0, delivery.left());
    }

    @Test
    void enqueuingStoresTheCallAndWakesTheDelivery() {
        AtomicInteger wakes = new AtomicInteger();
        service.onWork(wakes::incrementAndGet);
        clock.advance(Duration.ofSeconds(3));

        long a = service.enqueue(plan("r1", "a"));

        assertEquals(1, wakes.get());
        assertEquals(OutboxPort.Entry.added(a, plan("r1", "a"), T0.plusSeconds(3)), entry(a));
        assertTrue(service.waiting("r1"));
        assertFalse(service.waiting("r2"));
        assertEquals(1, service.waiting());
        service.deliverPending();
        assertFalse(service.waiting("r1"));
        assertEquals(0, service.waiting());
    }

    @Test
    void anEntryMayOnlyTakeItsTaskIdFromItsOwnRun() {
        long p = service.enqueue(plan("r1", "p"));

        assertThrows(IllegalArgumentException.class, () -> service.enqueue(update("r2", p, "completed")));
    }

    @Test
    void nothingWaitingIsNothingDelivered() {
        assertEquals(Delivery.NOTHING, service.deliverPending());
        assertEquals(List.of(), orchestrator.calls());
    }

    @Test
    void aLongErrorIsCutInTheReport() {
        orchestrator.then(new OrchestratorReply.Refused("x".repeat(1000)));
        service.enqueue(plan("r1", "a"));

        String detail = service.deliverPending().settled().get(0).detail();

        assertEquals(OrchestratorOutboxService.DETAIL_LENGTH, detail.length());
        assertTrue(detail.endsWith("…"));
    }

    @Test
    void aDeliveryInFlightIsNoBacklogButAnEntryWaitingBehindItIs() {
        List<Boolean> seenDuringCall = new java.util.ArrayList<>();
        OrchestratorOutboxService[] self = new OrchestratorOutboxService[1];
        self[0] = new OrchestratorOutboxService(new OrchestratorPort() {
            @Override
            public ServerId server() {
                return orchestrator.server();
            }

            @Override
            public dev.mcphealth.domain.model.BreakerState breaker() {
                return dev.mcphealth.domain.model.BreakerState.CLOSED;
            }

            @Override
            public OrchestratorReply call(OrchestratorRequest request) {
                seenDuringCall.add(self[0].backlog());
                return planned(TASK);
            }
        }, outbox, clock);
        self[0].enqueue(plan("r1", "a"));
        self[0].enqueue(plan("r2", "b"));
        assertEquals(true, self[0].backlog());

        self[0].deliverPending();

        assertEquals(List.of(true, false), seenDuringCall,
                "while a is out, b still waits behind it; while b is out, nothing waits");
        assertEquals(false, self[0].backlog());
    }
    @Test
    void aRecordedCallIsNeverDeliveredAndALostAnswerCallsTheListeners() {
        java.util.concurrent.atomic.AtomicInteger lost = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger woken = new java.util.concurrent.atomic.AtomicInteger();
        service.onLost(lost::incrementAndGet);
        service.onWork(woken::incrementAndGet);

        long p = service.record(plan("r1", "a"), T0, new OutboxPort.Replied(planned(TASK), T0));
        service.record(update("r1", p, "failed"), T0, new OutboxPort.Replied(
                new OrchestratorReply.Unconfirmed("no answer in 30 s"), T0));

        assertEquals(1, lost.get(), "only the unconfirmed one");
        assertEquals(0, woken.get(), "nothing to deliver");
        assertEquals(0, service.waiting());
        assertEquals(List.of(), service.deliverPending().settled());
        assertEquals(List.of(), orchestrator.calls(), "a recorded call is never sent");
    }
}
