package dev.mcphealth.application.service;

import dev.mcphealth.application.port.in.RunAsTaskUseCase;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.domain.model.OrchestratorReply;
import dev.mcphealth.application.port.out.OrchestratorTool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The task lifecycle around a health operation (see {@link RunAsTaskUseCase}). Calls the orchestrator did not get
 * ({@link OrchestratorReply.NotDelivered}) go to {@code deferred} (the outbox), in order, to be delivered when it
 * returns; a call that needs the task id of a plan that was itself deferred names that plan's outbox entry
 * ({@link Deferred#taskFrom()}) and gets the id at delivery. While earlier calls wait ({@code backlog}), a new run's
 * calls wait behind them too, so that the orchestrator sees every run in order. A call that was delivered (answered,
 * refused, unconfirmed) is never sent again.
 */
public final class RunAsTaskService implements RunAsTaskUseCase {
    /** The design's specialist for every health operation. */
    static final String SPECIALIST = "devops";

    /**
     * One call kept for later: the run it belongs to, the tool, its arguments (without task_id when {@code taskFrom}
     * names the deferred plan whose answer will give it).
     */
    public record Deferred(String run, OrchestratorTool tool, Map<String, Object> arguments,
                           java.util.OptionalLong taskFrom) {
        public Deferred {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(tool, "tool");
            arguments = Map.copyOf(arguments);
            Objects.requireNonNull(taskFrom, "taskFrom");
        }

        public boolean needsPlannedTask() {
            return taskFrom.isPresent();
        }
    }

    private final Optional<OrchestratorPort> orchestrator;
    private final java.util.function.ToLongFunction<Deferred> deferred;
    private final java.util.function.BooleanSupplier backlog;
    private final java.util.function.Supplier<String> runIds;

    /**
     * @param deferred keeps a call for later and returns its outbox entry id
     * @param backlog whether calls wait in the outbox now
     * @param runIds names each run uniquely (the outbox groups its calls by it)
     */
    public RunAsTaskService(Optional<OrchestratorPort> orchestrator, java.util.function.ToLongFunction<Deferred> deferred,
                            java.util.function.BooleanSupplier backlog, java.util.function.Supplier<String> runIds) {
        this.orchestrator = Objects.requireNonNull(orchestrator);
        this.deferred = Objects.requireNonNull(deferred);
        this.backlog = Objects.requireNonNull(backlog);
        this.runIds = Objects.requireNonNull(runIds);
    }

    @Override
    public <T> Linked<T> run(Request request, Function<Context, Work<T>> work) {
        if (orchestrator.isEmpty()) {
            Work<T> w = work.apply(new Context(request.sessionId(), Optional.empty()));
            return new Linked<>(w.result(), new Link(request.sessionId(), Optional.empty(), State.NOT_CONFIGURED,
                    "no orchestrator is configured (health.orchestrator), so no task was planned or linked for "
                            + "session " + request.sessionId() + "; the work was done without it"));
        }
        OrchestratorPort port = orchestrator.get();
        String run = runIds.get();
        List<String> trouble = new ArrayList<>();
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("title", request.title());
        plan.put("description", request.description());
        plan.put("complexity", request.complexity().name().toLowerCase(Locale.ROOT));
        plan.put("specialist_type", SPECIALIST);
        Optional<String> taskId = Optional.empty();
        java.util.OptionalLong planEntry = java.util.OptionalLong.empty();
        boolean queued = false;
        OrchestratorReply planned = backlog(trouble)
                ? new OrchestratorReply.NotDelivered("earlier calls wait in the outbox")
                : port.call(OrchestratorTool.PLAN_TASK, plan);
        if (planned instanceof OrchestratorReply.Answered) {
            Object id = ((OrchestratorReply.Answered) planned).json().get("task_id");
            taskId = id instanceof String && !((String) id).isBlank() ? Optional.of((String) id) : Optional.empty();
            if (taskId.isEmpty()) {
                trouble.add("plan_task answered without a task_id");
            }
        } else if (planned instanceof OrchestratorReply.NotDelivered) {
            planEntry = defer(new Deferred(run, OrchestratorTool.PLAN_TASK, plan, java.util.OptionalLong.empty()),
                    trouble);
            queued = planEntry.isPresent();
        } else {
            trouble.add("plan_task: " + describe(planned));
        }
        boolean lifecycle = taskId.isPresent() || queued;
        if (lifecycle) {
            queued |= send(port, run, OrchestratorTool.EXECUTE_TASK, Map.of(), taskId, planEntry, queued, trouble);
        }
        Work<T> w;
        try {
            w = work.apply(new Context(request.sessionId(), taskId));
        } catch (RuntimeException e) {
            if (lifecycle) {
                try {
                    send(port, run, OrchestratorTool.UPDATE_TASK, failed(request, e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage())), taskId, planEntry, queued,
                            trouble);
                } catch (RuntimeException alsoFailed) {
                    e.addSuppressed(alsoFailed);
                }
            }
            throw e;
        }
        if (lifecycle && w.failed()) {
            queued |= send(port, run, OrchestratorTool.UPDATE_TASK, failed(request, w.summary()), taskId, planEntry,
                    queued, trouble);
        } else if (lifecycle) {
            Map<String, Object> done = new LinkedHashMap<>();
            done.put("summary", w.summary());
            done.put("detailed_work", w.log().isBlank() ? w.summary() : w.log());
            done.put("next_action", "complete");
            queued |= send(port, run, OrchestratorTool.COMPLETE_TASK, done, taskId, planEntry, queued, trouble);
        }
        State state = queued ? State.QUEUED : taskId.isPresent() ? State.LINKED : State.NOT_LINKED;
        String message = switch (state) {
            case QUEUED -> "the orchestrator (" + port.server().value() + ") could not be reached; the task's "
                    + "updates wait in the outbox and are delivered in order when it is back";
            case LINKED -> "linked to task " + taskId.get() + " in session " + request.sessionId()
                    + (trouble.isEmpty() ? "" : " (" + String.join("; ", trouble) + ")");
            default -> "the orchestrator did not take the task (" + String.join("; ", trouble) + "); the work was "
                    + "done without it";
        };
        return new Linked<>(w.result(), new Link(request.sessionId(), taskId, state, message));
    }

    private static Map<String, Object> failed(Request request, String why) {
        Map<String, Object> failed = new LinkedHashMap<>();
        failed.put("status", "failed");
        failed.put("description", request.title() + " failed: " + why);
        return failed;
    }

    /** Whether calls wait in the outbox; an outbox that cannot be read is taken as empty (the work goes on). */
    private boolean backlog(List<String> trouble) {
        try {
            return backlog.getAsBoolean();
        } catch (RuntimeException e) {
            trouble.add("the outbox could not be read: " + e.getMessage());
            return false;
        }
    }

    /** Keeps a call for later; empty (and said in {@code trouble}) when the outbox cannot take it. */
    private java.util.OptionalLong defer(Deferred d, List<String> trouble) {
        try {
            return java.util.OptionalLong.of(deferred.applyAsLong(d));
        } catch (RuntimeException e) {
            trouble.add(d.tool().code().replace("orchestrator_", "") + " could not be kept for later: "
                    + e.getMessage());
            return java.util.OptionalLong.empty();
        }
    }

    /**
     * Sends one lifecycle call now, or defers it: deferred when an earlier call of the run was deferred (so that the
     * run's calls keep their order), or when this call is not delivered. True when it was deferred.
     */
    private boolean send(OrchestratorPort port, String run, OrchestratorTool tool, Map<String, Object> args,
                         Optional<String> taskId, java.util.OptionalLong planEntry, boolean earlierDeferred,
                         List<String> trouble) {
        Map<String, Object> withTask = new LinkedHashMap<>();
        taskId.ifPresent(id -> withTask.put("task_id", id));
        withTask.putAll(args);
        if (taskId.isEmpty() || earlierDeferred) {
            return defer(new Deferred(run, tool, withTask, taskId.isEmpty() ? planEntry
                    : java.util.OptionalLong.empty()), trouble).isPresent();
        }
        OrchestratorReply r = port.call(tool, withTask);
        if (r instanceof OrchestratorReply.NotDelivered) {
            return defer(new Deferred(run, tool, withTask, java.util.OptionalLong.empty()), trouble).isPresent();
        }
        if (r instanceof OrchestratorReply.Refused || r instanceof OrchestratorReply.Unconfirmed) {
            trouble.add(tool.code().replace("orchestrator_", "") + ": " + describe(r));
        }
        return false;
    }

    private static String describe(OrchestratorReply r) {
        if (r instanceof OrchestratorReply.Refused) {
            return "refused: " + ((OrchestratorReply.Refused) r).error();
        }
        if (r instanceof OrchestratorReply.Unconfirmed) {
            return "no answer: " + ((OrchestratorReply.Unconfirmed) r).reason();
        }
        if (r instanceof OrchestratorReply.NotDelivered) {
            return "not delivered: " + ((OrchestratorReply.NotDelivered) r).reason();
        }
        return r.getClass().getSimpleName();
    }
}
