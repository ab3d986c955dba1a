package dev.mcphealth.application.orchestrator;

import dev.mcphealth.application.testkit.Answers;
import dev.mcphealth.application.testkit.ScriptedOrchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.RunAsTaskUseCase;
import dev.mcphealth.application.port.in.RunAsTaskUseCase.Complexity;
import dev.mcphealth.application.port.in.RunAsTaskUseCase.Request;
import dev.mcphealth.application.port.in.RunAsTaskUseCase.State;
import dev.mcphealth.application.port.in.RunAsTaskUseCase.Work;
import dev.mcphealth.application.port.out.InMemoryOrchestratorIntegrationLog;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.domain.model.ServerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunAsTaskServiceTest {
    static final Request REQUEST = new Request("session_1a2b3c4d_1764000000", "Health Monitoring: health_check",
            "Execute health_check health monitoring", Complexity.MODERATE);

    /** An orchestrator that answers each tool from a script (default: answered) and records the calls. */
    static final class ScriptedOrchestrator implements OrchestratorPort {
        final Map<OrchestratorTool, Deque<OrchestratorReply>> script = new EnumMap<>(OrchestratorTool.class);
        final List<String> calls = new ArrayList<>();

        ScriptedOrchestrator then(OrchestratorTool tool, OrchestratorReply reply) {
            script.computeIfAbsent(tool, t -> new ArrayDeque<>()).add(reply);
            return this;
        }

        @Override
        public ServerId server() {
            return ServerId.of("orchestrator");
        }

        @Override
        public dev.mcphealth.domain.model.BreakerState breaker() {
            return dev.mcphealth.domain.model.BreakerState.CLOSED;
        }

        @Override
        public OrchestratorReply call(OrchestratorRequest request) {
            OrchestratorTool tool = request.tool();
            calls.add(tool.code() + " " + request);
            Deque<OrchestratorReply> q = script.get(tool);
            if (q != null && !q.isEmpty()) {
                return q.poll();
            }
            return tool == OrchestratorTool.PLAN_TASK ? Answers.planned("task_0a1b2c3d") : Answers.taken("success");
        }
    }

    final ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    final List<RunAsTaskService.Deferred> outbox = new ArrayList<>();
    int runs;
    boolean backlog;
    final InMemoryOrchestratorIntegrationLog log = new InMemoryOrchestratorIntegrationLog();
    final TestClock clock = new TestClock(java.time.Instant.parse("2026-11-24T06:00:00Z"));
    /** The run's record of the calls made directly (or never to be made), as the outbox keeps them. */
    final List<RunAsTaskService.Made> journal = new ArrayList<>();
    final RunAsTaskService service = new RunAsTaskService(Optional.of(orchestrator), this::defer, this::record,
            () -> backlog, () -> "run-" + (++runs), log, clock);

    private synchronized long record(RunAsTaskService.Made m) {
        journal.add(m);
        return 500 + journal.size();
    }

    /** The task id of a call about a task; none for any other call. */
    private static Optional<String> task(OrchestratorRequest request) {
        return request instanceof OrchestratorRequest.OfTask t ? t.taskId() : Optional.empty();
    }

    private long defer(RunAsTaskService.Deferred d) {
        outbox.add(d);
        return 100 + outbox.size();
    }
    final List<RunAsTaskUseCase.Context> seen = new ArrayList<>();

    private Work<String> work(RunAsTaskUseCase.Context c) {
        seen.add(c);
        return new Work<>("result", "2 servers healthy", "probed everything: 3 ms; probed memory: 2 ms");
    }

    @Test
    void aRunIsPlannedExecutedWorkedAndCompletedWithItsTaskId() {
        RunAsTaskUseCase.Linked<String> r = service.run(REQUEST, this::work);
        assertEquals("result", r.result());
        assertEquals(State.LINKED, r.link().state());
        assertEquals(Optional.of("task_0a1b2c3d"), r.link().taskId());
        assertEquals(Optional.of("task_0a1b2c3d"), seen.get(0).taskId(), "the work may stamp the task id");
        assertEquals(List.of(
                "orchestrator_plan_task PlanTask[title=Health Monitoring: health_check, description=Execute "
                        + "health_check health monitoring, parentTaskId=Optional.empty, complexity=moderate, "
                        + "specialistType=devops]",
                "orchestrator_execute_task ExecuteTask[taskId=Optional[task_0a1b2c3d]]",
                "orchestrator_complete_task CompleteTask[taskId=Optional[task_0a1b2c3d], summary=2 servers healthy, "
                        + "detailedWork=probed everything: 3 ms; probed memory: 2 ms]"),
                orchestrator.calls);
        assertTrue(outbox.isEmpty());
    }

    @Test
    void failedWorkMarksTheTaskFailedWithTheReasonAndStillFails() {
        RuntimeException boom = assertThrows(IllegalStateException.class, () -> service.run(REQUEST, c -> {
            throw new IllegalStateException("database gone");
        }));
        assertEquals("database gone", boom.getMessage());
        assertEquals("orchestrator_update_task UpdateTask[taskId=Optional[task_0a1b2c3d], status=failed, "
                + "description=Optional[Health Monitoring: health_check failed: database gone]]",
                orchestrator.calls.get(2));
    }

    @Test
    void anOrchestratorThatIsAwayGetsTheWholeLifecycleLaterInOrderAndTheWorkIsDone() {
        orchestrator.then(OrchestratorTool.PLAN_TASK, new OrchestratorReply.NotDelivered("breaker open"));
        RunAsTaskUseCase.Linked<String> r = service.run(REQUEST, this::work);
        assertEquals("result", r.result());
        assertEquals(State.QUEUED, r.link().state());
        assertEquals(Optional.of("outbox:101"), seen.get(0).taskId(),
                "the work stamps a stand-in for the task id the deferred plan (entry 101) will obtain");
        assertEquals(1, orchestrator.calls.size(), "only the plan was tried");
        assertEquals(List.of(OrchestratorTool.PLAN_TASK, OrchestratorTool.EXECUTE_TASK, OrchestratorTool.COMPLETE_TASK),
                outbox.stream().map(RunAsTaskService.Deferred::tool).toList());
        assertEquals(List.of(java.util.OptionalLong.empty(), java.util.OptionalLong.of(101),
                java.util.OptionalLong.of(101)), outbox.stream().map(RunAsTaskService.Deferred::taskFrom).toList(),
                "execute and complete take the task id the plan (entry 101) gets when delivered");
        assertTrue(outbox.stream().allMatch(d -> d.run().equals("run-1")));
    }

    @Test
    void anOrchestratorThatDiesMidRunGetsTheRestLaterWithTheTaskId() {
        orchestrator.then(OrchestratorTool.COMPLETE_TASK, new OrchestratorReply.NotDelivered("session lost"));
        RunAsTaskUseCase.Linked<String> r = service.run(REQUEST, this::work);
        assertEquals(State.QUEUED, r.link().state());
        assertEquals(Optional.of("task_0a1b2c3d"), r.link().taskId());
        assertEquals(1, outbox.size());
        assertEquals(OrchestratorTool.COMPLETE_TASK, outbox.get(0).tool());
        assertEquals(Optional.of("task_0a1b2c3d"), task(outbox.get(0).request()));
    }

    @Test
    void afterOneDeferredCallTheRunsLaterCallsAreDeferredTooToKeepTheirOrder() {
        orchestrator.then(OrchestratorTool.EXECUTE_TASK, new OrchestratorReply.NotDelivered("timeout connecting"));
        service.run(REQUEST, this::work);
        assertEquals(2, orchestrator.calls.size(), "plan and execute tried; complete not sent ahead of execute");
        assertEquals(List.of(OrchestratorTool.EXECUTE_TASK, OrchestratorTool.COMPLETE_TASK),
                outbox.stream().map(RunAsTaskService.Deferred::tool).toList());
        assertTrue(outbox.stream().allMatch(d -> task(d.request()).equals(Optional.of("task_0a1b2c3d"))));
    }

    @Test
    void whileEarlierCallsWaitANewRunWaitsBehindThemWithoutCallingTheOrchestrator() {
        backlog = true;
        RunAsTaskUseCase.Linked<String> r = service.run(REQUEST, this::work);
        assertEquals(State.QUEUED, r.link().state());
        assertTrue(orchestrator.calls.isEmpty(), "nothing overtakes the waiting calls");
        assertEquals(3, outbox.size());
    }

    @Test
    void workThatAnswersItFailedMarksTheTaskFailedNotComplete() {
        RunAsTaskUseCase.Linked<String> r = service.run(REQUEST, c -> new Work<>("no", "nothing could serve", "",
                true));
        assertEquals(State.LINKED, r.link().state());
        assertEquals("orchestrator_update_task UpdateTask[taskId=Optional[task_0a1b2c3d], status=failed, "
                + "description=Optional[Health Monitoring: health_check failed: nothing could serve]]",
                orchestrator.calls.get(2));
        assertEquals(3, orchestrator.calls.size(), "no complete_task");
    }

    @Test
    void anOutboxThatCannotBeWrittenNeverFailsTheWork() {
        orchestrator.then(OrchestratorTool.PLAN_TASK, new OrchestratorReply.NotDelivered("breaker open"));
        RunAsTaskService broken = new RunAsTaskService(Optional.of(orchestrator), d -> {
            throw new IllegalStateException("database is locked");
        }, m -> {
            throw new IllegalStateException("database is locked");
        }, () -> {
            throw new IllegalStateException("database is locked");
        }, () -> "run", log, clock);
        RunAsTaskUseCase.Linked<String> r = broken.run(REQUEST, this::work);
        assertEquals("result", r.result(), "the work was done");
        assertEquals(State.NOT_LINKED, r.link().state());
        assertTrue(r.link().message().contains("could not be kept for later: database is locked"), r.link().message());
    }

    // ---- the run's record (the journal), for reconciliation --------------------------------------------------

    private List<String> journalled() {
        return journal.stream().map(m -> m.tool().code().replace("orchestrator_", "") + " " + m.ending().state().code()
                + m.taskFrom().stream().mapToObj(f -> " from " + f).findFirst().orElse("")).toList();
    }

    @Test
    void everyCallMadeDirectlyIsRecordedWithItsReply() {
        orchestrator.then(OrchestratorTool.COMPLETE_TASK, new OrchestratorReply.Unconfirmed("no answer in 30 s"));

        service.run(REQUEST, this::work);

        assertEquals(List.of("plan_task answered", "execute_task answered", "complete_task unconfirmed"),
                journalled());
        assertEquals(Optional.of("task_0a1b2c3d"), ((dev.mcphealth.application.port.out.OutboxPort.Replied) journal
                .get(0).ending()).taskId());
        assertEquals(new OrchestratorRequest.CompleteTask(Optional.of("task_0a1b2c3d"), "2 servers healthy",
                "probed everything: 3 ms; probed memory: 2 ms"), journal.get(2).request());
        assertTrue(journal.stream().allMatch(m -> m.run().equals("run-1")));
        assertEquals(clock.instant(), journal.get(0).at());
        assertTrue(outbox.isEmpty(), "nothing waits");
    }

    @Test
    void aPlanWhoseAnswerWasLostIsNeverSentAgainAndHowTheWorkEndedIsRecordedForReconciliation() {
        orchestrator.then(OrchestratorTool.PLAN_TASK, new OrchestratorReply.Unconfirmed("no answer in 30 s"));

        RunAsTaskUseCase.Linked<String> r = service.run(REQUEST, this::work);

        assertEquals("result", r.result());
        assertEquals(State.NOT_LINKED, r.link().state());
        assertTrue(r.link().message().contains("closed by reconciliation once the orchestrator is back"),
                r.link().message());
        assertEquals(1, orchestrator.calls.size(), "neither executed nor completed: its id is not known");
        assertEquals(List.of("plan_task unconfirmed", "complete_task skipped from 501"), journalled(),
                "the complete_task it would have sent, never sent, names the lost plan's record");
        assertEquals("2 servers healthy", ((OrchestratorRequest.CompleteTask) journal.get(1).request()).summary());
        assertTrue(((dev.mcphealth.application.port.out.OutboxPort.Skipped) journal.get(1).ending()).reason()
                .contains("was lost"));

        orchestrator.then(OrchestratorTool.PLAN_TASK, new OrchestratorReply.Unconfirmed("it died"));
        assertThrows(IllegalStateException.class, () -> service.run(REQUEST, c -> {
            throw new IllegalStateException("database gone");
        }));
        assertEquals("update_task skipped from 503", journalled().get(3));
        assertEquals("failed", ((OrchestratorRequest.UpdateTask) journal.get(3).request()).status());
    }

    @Test
    void aStepWhosePlanWasLostRecordsHowItEnded() {
        orchestrator.then(OrchestratorTool.PLAN_TASK, planned("task_00000001"))
                .then(OrchestratorTool.PLAN_TASK, new OrchestratorReply.Unconfirmed("no answer"))
                .then(OrchestratorTool.PLAN_TASK, planned("task_00000003"));

        service.run(REQUEST, this::twoSteps);

        assertEquals(Optional.empty(), stepTasks.get(0).filter(t -> !t.equals("task_00000001")),
                "the step runs under the run's task");
        List<String> j = journalled();
        assertEquals("plan_task unconfirmed", j.get(2));
        assertEquals("complete_task skipped from 503", j.get(3), j.toString());
        OrchestratorRequest.PlanTask lost = (OrchestratorRequest.PlanTask) journal.get(2).request();
        assertEquals("Recover memory (restart)", lost.title());
        assertEquals(Optional.of("task_00000001"), lost.parentTaskId());
    }

    @Test
    void aRunIsLiveWhileItRunsAndFinishedHereAfter() {
        List<RunHere> during = new ArrayList<>();
        service.run(REQUEST, c -> {
            during.add(service.here("run-1"));
            return work(c);
        });
        assertEquals(List.of(RunHere.LIVE), during);
        assertEquals(RunHere.FINISHED, service.here("run-1"));
        assertEquals(RunHere.NOT_HERE, service.here("run-2"));
        assertThrows(IllegalStateException.class, () -> service.run(REQUEST, c -> {
            throw new IllegalStateException("boom");
        }));
        assertEquals(RunHere.FINISHED, service.here("run-2"), "failed, but done");
    }

    @Test
    void aRefusedPlanMeansNoTaskAndNothingQueued() {
        orchestrator.then(OrchestratorTool.PLAN_TASK, new OrchestratorReply.Refused("Input validation error"));
        RunAsTaskUseCase.Linked<String> r = service.run(REQUEST, this::work);
        assertEquals(State.NOT_LINKED, r.link().state());
        assertTrue(r.link().message().contains("Input validation error"), r.link().message());
        assertEquals(1, orchestrator.calls.size());
        assertTrue(outbox.isEmpty());
    }

    @Test
    void anUnconfirmedCallIsNeverSentAgain() {
        orchestrator.then(OrchestratorTool.COMPLETE_TASK, new OrchestratorReply.Unconfirmed("no answer in 30 s"));
        RunAsTaskUseCase.Linked<String> r = service.run(REQUEST, this::work);
        assertEquals(State.LINKED, r.link().state());
        assertTrue(r.link().message().contains("complete_task: no answer"), r.link().message());
        assertTrue(outbox.isEmpty());
    }

    @Test
    void withoutAnOrchestratorTheWorkIsDoneAndTheLinkSaysSo() {
        RunAsTaskService none = new RunAsTaskService(Optional.empty(), this::defer, this::record, () -> false, () -> "run", log,
                clock);
        RunAsTaskUseCase.Linked<String> r = none.run(REQUEST, this::work);
        assertEquals("result", r.result());
        assertEquals(State.NOT_CONFIGURED, r.link().state());
        assertTrue(r.link().message().startsWith("no orchestrator is configured"));
        assertTrue(orchestrator.calls.isEmpty() && outbox.isEmpty());
    }

    // ---- multi-step runs ------------------------------------------------------------------------------------

    /** Two steps: the first goes well, the second answers it failed; each gets its own subtask id. */
    private Work<String> twoSteps(RunAsTaskUseCase.Context c) {
        seen.add(c);
        String a = c.steps().run("Recover memory (restart)", "Restart memory: connection_error", task -> {
            stepTasks.add(task);
            return new Work<>("a", "restart succeeded", "restarted in 1.2 s");
        });
        String b = c.steps().run("Recover everything (restart)", "Restart everything: timeout", task -> {
            stepTasks.add(task);
            return new Work<>("b", "restart failed: it did not answer", "", true);
        });
        return new Work<>(a + b, "2 servers checked, 2 recoveries", "the check's log");
    }

    final List<Optional<String>> stepTasks = new ArrayList<>();

    private static OrchestratorReply.Answered planned(String id) {
        return Answers.planned(id);
    }

    @Test
    void eachStepIsASubtaskAndTheRunClosesWithProgressAndSynthesisDespiteTheirQuirks() {
        orchestrator.then(OrchestratorTool.PLAN_TASK, planned("task_00000001"))
                .then(OrchestratorTool.PLAN_TASK, planned("task_00000002"))
                .then(OrchestratorTool.PLAN_TASK, planned("task_00000003"))
                .then(OrchestratorTool.QUERY_TASKS, new OrchestratorReply.Refused(
                        "Query execution error: 'str' object has no attribute 'isoformat'"))
                .then(OrchestratorTool.SYNTHESIZE_RESULTS, new OrchestratorReply.Refused(
                        "Parent task task_00000001 not found"));
        RunAsTaskUseCase.Linked<String> r = service.run(REQUEST, this::twoSteps);

        assertEquals("ab", r.result());
        assertEquals(State.LINKED, r.link().state());
        assertEquals(List.of(Optional.of("task_00000002"), Optional.of("task_00000003")), stepTasks,
                "each step's work stamps its own subtask");
        assertEquals(List.of("orchestrator_plan_task", "orchestrator_execute_task",
                "orchestrator_plan_task", "orchestrator_execute_task", "orchestrator_complete_task",
                "orchestrator_plan_task", "orchestrator_execute_task", "orchestrator_update_task",
                "orchestrator_query_tasks", "orchestrator_synthesize_results", "orchestrator_complete_task"),
                orchestrator.calls.stream().map(c -> c.substring(0, c.indexOf(' '))).toList());
        assertEquals("orchestrator_plan_task PlanTask[title=Recover memory (restart), description=Restart memory: "
                + "connection_error, parentTaskId=Optional[task_00000001], complexity=simple, specialistType=devops]",
                orchestrator.calls.get(2));
        assertEquals("orchestrator_update_task UpdateTask[taskId=Optional[task_00000003], status=failed, "
                + "description=Optional[Recover everything (restart) failed: restart failed: it did not answer]]",
                orchestrator.calls.get(7));
        assertEquals("orchestrator_query_tasks QueryTasks[parentTaskId=task_00000001, limit=100]",
                orchestrator.calls.get(8));

        RunAsTaskUseCase.Synthesis s = r.link().synthesis().orElseThrow();
        assertEquals("mcp-health", s.by(), "synthesize_results answered not found: the steps are counted here");
        assertEquals(List.of(2, 1, 1), List.of(s.subtasks(), s.completed(), s.failed()));
        assertEquals(0.5, s.successRate());
        assertTrue(s.progress().contains("known quirk"), s.progress());
        assertTrue(s.note().contains("Parent task task_00000001 not found"), s.note());
        assertEquals(List.of("Recover memory (restart)", "Recover everything (restart)"),
                r.link().steps().stream().map(RunAsTaskUseCase.Step::title).toList());
        assertTrue(r.link().message().contains("2 step(s) as subtasks"), r.link().message());

        String complete = orchestrator.calls.get(10);
        assertTrue(complete.contains("taskId=Optional[task_00000001]"), complete);
        assertTrue(complete.contains("the check's log\n\nSteps (2):\n- [completed] Recover memory (restart) "
                + "(task_00000002): restart succeeded\n- [failed] Recover everything (restart) (task_00000003): "
                + "restart failed: it did not answer\nSynthesis (mcp-health): 1 of 2 completed, 1 failed"), complete);

        List<OrchestratorIntegrationLogPort.Entry> logged = log.all();
        assertEquals(List.of(OrchestratorTool.QUERY_TASKS, OrchestratorTool.SYNTHESIZE_RESULTS),
                logged.stream().map(OrchestratorIntegrationLogPort.Entry::tool).toList());
        assertTrue(logged.stream().allMatch(e -> e.status() == OrchestratorIntegrationLogPort.IntegrationStatus.FAILED
                && e.type() == OrchestratorIntegrationLogPort.IntegrationType.EXTERNAL_MONITORING
                && e.validatedAt().equals(clock.instant())
                && "task_00000001".equals(e.results().get("parentTaskId"))));
        assertTrue(outbox.isEmpty());
    }

    @Test
    void aSynthesisTheOrchestratorGivesIsTakenAsItsOwn() {
        orchestrator.then(OrchestratorTool.QUERY_TASKS, Answers.subtasks("completed", "failed"))
                .then(OrchestratorTool.SYNTHESIZE_RESULTS, Answers.synthesized(2, 1, 1, 1));
        RunAsTaskUseCase.Synthesis s = service.run(REQUEST, this::twoSteps).link().synthesis().orElseThrow();
        assertEquals("orchestrator", s.by());
        assertEquals(List.of(2, 1, 1), List.of(s.subtasks(), s.completed(), s.failed()));
        assertEquals("2 subtask(s) in the orchestrator: 1 completed, 1 failed", s.progress());
        assertTrue(log.all().stream().allMatch(e -> e.status()
                == OrchestratorIntegrationLogPort.IntegrationStatus.ACTIVE));
    }

    @Test
    void aStepTheOrchestratorDidNotGetWaitsInTheOutboxAndEverythingAfterItToo() {
        orchestrator.then(OrchestratorTool.PLAN_TASK, planned("task_00000001"))
                .then(OrchestratorTool.PLAN_TASK, new OrchestratorReply.NotDelivered("session lost"));
        RunAsTaskUseCase.Linked<String> r = service.run(REQUEST, this::twoSteps);
        assertEquals(State.QUEUED, r.link().state());
        assertEquals(List.of(Optional.of("outbox:101"), Optional.of("outbox:104")), stepTasks,
                "a step whose plan waits stamps the stand-in for its subtask");
        assertEquals(3, orchestrator.calls.size(), "plan, execute, the first step's plan; nothing after it");
        assertEquals(List.of(OrchestratorTool.PLAN_TASK, OrchestratorTool.EXECUTE_TASK, OrchestratorTool.COMPLETE_TASK,
                OrchestratorTool.PLAN_TASK, OrchestratorTool.EXECUTE_TASK, OrchestratorTool.UPDATE_TASK,
                OrchestratorTool.COMPLETE_TASK), outbox.stream().map(RunAsTaskService.Deferred::tool).toList());
        assertEquals(java.util.OptionalLong.of(101), outbox.get(1).taskFrom(), "the step's execute waits for its plan");
        assertEquals(Optional.of("task_00000001"), ((OrchestratorRequest.PlanTask) outbox.get(3).request())
                .parentTaskId());
        assertEquals(java.util.OptionalLong.of(104), outbox.get(4).taskFrom());
        assertEquals(Optional.of("task_00000001"), task(outbox.get(6).request()), "the run's own completion");
        RunAsTaskUseCase.Synthesis s = r.link().synthesis().orElseThrow();
        assertEquals("not asked: the run's calls wait in the outbox", s.progress());
        assertTrue(log.all().isEmpty(), "neither query_tasks nor synthesize_results was asked");
    }

    @Test
    void stepsOfARunWhosePlanWaitsAreNotPlannedButToldInItsCompletion() {
        backlog = true;
        RunAsTaskUseCase.Linked<String> r = service.run(REQUEST, this::twoSteps);
        assertEquals(List.of(Optional.of("outbox:101"), Optional.of("outbox:101")), stepTasks,
                "no subtask can be planned: the steps stamp the stand-in for the run's task");
        assertTrue(orchestrator.calls.isEmpty());
        assertEquals(List.of(OrchestratorTool.PLAN_TASK, OrchestratorTool.EXECUTE_TASK, OrchestratorTool.COMPLETE_TASK),
                outbox.stream().map(RunAsTaskService.Deferred::tool).toList());
        assertTrue(((OrchestratorRequest.CompleteTask) outbox.get(2).request()).detailedWork().contains(
                "- [completed] Recover memory (restart): restart succeeded"));
        assertEquals(2, r.link().steps().size());
        assertTrue(r.link().steps().stream().allMatch(st -> st.taskId().isEmpty()));
    }

    @Test
    void aStepThatThrowsMarksItsSubtaskFailedAndTheRunFailedToo() {
        orchestrator.then(OrchestratorTool.PLAN_TASK, planned("task_00000001"))
                .then(OrchestratorTool.PLAN_TASK, planned("task_00000002"));
        assertThrows(IllegalStateException.class, () -> service.run(REQUEST, c -> {
            c.steps().run("Recover memory (restart)", "Restart memory", task -> {
                throw new IllegalStateException("process table full");
            });
            return new Work<>("never", "never", "");
        }));
        assertEquals(List.of(
                "orchestrator_update_task UpdateTask[taskId=Optional[task_00000002], status=failed, "
                        + "description=Optional[Recover memory (restart) failed: process table full]]",
                "orchestrator_update_task UpdateTask[taskId=Optional[task_00000001], status=failed, "
                        + "description=Optional[Health Monitoring: health_check failed: process table full]]"),
                orchestrator.calls.subList(4, 6));
    }

    @Test
    void withoutAnOrchestratorStepsRunUnderNoTask() {
        RunAsTaskService none = new RunAsTaskService(Optional.empty(), this::defer, this::record, () -> false, () -> "run", log,
                clock);
        RunAsTaskUseCase.Linked<String> r = none.run(REQUEST, this::twoSteps);
        assertEquals("ab", r.result());
        assertEquals(List.of(Optional.empty(), Optional.empty()), stepTasks);
        assertTrue(orchestrator.calls.isEmpty() && outbox.isEmpty() && log.all().isEmpty());
    }

    @Test
    void stepsOnSeveralThreadsAreNotHeldUpByEachOthersCallsAndEachSubtaskKeepsItsOrder() throws Exception {
        int n = 4;
        java.util.concurrent.CyclicBarrier allExecuting = new java.util.concurrent.CyclicBarrier(n);
        java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();
        List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        OrchestratorPort slow = new dev.mcphealth.application.port.out.AnsweringOrchestrator(
                ServerId.of("orchestrator"), request -> {
                    OrchestratorTool tool = request.tool();
                    String task = task(request).orElse(null);
                    if (tool == OrchestratorTool.PLAN_TASK) {
                        String id = "task_" + ids.incrementAndGet();
                        calls.add("plan " + id);
                        return Answers.planned(id);
                    }
                    calls.add(tool.code().replace("orchestrator_", "") + " " + task);
                    if (tool == OrchestratorTool.EXECUTE_TASK && !"task_1".equals(task)) {
                        try {
                            // every step's execute_task is out at once: none waits for another's call to end
                            allExecuting.await(20, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (Exception e) {
                            return new OrchestratorReply.Unconfirmed("the steps' calls were made one at a time");
                        }
                    }
                    return tool == OrchestratorTool.QUERY_TASKS || tool == OrchestratorTool.SYNTHESIZE_RESULTS
                            ? new OrchestratorReply.Refused("not found") : new OrchestratorReply.Answered(
                            dev.mcphealth.domain.orchestrator.OrchestratorAnswer.Taken.NONE, "answered", Map.of());
                });
        RunAsTaskService concurrent = new RunAsTaskService(Optional.of(slow), this::defer, this::record, () -> false, () -> "run",
                log, clock);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            RunAsTaskUseCase.Linked<String> r = concurrent.run(REQUEST, c -> {
                List<java.util.concurrent.Future<String>> running = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String server = "s" + i;
                    running.add(pool.submit(() -> c.steps().run("Recover " + server, "d", task ->
                            new Work<>(task.orElseThrow(), "restart succeeded", ""))));
                }
                List<String> stamped = new ArrayList<>();
                for (java.util.concurrent.Future<String> f : running) {
                    try {
                        stamped.add(f.get(30, java.util.concurrent.TimeUnit.SECONDS));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return new Work<>(String.join(",", stamped), "4 recoveries", "");
            });
            assertEquals(State.LINKED, r.link().state(), r.link().message());
            assertEquals("linked to task task_1 in session " + REQUEST.sessionId() + ", 4 step(s) as subtasks",
                    r.link().message(), "no call came back unanswered");
            assertEquals(n, r.link().steps().size());
            assertTrue(r.link().steps().stream().noneMatch(RunAsTaskUseCase.Step::failed));
            assertEquals("complete_task task_1", calls.get(calls.size() - 1), "the run is completed last");
            for (int i = 2; i <= n + 1; i++) {
                String id = "task_" + i;
                List<String> own = calls.stream().filter(c -> c.endsWith(" " + id)).toList();
                assertEquals(List.of("plan " + id, "execute_task " + id, "complete_task " + id), own, calls.toString());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
