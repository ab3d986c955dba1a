package dev.mcphealth.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.RunAsTaskUseCase;
import dev.mcphealth.application.port.in.RunAsTaskUseCase.Complexity;
import dev.mcphealth.application.port.in.RunAsTaskUseCase.Request;
import dev.mcphealth.application.port.in.RunAsTaskUseCase.State;
import dev.mcphealth.application.port.in.RunAsTaskUseCase.Work;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.domain.model.OrchestratorReply;
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
        public OrchestratorReply call(OrchestratorTool tool, Map<String, Object> arguments) {
            calls.add(tool.code() + " " + new java.util.TreeMap<>(arguments));
            Deque<OrchestratorReply> q = script.get(tool);
            if (q != null && !q.isEmpty()) {
                return q.poll();
            }
            return tool == OrchestratorTool.PLAN_TASK ? new OrchestratorReply.Answered(Map.of("task_id", "task_0a1b2c3d"))
                    : new OrchestratorReply.Answered(Map.of("status", "success"));
        }
    }

    final ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();
    final List<RunAsTaskService.Deferred> outbox = new ArrayList<>();
    int runs;
    boolean backlog;
    final RunAsTaskService service = new RunAsTaskService(Optional.of(orchestrator), this::defer, () -> backlog,
            () -> "run-" + (++runs));

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
                "orchestrator_plan_task {complexity=moderate, description=Execute health_check health monitoring, "
                        + "specialist_type=devops, title=Health Monitoring: health_check}",
                "orchestrator_execute_task {task_id=task_0a1b2c3d}",
                "orchestrator_complete_task {detailed_work=probed everything: 3 ms; probed memory: 2 ms, "
                        + "next_action=complete, summary=2 servers healthy, task_id=task_0a1b2c3d}"),
                orchestrator.calls);
        assertTrue(outbox.isEmpty());
    }

    @Test
    void failedWorkMarksTheTaskFailedWithTheReasonAndStillFails() {
        RuntimeException boom = assertThrows(IllegalStateException.class, () -> service.run(REQUEST, c -> {
            throw new IllegalStateException("database gone");
        }));
        assertEquals("database gone", boom.getMessage());
        assertEquals("orchestrator_update_task {description=Health Monitoring: health_check failed: "
                + "IllegalStateException: database gone, status=failed, task_id=task_0a1b2c3d}", orchestrator.calls.get(2));
    }

    @Test
    void anOrchestratorThatIsAwayGetsTheWholeLifecycleLaterInOrderAndTheWorkIsDone() {
        orchestrator.then(OrchestratorTool.PLAN_TASK, new OrchestratorReply.NotDelivered("breaker open"));
        RunAsTaskUseCase.Linked<String> r = service.run(REQUEST, this::work);
        assertEquals("result", r.result());
        assertEquals(State.QUEUED, r.link().state());
        assertEquals(Optional.empty(), seen.get(0).taskId());
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
        assertEquals("task_0a1b2c3d", outbox.get(0).arguments().get("task_id"));
    }

    @Test
    void afterOneDeferredCallTheRunsLaterCallsAreDeferredTooToKeepTheirOrder() {
        orchestrator.then(OrchestratorTool.EXECUTE_TASK, new OrchestratorReply.NotDelivered("timeout connecting"));
        service.run(REQUEST, this::work);
        assertEquals(2, orchestrator.calls.size(), "plan and execute tried; complete not sent ahead of execute");
        assertEquals(List.of(OrchestratorTool.EXECUTE_TASK, OrchestratorTool.COMPLETE_TASK),
                outbox.stream().map(RunAsTaskService.Deferred::tool).toList());
        assertTrue(outbox.stream().allMatch(d -> "task_0a1b2c3d".equals(d.arguments().get("task_id"))));
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
        assertEquals("orchestrator_update_task {description=Health Monitoring: health_check failed: nothing could "
                + "serve, status=failed, task_id=task_0a1b2c3d}", orchestrator.calls.get(2));
        assertEquals(3, orchestrator.calls.size(), "no complete_task");
    }

    @Test
    void anOutboxThatCannotBeWrittenNeverFailsTheWork() {
        orchestrator.then(OrchestratorTool.PLAN_TASK, new OrchestratorReply.NotDelivered("breaker open"));
        RunAsTaskService broken = new RunAsTaskService(Optional.of(orchestrator), d -> {
            throw new IllegalStateException("database is locked");
        }, () -> {
            throw new IllegalStateException("database is locked");
        }, () -> "run");
        RunAsTaskUseCase.Linked<String> r = broken.run(REQUEST, this::work);
        assertEquals("result", r.result(), "the work was done");
        assertEquals(State.NOT_LINKED, r.link().state());
        assertTrue(r.link().message().contains("could not be kept for later: database is locked"), r.link().message());
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
        RunAsTaskService none = new RunAsTaskService(Optional.empty(), this::defer, () -> false, () -> "run");
        RunAsTaskUseCase.Linked<String> r = none.run(REQUEST, this::work);
        assertEquals("result", r.result());
        assertEquals(State.NOT_CONFIGURED, r.link().state());
        assertTrue(r.link().message().startsWith("no orchestrator is configured"));
        assertTrue(orchestrator.calls.isEmpty() && outbox.isEmpty());
    }
}
