package dev.mcphealth.application.orchestrator;

import dev.mcphealth.application.orchestrator.RunAsTaskService.Deferred;
import dev.mcphealth.application.orchestrator.RunAsTaskService.Made;
import dev.mcphealth.application.port.in.RunAsTaskUseCase.Link;
import dev.mcphealth.application.port.in.RunAsTaskUseCase.Request;
import dev.mcphealth.application.port.in.RunAsTaskUseCase.State;
import dev.mcphealth.application.port.in.RunAsTaskUseCase.Step;
import dev.mcphealth.application.port.in.RunAsTaskUseCase.Steps;
import dev.mcphealth.application.port.in.RunAsTaskUseCase.Synthesis;
import dev.mcphealth.application.port.in.RunAsTaskUseCase.Work;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.TaskLinkPort;
import dev.mcphealth.domain.model.Faults;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One run of {@link RunAsTaskService}: its task (planned, or its plan waiting in the outbox, or its plan's answer
 * lost), its steps as subtasks, and how it ends. Its calls are made through {@link RunCalls}, which keeps their order
 * and the run's record; a run with steps is closed by {@link RunClosing}.
 */
final class TaskRun implements Steps {
    private final OrchestratorPort port;
    private final String id;
    private final Request request;
    private final RunCalls calls;
    private final RunClosing closing;
    /** The steps run so far, from any thread. */
    private final List<Step> steps = new ArrayList<>();
    private Optional<String> taskId = Optional.empty();
    private OptionalLong planEntry = OptionalLong.empty();
    /** The record of the run's plan when its answer was lost: the task may exist, its id is unknown. */
    private OptionalLong lostPlan = OptionalLong.empty();

    /**
     * @param deferred keeps a call for later and returns its outbox entry id
     * @param journal keeps a call made directly (or never to be made) as the run's record; returns its entry id
     * @param backlog whether calls wait in the outbox now
     * @param log where closing a run with steps is recorded
     */
    TaskRun(OrchestratorPort port, String id, Request request, ToLongFunction<Deferred> deferred,
            ToLongFunction<Made> journal, BooleanSupplier backlog, OrchestratorIntegrationLogPort log, Clock clock) {
        this.port = port;
        this.id = id;
        this.request = request;
        this.calls = new RunCalls(port, id, deferred, journal, backlog, clock);
        this.closing = new RunClosing(port, log, clock, calls::trouble);
    }

    /** The run's name, unique (the outbox groups its calls by it). */
    String id() {
        return id;
    }

    void plan() {
        OrchestratorRequest.PlanTask plan = new OrchestratorRequest.PlanTask(request.title(), request.description(),
                Optional.empty(), request.complexity().name().toLowerCase(Locale.ROOT), RunAsTaskService.SPECIALIST);
        Optional<String> waitFor = calls.backlogged() ? Optional.of("earlier calls wait in the outbox")
                : Optional.empty();
        RunCalls.Planning planned = calls.plan(plan, waitFor, "plan_task answered without a task_id", "plan_task: ");
        taskId = planned.task();
        planEntry = planned.entry();
        lostPlan = planned.lost();
        if (taskId.isPresent() || planEntry.isPresent()) {
            calls.send(new OrchestratorRequest.ExecuteTask(Optional.empty()), taskId, planEntry);
        }
    }

    /** What the run's rows carry: its task id, or while its plan waits in the outbox, the stand-in for it. */
    Optional<String> stamp() {
        return taskId.or(() -> standIn(planEntry));
    }

    void fail(RuntimeException e) {
        try {
            calls.close(failed(request.title(), Faults.describe(e)), taskId, planEntry, lostPlan);
        } catch (RuntimeException alsoFailed) {
            e.addSuppressed(alsoFailed);
        }
    }

    <T> Link finish(Work<T> w) {
        List<Step> done;
        synchronized (steps) {
            done = List.copyOf(steps);
        }
        Optional<Synthesis> synthesis = done.isEmpty() ? Optional.empty()
                : Optional.of(closing.close(taskId, calls.waiting(), done));
        if (w.failed()) {
            calls.close(failed(request.title(), w.summary()), taskId, planEntry, lostPlan);
        } else {
            calls.close(new OrchestratorRequest.CompleteTask(Optional.empty(), w.summary(),
                    DetailedWork.capped((w.log().isBlank() ? w.summary() : w.log())
                            + synthesis.map(s -> "\n\n" + RunClosing.stepsText(done, s)).orElse(""))),
                    taskId, planEntry, lostPlan);
        }
        boolean wasQueued = calls.waiting();
        List<String> problems = calls.trouble();
        State state = wasQueued ? State.QUEUED : taskId.isPresent() ? State.LINKED : State.NOT_LINKED;
        String stepsSaid = done.isEmpty() ? "" : ", " + done.size() + " step(s)"
                + (done.stream().anyMatch(s -> s.taskId().isPresent()) ? " as subtasks" : "");
        String message = switch (state) {
            case QUEUED -> "the orchestrator (" + port.server().value() + ") could not be reached; the task's "
                    + "updates wait in the outbox and are delivered in order when it is back" + stepsSaid
                    + (problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")");
            case LINKED -> "linked to task " + taskId.get() + " in session " + request.sessionId() + stepsSaid
                    + (problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")");
            default -> "the orchestrator did not take the task (" + String.join("; ", problems) + "); the "
                    + "work was done without it" + (lostPlan.isPresent() ? "; the plan's answer was lost, so "
                    + "the task it may have created is closed by reconciliation once the orchestrator is back"
                    : "");
        };
        return new Link(request.sessionId(), taskId, state, message, done, synthesis);
    }

    @Override
    public <T> T run(String title, String description, Function<Optional<String>, Work<T>> work) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(work, "work");
        RunCalls.Planning planned = new RunCalls.Planning(Optional.empty(), OptionalLong.empty(), OptionalLong.empty());
        if (taskId.isPresent()) {
            OrchestratorRequest.PlanTask plan = new OrchestratorRequest.PlanTask(title, description, taskId,
                    RunAsTaskService.STEP_COMPLEXITY, RunAsTaskService.SPECIALIST);
            Optional<String> waitFor = calls.waiting() ? Optional.of("earlier calls of the run wait in the outbox")
                    : Optional.empty();
            planned = calls.plan(plan, waitFor, "step '" + title + "': plan_task answered without a task_id",
                    "step '" + title + "': plan_task ");
        }
        Optional<String> stepTask = planned.task();
        OptionalLong stepPlan = planned.entry();
        OptionalLong stepLost = planned.lost();
        if (stepTask.isPresent() || stepPlan.isPresent()) {
            calls.send(new OrchestratorRequest.ExecuteTask(Optional.empty()), stepTask, stepPlan);
        }
        Work<T> w;
        try {
            Optional<String> stamp = stepTask.isPresent() ? stepTask
                    : stepPlan.isPresent() ? standIn(stepPlan) : stamp();
            w = work.apply(stamp);
        } catch (RuntimeException e) {
            String why = Faults.describe(e);
            calls.close(failed(title, why), stepTask, stepPlan, stepLost);
            synchronized (steps) {
                steps.add(new Step(title, stepTask, true, why));
            }
            throw e;
        }
        if (w.failed()) {
            calls.close(failed(title, w.summary()), stepTask, stepPlan, stepLost);
        } else {
            calls.close(new OrchestratorRequest.CompleteTask(Optional.empty(), w.summary(),
                    w.log().isBlank() ? w.summary() : w.log()), stepTask, stepPlan, stepLost);
        }
        synchronized (steps) {
            steps.add(new Step(title, stepTask, w.failed(), w.summary()));
        }
        return w.result();
    }

    private static Optional<String> standIn(OptionalLong planEntry) {
        return planEntry.isPresent() ? Optional.of(TaskLinkPort.standIn(planEntry.getAsLong())) : Optional.empty();
    }

    private static OrchestratorRequest.UpdateTask failed(String title, String why) {
        return OrchestratorRequest.UpdateTask.failed(Optional.empty(), title + " failed: " + why);
    }
}
