package dev.mcphealth.application.port.out;

import dev.mcphealth.application.testkit.Answers;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.out.OutboxPort.Call;
import dev.mcphealth.application.port.out.OutboxPort.Entry;
import dev.mcphealth.application.port.out.OutboxPort.Replied;
import dev.mcphealth.application.port.out.OutboxPort.Skipped;
import dev.mcphealth.application.port.out.OutboxPort.State;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every {@link OutboxPort} does: entries numbered in the order they are added, across runs; each one pending,
 * claimed, put back or settled, and a settled one never changing again; everything read back as it was written
 * (requests and replies whole). Run against {@link InMemoryOutbox} and, in health-infrastructure,
 * against SQLite ({@code SqliteOutboxIT}).
 */
public abstract class OutboxContract {
    protected static final Instant T0 = Instant.parse("2026-11-23T10:00:00.125Z");
    protected static final Instant T1 = T0.plusSeconds(5);

    /** A fresh, empty outbox. */
    protected abstract OutboxPort outbox();

    /** A subtask's plan whose text has what JSON must escape: quotes, a backslash, new lines, non-ASCII. */
    protected static OrchestratorRequest.PlanTask subtask() {
        return new OrchestratorRequest.PlanTask("Recover files-1 \"now\"", "files-1 stopped answering:\n"
                + "timeout \\ 30 s, \u00e9t\u00e9 \u2014 \ud83d\ude80", Optional.of("task_00000001"), "simple", "devops");
    }

    /** Every request a run or reconciliation keeps, each case with and without its optional parts. */
    protected static List<OrchestratorRequest> everyKept() {
        return List.of(subtask(),
                new OrchestratorRequest.PlanTask("Check", "", Optional.empty(), "moderate", "devops"),
                new OrchestratorRequest.ExecuteTask(Optional.of("task_1a2b3c4d")),
                new OrchestratorRequest.CompleteTask(Optional.of("task_1a2b3c4d"), "2 servers healthy",
                        "Steps (2):\n- [completed] memory"),
                new OrchestratorRequest.UpdateTask(Optional.of("task_1a2b3c4d"), "completed", Optional.empty()),
                OrchestratorRequest.UpdateTask.failed(Optional.of("task_1a2b3c4d"), "Recover failed: timeout"));
    }

    protected static Call plan(String run) {
        return Call.of(run, new OrchestratorRequest.PlanTask("Recover", "down", Optional.empty(), "moderate",
                "devops"));
    }

    protected static Call update(String run, long planEntry) {
        return Call.withTaskFrom(run, new OrchestratorRequest.UpdateTask(Optional.empty(), "completed",
                Optional.empty()), planEntry);
    }

    @Test
    void anEntryComesBackAsAddedAndPending() {
        OutboxPort outbox = outbox();
        Call call = Call.of("recovery:files-1", subtask());

        long id = outbox.add(call, T0);

        Entry e = outbox.entry(id).orElseThrow();
        assertEquals(Entry.added(id, call, T0), e);
        assertEquals(subtask(), e.call().request());
    }

    @Test
    void everyKindOfRequestComesBackAsItWasKept() {
        OutboxPort outbox = outbox();
        for (OrchestratorRequest request : everyKept()) {
            long id = outbox.add(Call.of("r1", request), T0);

            assertEquals(request, outbox.entry(id).orElseThrow().call().request());
        }
    }

    @Test
    void entriesAreNumberedInTheOrderAddedAcrossRuns() {
        OutboxPort outbox = outbox();
        long a = outbox.add(plan("r1"), T0);
        long b = outbox.add(plan("r2"), T0);
        long c = outbox.add(update("r1", a), T1);

        assertTrue(a < b && b < c, a + " < " + b + " < " + c);
        assertEquals(List.of(a, b, c), ids(outbox.unsettled(0, 10)));
        assertEquals(List.of(a, c), ids(outbox.run("r1")));
        assertEquals(List.of(b), ids(outbox.run("r2")));
        assertEquals(List.of(), outbox.run("r3"));
        assertEquals(3, outbox.countUnsettled());
    }

    @Test
    void unsettledPagesAfterAnIdAndLeavesSettledOnesOut() {
        OutboxPort outbox = outbox();
        long a = outbox.add(plan("r1"), T0);
        long b = outbox.add(plan("r2"), T0);
        long c = outbox.add(plan("r3"), T0);
        long d = outbox.add(plan("r4"), T0);
        outbox.claim(b, plan("r2").request());
        outbox.settle(b, new Replied(new OrchestratorReply.Refused("no"), T1));
        outbox.claim(c, plan("r3").request());

        assertEquals(List.of(a, c), ids(outbox.unsettled(0, 2)), "a sending entry is unsettled");
        assertEquals(List.of(d), ids(outbox.unsettled(c, 2)));
        assertEquals(List.of(), outbox.unsettled(d, 2));
        assertEquals(3, outbox.countUnsettled());
    }

    @Test
    void aClaimMarksItSendingWithTheRequestSentAndCountsTheAttempt() {
        OutboxPort outbox = outbox();
        long a = outbox.add(plan("r1"), T0);
        long u = outbox.add(update("r1", a), T0);
        OrchestratorRequest sent = ((OrchestratorRequest.OfTask) update("r1", a).request()).forTask("task_1a2b3c4d");

        assertTrue(outbox.claim(u, sent));

        Entry e = outbox.entry(u).orElseThrow();
        assertEquals(State.SENDING, e.state());
        assertEquals(1, e.attempts());
        assertEquals(sent, e.call().request());
        assertEquals(update("r1", a).sent(sent), e.call());
        assertFalse(outbox.claim(u, sent), "a sending entry is not claimed again");
        assertEquals(1, outbox.entry(u).orElseThrow().attempts());
        assertFalse(outbox.claim(999, sent), "no such entry");
    }

    @Test
    void aRequestOfAnotherToolIsRefusedAndChangesNothing() {
        OutboxPort outbox = outbox();
        long a = outbox.add(plan("r1"), T0);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> outbox.claim(a, new OrchestratorRequest.ExecuteTask(Optional.of("task_1a2b3c4d"))));
        assertEquals("a orchestrator_plan_task entry cannot be sent as orchestrator_execute_task",
                refused.getMessage());

        assertEquals(Entry.added(a, plan("r1"), T0), outbox.entry(a).orElseThrow());
    }

    @Test
    void aReleasedEntryIsPendingAgainWithTheReasonAndItsAttempts() {
        OutboxPort outbox = outbox();
        long a = outbox.add(plan("r1"), T0);
        outbox.claim(a, plan("r1").request());
        outbox.release(a, "breaker open");
        outbox.claim(a, plan("r1").request());
        outbox.release(a, "no session");

        Entry e = outbox.entry(a).orElseThrow();
        assertEquals(new Entry(a, plan("r1"), T0, State.PENDING, 2, Optional.of("no session"), Optional.empty()), e);
    }

    @Test
    void everyReplyIsKeptWholeAndSettlesTheEntry() {
        OutboxPort outbox = outbox();
        Map<String, Object> json = Map.of("success", true, "task_id", "task_1a2b3c4d", "status", "pending",
                "created_at", "2026-11-23T10:00:05.5");
        List<OrchestratorReply> replies = List.of(new OrchestratorReply.Answered(
                        new dev.mcphealth.domain.orchestrator.OrchestratorAnswer.Planned(Optional.of("task_1a2b3c4d")),
                        "status=pending, success=true, task_id=task_1a2b3c4d", json),
                new OrchestratorReply.DoneDespiteError("{'status': 'error', 'error': \"'str' object is not a mapping\"}"),
                new OrchestratorReply.Refused("Task task_00000000 not found"),
                new OrchestratorReply.Unconfirmed("no answer within 30 s"));
        for (OrchestratorReply reply : replies) {
            long id = outbox.add(plan("r-" + reply.getClass().getSimpleName()), T0);
            outbox.claim(id, plan("r-" + reply.getClass().getSimpleName()).request());
            Replied ending = new Replied(reply, T1);

            outbox.settle(id, ending);

            Entry e = outbox.entry(id).orElseThrow();
            assertEquals(ending.state(), e.state());
            assertEquals(Optional.of(ending), e.ending());
            assertEquals(1, e.attempts());
        }
        assertEquals(0, outbox.countUnsettled());
        assertEquals(List.of(), outbox.unsettled(0, 10));
    }

    @Test
    void aSkippedEntryKeepsItsReason() {
        OutboxPort outbox = outbox();
        long a = outbox.add(plan("r1"), T0);
        long u = outbox.add(update("r1", a), T0);
        Skipped skipped = new Skipped("entry " + a + " was refused: no", T1);

        outbox.settle(u, skipped);

        assertEquals(new Entry(u, update("r1", a), T0, State.SKIPPED, 0, Optional.empty(), Optional.of(skipped)),
                outbox.entry(u).orElseThrow());
    }

    @Test
    void aSettledEntryNeverChangesAgain() {
        OutboxPort outbox = outbox();
        long a = outbox.add(plan("r1"), T0);
        outbox.claim(a, plan("r1").request());
        outbox.settle(a, new Replied(new OrchestratorReply.Unconfirmed("timeout"), T1));
        Entry settled = outbox.entry(a).orElseThrow();

        assertFalse(outbox.claim(a, plan("r1").request()));
        assertThrows(IllegalStateException.class, () -> outbox.release(a, "breaker open"));
        assertThrows(IllegalStateException.class,
                () -> outbox.settle(a, new Replied(Answers.ok(OrchestratorTool.PLAN_TASK), T1)));
        assertThrows(IllegalStateException.class, () -> outbox.settle(a, new Skipped("late", T1)));
        assertEquals(settled, outbox.entry(a).orElseThrow());
    }

    @Test
    void aReplySettlesOnlyASendingEntryAndASkipOnlyAPendingOne() {
        OutboxPort outbox = outbox();
        long a = outbox.add(plan("r1"), T0);
        long b = outbox.add(plan("r1"), T0);
        outbox.claim(b, plan("r1").request());

        IllegalStateException notSending = assertThrows(IllegalStateException.class,
                () -> outbox.settle(a, new Replied(new OrchestratorReply.Refused("no"), T1)));
        assertEquals("outbox entry " + a + " is pending, not sending", notSending.getMessage());
        assertThrows(IllegalStateException.class, () -> outbox.settle(b, new Skipped("why", T1)));
        IllegalStateException notClaimed = assertThrows(IllegalStateException.class, () -> outbox.release(a, "x"));
        assertEquals("outbox entry " + a + " is pending, not sending", notClaimed.getMessage());
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> outbox.release(999, "x"));
        assertEquals("no outbox entry 999", none.getMessage());
        assertEquals(State.PENDING, outbox.entry(a).orElseThrow().state());
        assertEquals(State.SENDING, outbox.entry(b).orElseThrow().state());
    }

    @Test
    void anEntryTakesItsTaskIdOnlyFromAnEntryOfItsOwnRun() {
        OutboxPort outbox = outbox();
        long a = outbox.add(plan("r1"), T0);

        IllegalArgumentException otherRun = assertThrows(IllegalArgumentException.class,
                () -> outbox.add(update("r2", a), T0));
        assertEquals("taskFrom " + a + " is not an entry of run \"r2\"", otherRun.getMessage());
        assertThrows(IllegalArgumentException.class, () -> outbox.add(update("r1", a + 1), T0),
                "not an earlier entry: there is none yet");
        assertEquals(List.of(a), ids(outbox.unsettled(0, 10)), "nothing added");
    }

    @Test
    void aTaskAnAnsweredClosingCallNamesIsKnown() {
        OutboxPort outbox = outbox();
        Call complete = Call.of("r1", new OrchestratorRequest.CompleteTask(Optional.of("task_0c0c0c0c"), "s", "w"));

        outbox.record(complete, T0, new Replied(Answers.completed("task_0c0c0c0c"), T1));

        assertTrue(outbox.knowsTask("task_0c0c0c0c"), "as plan_task's task, the one complete_task's answer names");
    }

    @Test
    void aRecordedCallIsSettledAtOnceAndNeverWaits() {
        OutboxPort outbox = outbox();
        Replied answered = new Replied(Answers.planned("task_0a0b0c0d"), T1);

        long p = outbox.record(plan("r1"), T0, answered);
        Skipped never = new Skipped("not sent: its plan's answer was lost", T1);
        long u = outbox.record(update("r1", p), T0, never);

        assertEquals(new Entry(p, plan("r1"), T0, State.ANSWERED, 1, Optional.empty(), Optional.of(answered)),
                outbox.entry(p).orElseThrow());
        assertEquals(new Entry(u, update("r1", p), T0, State.SKIPPED, 0, Optional.empty(), Optional.of(never)),
                outbox.entry(u).orElseThrow());
        assertEquals(List.of(), outbox.unsettled(0, 10));
        assertEquals(0, outbox.countUnsettled());
        assertEquals(List.of(p, u), ids(outbox.run("r1")));
        assertTrue(outbox.knowsTask("task_0a0b0c0d"));
        assertFalse(outbox.knowsTask("task_ffffffff"));
        IllegalArgumentException otherRun = assertThrows(IllegalArgumentException.class,
                () -> outbox.record(update("r2", p), T0, never));
        assertEquals("taskFrom " + p + " is not an entry of run \"r2\"", otherRun.getMessage());
        long lost = outbox.record(plan("r3"), T0, new Replied(new OrchestratorReply.Unconfirmed("timed out"), T1));
        assertEquals(State.UNCONFIRMED, outbox.entry(lost).orElseThrow().state());
    }

    @Test
    void reconciliationLooksAtEachSettledPlanOnce() {
        OutboxPort outbox = outbox();
        long waiting = outbox.add(plan("r1"), T0);
        long done = outbox.record(plan("r2"), T0, new Replied(Answers.planned("task_0a0b0c0d"), T1));
        long update = outbox.record(update("r2", done), T0, new Skipped("never", T1));
        long lost = outbox.record(plan("r3"), T0, new Replied(new OrchestratorReply.Unconfirmed("timed out"), T1));

        assertEquals(List.of(done, lost), ids(outbox.unreconciledPlans(0, 10)), "settled plans only");
        assertEquals(List.of(lost), ids(outbox.unreconciledPlans(done, 10)));
        assertEquals(List.of(done), ids(outbox.unreconciledPlans(0, 1)));

        outbox.reconciled(done, "closed: entry " + update, T1);

        assertEquals(List.of(lost), ids(outbox.unreconciledPlans(0, 10)));
        assertEquals(Optional.of("closed: entry " + update), outbox.reconciliation(done));
        assertEquals(Optional.empty(), outbox.reconciliation(lost));
        assertThrows(IllegalStateException.class, () -> outbox.reconciled(done, "again", T1), "once");
        assertThrows(IllegalStateException.class, () -> outbox.reconciled(update, "not a plan", T1));
        assertThrows(IllegalStateException.class, () -> outbox.reconciled(waiting, "not settled", T1));
        assertThrows(IllegalArgumentException.class, () -> outbox.reconciled(lost, " ", T1));
        assertEquals(Optional.of("closed: entry " + update), outbox.reconciliation(done), "unchanged");
        assertEquals(State.ANSWERED, outbox.entry(done).orElseThrow().state());
    }

    @Test
    void nothingIsNothing() {
        OutboxPort outbox = outbox();

        assertEquals(Optional.empty(), outbox.entry(1));
        assertEquals(List.of(), outbox.unsettled(0, 10));
        assertEquals(0, outbox.countUnsettled());
    }

    protected static List<Long> ids(List<Entry> entries) {
        return entries.stream().map(Entry::id).collect(Collectors.toList());
    }
}
