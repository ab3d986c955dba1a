package dev.mcphealth.application.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.testkit.Answers;
import dev.mcphealth.application.port.in.ReconcileOrchestratorTasksUseCase.Reconciled;
import dev.mcphealth.application.port.in.ReconcileOrchestratorTasksUseCase.Reconciliation;
import dev.mcphealth.application.port.in.ReconcileOrchestratorTasksUseCase.Verdict;
import dev.mcphealth.application.port.out.InMemoryOrchestratorIntegrationLog;
import dev.mcphealth.application.port.out.InMemoryOutbox;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationStatus;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationType;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.port.out.OutboxPort.Call;
import dev.mcphealth.application.port.out.OutboxPort.Replied;
import dev.mcphealth.application.port.out.OutboxPort.Skipped;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.domain.model.ServerId;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReconcileOrchestratorTasksServiceTest {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final String TITLE = "Health Monitoring: health_check";
    static final String DESCRIPTION = "Execute health_check health monitoring with orchestrator integration";

    /**
     * A TEST DOUBLE of the orchestrator that keeps tasks as the contract describes them: get_status lists the open ones
     * (active_tasks, pending_tasks: {tasks[], total_count, has_more}); complete_task completes a task, update_task
     * sets its status and answers its known error (done despite it). Every call is kept; while away none is got.
     */
    static final class TaskKeepingOrchestrator implements OrchestratorPort {
        final Map<String, Map<String, Object>> tasks = new LinkedHashMap<>();
        final List<OrchestratorTool> calls = new ArrayList<>();
        final List<OrchestratorRequest> requests = new ArrayList<>();
        final Map<OrchestratorTool, OrchestratorReply> next = new HashMap<>();
        boolean away;

        void task(String id, String status, String title, String description, Instant created) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("task_id", id);
            t.put("title", title);
            t.put("description", description);
            t.put("status", status);
            t.put("created_at", LocalDateTime.ofInstant(created, ZoneOffset.UTC).toString());
            tasks.put(id, t);
        }

        String status(String id) {
            return (String) tasks.get(id).get("status");
        }

        @Override
        public ServerId server() {
            return ServerId.of("orchestrator");
        }

        @Override
        public BreakerState breaker() {
            return BreakerState.CLOSED;
        }

        @Override
        public OrchestratorReply call(OrchestratorRequest request) {
            if (away) {
                return new OrchestratorReply.NotDelivered("breaker open");
            }
            OrchestratorTool tool = request.tool();
            calls.add(tool);
            requests.add(request);
            OrchestratorReply scripted = next.remove(tool);
            if (scripted != null) {
                return scripted;
            }
            switch (tool) {
                case GET_STATUS:
                    Map<String, OrchestratorAnswer.TaskList> lists = new LinkedHashMap<>();
                    lists.put("active", typed("active", "in_progress"));
                    lists.put("pending", typed("pending"));
                    lists.put("failed", typed("failed"));
                    return new OrchestratorReply.Answered(new OrchestratorAnswer.StatusReport(Optional.empty(),
                            Optional.empty(), lists, Optional.empty()), "status=status_retrieved", Map.of("status",
                            "status_retrieved", "active_tasks", list("active", "in_progress"), "pending_tasks",
                            list("pending"), "failed_tasks", list("failed"),
                            "task_summary", Map.of("total_active", 12, "total_pending", 12, "total_failed", 12)));
                case COMPLETE_TASK:
                    OrchestratorRequest.CompleteTask complete = (OrchestratorRequest.CompleteTask) request;
                    String completed = complete.taskId().orElseThrow();
                    tasks.get(completed).put("status", "completed");
                    tasks.get(completed).put("summary", complete.summary());
                    return new OrchestratorReply.Answered(new OrchestratorAnswer.Taken(Optional.of(completed)),
                            "status=success, task_id=" + completed, Map.of("status", "success", "task_id",
                            completed));
                case UPDATE_TASK:
                    OrchestratorRequest.UpdateTask update = (OrchestratorRequest.UpdateTask) request;
                    String updated = update.taskId().orElseThrow();
                    tasks.get(updated).put("status", update.status());
                    update.description().ifPresent(d -> tasks.get(updated).put("description", d));
                    return new OrchestratorReply.DoneDespiteError("{'status': 'error', 'error': \"Handler error: "
                            + "'str' object is not a mapping\"}");
                default:
                    throw new AssertionError("reconciliation must never send " + tool.code());
            }
        }

        /** A list as the adapter reads it. */
        private OrchestratorAnswer.TaskList typed(String... statuses) {
            List<OrchestratorAnswer.ListedTask> open = tasks.values().stream()
                    .filter(t -> List.of(statuses).contains(t.get("status")))
                    .map(t -> new OrchestratorAnswer.ListedTask(Optional.of((String) t.get("task_id")),
                            Optional.ofNullable((String) t.get("title")),
                            Optional.ofNullable((String) t.get("description")),
                            Optional.ofNullable((String) t.get("parent_task_id")),
                            Optional.of(LocalDateTime.parse((String) t.get("created_at")).toInstant(ZoneOffset.UTC)),
                            true))
                    .toList();
            return new OrchestratorAnswer.TaskList(open.size(), false, open);
        }

        private Map<String, Object> list(String... statuses) {
            List<Object> open = tasks.values().stream().filter(t -> List.of(statuses).contains(t.get("status")))
                    .map(t -> (Object) new LinkedHashMap<>(t)).toList();
            return Map.of("success", true, "tasks", open, "total_count", open.size(), "page_count", 1,
                    "current_page", 1, "page_size", 100, "has_more", false);
        }
    }

    final TaskKeepingOrchestrator orchestrator = new TaskKeepingOrchestrator();
    final InMemoryOutbox outbox = new InMemoryOutbox();
    final InMemoryOrchestratorIntegrationLog log = new InMemoryOrchestratorIntegrationLog();
    final TestClock clock = new TestClock(T0.plus(Duration.ofHours(1)));
    final Map<String, RunHere> here = new HashMap<>();
    final ReconcileOrchestratorTasksService service = new ReconcileOrchestratorTasksService(orchestrator, outbox, log,
            run -> here.getOrDefault(run, RunHere.NOT_HERE), Duration.ofMinutes(15),
            clock);

    private static OrchestratorRequest.PlanTask plan(String title, String description) {
        return new OrchestratorRequest.PlanTask(title, description, Optional.empty(), "moderate", "devops");
    }

    private static OrchestratorRequest.CompleteTask complete(String summary) {
        return new OrchestratorRequest.CompleteTask(Optional.empty(), summary, "probed 2 servers");
    }

    private static OrchestratorRequest.UpdateTask failed(String description) {
        return OrchestratorRequest.UpdateTask.failed(Optional.empty(), description);
    }

    private long planned(String run, String taskId, Instant at) {
        return outbox.record(Call.of(run, plan(TITLE, DESCRIPTION)), at,
                new Replied(new OrchestratorReply.Answered(new OrchestratorAnswer.Planned(Optional.of(taskId)),
                        "success=true, task_id=" + taskId, Map.of("success", true, "task_id", taskId)),
                        at.plusMillis(20)));
    }

    private long lostPlan(String run, Instant at) {
        return outbox.record(Call.of(run, plan(TITLE, DESCRIPTION)), at,
                new Replied(new OrchestratorReply.Unconfirmed("no answer in 30 s"), at.plusSeconds(30)));
    }

    private long made(String run, OrchestratorRequest request, OrchestratorReply reply, Instant at) {
        return outbox.record(Call.of(run, request), at, new Replied(reply, at.plusMillis(20)));
    }

    private static OrchestratorRequest with(String taskId, OrchestratorRequest.OfTask request) {
        return request.forTask(taskId);
    }

    private static Reconciled only(Reconciliation r) {
        assertEquals(1, r.tasks().size(), r.toString());
        return r.tasks().get(0);
    }

    @Test
    void aCompleteTaskWhoseAnswerWasLostIsSentAgainWhileTheTaskIsOpenAndOnlyOnce() {
        long p = planned("r1", "task_0000000a", T0);
        made("r1", new OrchestratorRequest.ExecuteTask(Optional.of("task_0000000a")),
                Answers.taken("ready_for_execution"), T0);
        made("r1", with("task_0000000a", complete("2 servers healthy")),
                new OrchestratorReply.Unconfirmed("MCP Health stopped while it was being sent"), T0);
        orchestrator.task("task_0000000a", "pending", TITLE, DESCRIPTION, T0);

        Reconciliation r = service.reconcile();

        Reconciled t = only(r);
        assertEquals(Verdict.COMPLETED, t.verdict(), t.toString());
        assertEquals(Optional.of("task_0000000a"), t.taskId());
        assertTrue(t.detail().contains("unconfirmed") && t.detail().contains("completed"), t.detail());
        assertEquals("completed", orchestrator.status("task_0000000a"));
        assertEquals("Reconciled by MCP Health: 2 servers healthy", orchestrator.tasks.get("task_0000000a")
                .get("summary"));
        assertEquals(List.of(OrchestratorTool.GET_STATUS, OrchestratorTool.COMPLETE_TASK), orchestrator.calls);
        assertEquals(new OrchestratorRequest.GetStatus(false), orchestrator.requests.get(0));
        assertFalse(r.again());
        OutboxPort.Entry closing = outbox.run("r1").get(3);
        assertEquals(OrchestratorTool.COMPLETE_TASK, closing.tool());
        assertEquals(OutboxPort.State.ANSWERED, closing.state(), "the closing call is on the run's record");
        assertEquals(java.util.OptionalLong.of(p), closing.call().taskFrom());
        assertTrue(outbox.reconciliation(p).orElseThrow().startsWith("completed (task_0000000a): "));
        var row = log.recent(IntegrationType.EXTERNAL_MONITORING, 10);
        assertEquals(1, row.size());
        assertEquals(OrchestratorTool.GET_STATUS, row.get(0).tool());
        assertEquals(IntegrationStatus.ACTIVE, row.get(0).status());
        assertTrue(String.valueOf(row.get(0).results().get("reconciliation")).contains("task_0000000a"));

        Reconciliation again = service.reconcile();

        assertEquals(List.of(), again.tasks(), "a task is looked at once");
        assertEquals(2, orchestrator.calls.size(), "nothing sent twice");
    }

    @Test
    void failedWorkWhoseUpdateWasLostIsMarkedFailed() {
        planned("r1", "task_0000000a", T0);
        made("r1", with("task_0000000a", failed(TITLE + " failed: everything is down")), new OrchestratorReply.Unconfirmed("timeout"),
                T0);
        orchestrator.task("task_0000000a", "in_progress", TITLE, DESCRIPTION, T0);

        Reconciled t = only(service.reconcile());

        assertEquals(Verdict.FAILED, t.verdict(), t.toString());
        assertEquals("failed", orchestrator.status("task_0000000a"));
        assertTrue(((String) orchestrator.tasks.get("task_0000000a").get("description")).startsWith(TITLE
                + " failed: everything is down (reconciled by MCP Health: "), "says it was reconciled");
        assertEquals(List.of(OrchestratorTool.GET_STATUS, OrchestratorTool.UPDATE_TASK), orchestrator.calls);
    }

    @Test
    void aTaskThatIsNoLongerOpenGetsNothing() {
        long p = planned("r1", "task_0000000a", T0);
        made("r1", with("task_0000000a", complete("done")),
                new OrchestratorReply.Unconfirmed("it died"), T0);
        orchestrator.task("task_0000000a", "completed", TITLE, DESCRIPTION, T0);

        Reconciled t = only(service.reconcile());

        assertEquals(Verdict.NOT_OPEN, t.verdict());
        assertEquals(List.of(OrchestratorTool.GET_STATUS), orchestrator.calls, "the lost complete_task had acted");
        assertTrue(outbox.reconciliation(p).isPresent());
    }

    @Test
    void aTaskWhosePlanWasLostIsFoundByItsTitleDescriptionAndTimeAndClosedAsItsRecordSays() {
        long p = lostPlan("r1", T0);
        outbox.record(Call.withTaskFrom("r1", complete("2 servers healthy"), p),
                T0.plusSeconds(31), new Skipped("not sent: the answer to its plan_task was lost", T0.plusSeconds(31)));
        // another run's task with the same title, which MCP Health knows
        planned("r0", "task_00000001", T0.plusSeconds(5));
        made("r0", with("task_00000001", complete("x")),
                Answers.taken("success"), T0.plusSeconds(6));
        orchestrator.task("task_00000001", "pending", TITLE, DESCRIPTION, T0.plusSeconds(5));
        orchestrator.task("task_00000002", "pending", TITLE, DESCRIPTION, T0.minus(Duration.ofHours(3)));
        orchestrator.task("task_00000003", "pending", TITLE, "another description", T0.plusSeconds(1));
        orchestrator.task("task_00000004", "pending", TITLE, DESCRIPTION, T0.plusSeconds(2));

        Reconciliation r = service.reconcile();

        Reconciled t = r.tasks().stream().filter(x -> x.planEntry() == p).findFirst().orElseThrow();
        assertEquals(Verdict.COMPLETED, t.verdict(), r.toString());
        assertEquals(Optional.of("task_00000004"), t.taskId());
        assertTrue(t.detail().contains("found open by its title, description and time"), t.detail());
        assertEquals("completed", orchestrator.status("task_00000004"));
        for (String untouched : List.of("task_00000001", "task_00000002", "task_00000003")) {
            assertEquals("pending", orchestrator.status(untouched), untouched);
        }
        assertEquals(List.of(OrchestratorTool.GET_STATUS, OrchestratorTool.COMPLETE_TASK), orchestrator.calls);
        assertEquals(Verdict.SEEN_CLOSED, r.tasks().stream().filter(x -> x.run().equals("r0")).findFirst()
                .orElseThrow().verdict());
    }

    @Test
    void aLostPlanWithSeveralCandidatesOrNoneIsLeftAlone() {
        long p = lostPlan("r1", T0);
        orchestrator.task("task_00000001", "pending", TITLE, DESCRIPTION, T0.plusSeconds(1));
        orchestrator.task("task_00000002", "pending", TITLE, DESCRIPTION, T0.plusSeconds(2));
        long q = outbox.record(Call.of("r2", plan("Failover Coordination: db", "x")),
                T0, new Replied(new OrchestratorReply.Unconfirmed("no answer"), T0.plusSeconds(30)));

        Reconciliation r = service.reconcile();

        assertEquals(Verdict.AMBIGUOUS, r.tasks().get(0).verdict(), r.toString());
        assertTrue(r.tasks().get(0).detail().contains("task_00000001, task_00000002"), r.tasks().get(0).detail());
        assertEquals(Verdict.NOT_FOUND, r.tasks().get(1).verdict());
        assertEquals(List.of(OrchestratorTool.GET_STATUS), orchestrator.calls);
        assertTrue(outbox.reconciliation(p).isPresent() && outbox.reconciliation(q).isPresent());
    }

    @Test
    void aRunMcpHealthStoppedInIsTakenAsFailed() {
        planned("r1", "task_0000000a", T0);
        made("r1", new OrchestratorRequest.ExecuteTask(Optional.of("task_0000000a")),
                Answers.taken("ready_for_execution"), T0);
        orchestrator.task("task_0000000a", "pending", TITLE, DESCRIPTION, T0);

        Reconciled t = only(service.reconcile());

        assertEquals(Verdict.FAILED, t.verdict());
        assertTrue(t.detail().contains("stopped before the work ended"), t.detail());
        assertEquals("failed", orchestrator.status("task_0000000a"));
    }

    @Test
    void tasksSeenClosedOrNeverCreatedNeedNoOrchestratorAtAll() {
        planned("r1", "task_0000000a", T0);
        made("r1", with("task_0000000a", failed("x")), new OrchestratorReply.DoneDespiteError("{'status': 'error'}"), T0);
        outbox.record(Call.of("r2", plan(TITLE, DESCRIPTION)), T0,
                new Replied(new OrchestratorReply.Refused("Input validation error"), T0));

        Reconciliation r = service.reconcile();

        assertEquals(List.of(Verdict.SEEN_CLOSED, Verdict.NO_TASK), r.tasks().stream().map(Reconciled::verdict)
                .toList());
        assertEquals(List.of(), orchestrator.calls);
        assertEquals(List.of(), r.notable());
        assertEquals(List.of(), log.recent(IntegrationType.EXTERNAL_MONITORING, 10), "nothing asked, no row");
    }

    @Test
    void aRunThatIsRunningOrWaitsInTheOutboxOrIsAnotherProcesssAndRecentIsLeftForLater() {
        Instant recent = clock.instant().minus(Duration.ofMinutes(1));
        planned("live", "task_00000001", T0);
        planned("waits", "task_00000002", T0);
        outbox.add(Call.of("waits", with("task_00000002", complete("x"))), T0);
        planned("elsewhere", "task_00000003", recent);
        planned("mine", "task_00000004", recent);
        here.put("live", RunHere.LIVE);
        here.put("mine", RunHere.FINISHED);
        for (int i = 1; i <= 4; i++) {
            orchestrator.task("task_0000000" + i, "pending", TITLE, DESCRIPTION, T0);
        }

        Reconciliation r = service.reconcile();

        assertEquals(3, r.waiting());
        assertTrue(r.again());
        assertEquals(List.of("mine"), r.tasks().stream().map(Reconciled::run).toList(),
                "a run finished here needs no grace");
        assertEquals("pending", orchestrator.status("task_00000003"));

        clock.advance(Duration.ofMinutes(15));
        Reconciliation later = service.reconcile();

        assertEquals(List.of("elsewhere"), later.tasks().stream().map(Reconciled::run).toList(),
                "quiet for the grace: taken as a process that stopped");
        assertEquals(2, later.waiting());
    }

    @Test
    void anOrchestratorThatIsAwayLeavesEverythingForLaterAndNothingIsSentTwice() {
        long p = planned("r1", "task_0000000a", T0);
        made("r1", with("task_0000000a", complete("done")),
                new OrchestratorReply.Unconfirmed("it died"), T0);
        orchestrator.task("task_0000000a", "pending", TITLE, DESCRIPTION, T0);
        orchestrator.away = true;

        Reconciliation r = service.reconcile();

        assertEquals(Verdict.LATER, only(r).verdict());
        assertTrue(r.again());
        assertEquals(Optional.empty(), outbox.reconciliation(p));
        assertEquals(IntegrationStatus.FAILED, log.recent(IntegrationType.EXTERNAL_MONITORING, 1).get(0).status());

        // back, but the closing call's answer is lost again: it is recorded, and sent again while the task is open
        orchestrator.away = false;
        orchestrator.next.put(OrchestratorTool.COMPLETE_TASK, new OrchestratorReply.Unconfirmed("timeout"));
        Reconciliation second = service.reconcile();
        assertEquals(Verdict.LATER, only(second).verdict());
        assertTrue(second.again());
        assertEquals("pending", orchestrator.status("task_0000000a"));

        Reconciliation third = service.reconcile();
        assertEquals(Verdict.COMPLETED, only(third).verdict());
        assertEquals(List.of(OrchestratorTool.GET_STATUS, OrchestratorTool.COMPLETE_TASK, OrchestratorTool.GET_STATUS,
                OrchestratorTool.COMPLETE_TASK), orchestrator.calls);
        assertFalse(third.again());
    }

    @Test
    void aLostPlanFoundOnceIsClosedByTheSameTaskWhenItsClosingCallWasLost() {
        long p = lostPlan("r1", T0);
        orchestrator.task("task_00000009", "pending", TITLE, DESCRIPTION, T0.plusSeconds(1));
        orchestrator.next.put(OrchestratorTool.UPDATE_TASK, new OrchestratorReply.Unconfirmed("timeout"));

        assertEquals(Verdict.LATER, only(service.reconcile()).verdict());
        // the task has since been taken by someone else's identical plan? it is named by the recorded closing call
        orchestrator.task("task_00000010", "pending", TITLE, DESCRIPTION, T0.plusSeconds(2));
        Reconciled t = only(service.reconcile());

        assertEquals(Verdict.FAILED, t.verdict(), "no closing record: taken as failed");
        assertEquals(Optional.of("task_00000009"), t.taskId());
        String description = (String) orchestrator.tasks.get("task_00000009").get("description");
        assertEquals(1, description.split("reconciled by MCP Health", -1).length - 1, description);
        assertEquals("pending", orchestrator.status("task_00000010"));
        assertTrue(outbox.reconciliation(p).isPresent());
    }
}
