package dev.mcphealth.application.orchestrator;

import dev.mcphealth.application.orchestrator.RunAsTaskService.Deferred;
import dev.mcphealth.application.orchestrator.RunAsTaskService.Made;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.domain.model.Faults;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;

/**
 * The calls of one run ({@link TaskRun}) to the orchestrator: made now, or kept for later in the outbox
 * ({@code deferred}) when it did not get them, in order; every call made directly is kept with its reply as the run's
 * record ({@code journal}); what went wrong on the way is the run's trouble, never thrown. Once a call of the run waits
 * in the outbox, every later one waits behind it.
 */
final class RunCalls {
    /** What planning a task came to: its id, or its plan's outbox entry, or the record of a plan whose answer was lost. */
    record Planning(Optional<String> task, OptionalLong entry, OptionalLong lost) {
    }

    private final OrchestratorPort port;
    private final String run;
    private final ToLongFunction<Deferred> deferred;
    private final ToLongFunction<Made> journal;
    private final BooleanSupplier backlog;
    private final Clock clock;
    /**
     * Guards whether the run's calls wait, and its trouble. Never held while the orchestrator is called, so steps on
     * other threads are not held up by a slow call. Each task's own calls are made in order by one thread; once a call
     * waits in the outbox, every later one of the run waits behind it (only calls of sibling subtasks, which do not
     * depend on each other, may cross).
     */
    private final Object lock = new Object();
    private final List<String> trouble = new ArrayList<>();
    private boolean queued;

    /**
     * @param deferred keeps a call for later and returns its outbox entry id
     * @param journal keeps a call made directly (or never to be made) as the run's record; returns its entry id
     * @param backlog whether calls wait in the outbox now
     */
    RunCalls(OrchestratorPort port, String run, ToLongFunction<Deferred> deferred, ToLongFunction<Made> journal,
             BooleanSupplier backlog, Clock clock) {
        this.port = port;
        this.run = run;
        this.deferred = deferred;
        this.journal = journal;
        this.backlog = backlog;
        this.clock = clock;
    }

    /** Whether a call of the run waits in the outbox. */
    boolean waiting() {
        synchronized (lock) {
            return queued;
        }
    }

    List<String> trouble() {
        synchronized (lock) {
            return List.copyOf(trouble);
        }
    }

    void trouble(String what) {
        synchronized (lock) {
            trouble.add(what);
        }
    }

    /** Whether calls wait in the outbox; an outbox that cannot be read is taken as empty (the work goes on). */
    boolean backlogged() {
        try {
            return backlog.getAsBoolean();
        } catch (RuntimeException e) {
            trouble("the outbox could not be read: " + Faults.describe(e));
            return false;
        }
    }

    /**
     * Plans a task with {@code plan}, or keeps the plan for later when {@code waitFor} says why it must wait; what went
     * wrong is told as {@code as} + what happened ({@code noId} when it answered no id).
     */
    Planning plan(OrchestratorRequest.PlanTask plan, Optional<String> waitFor, String noId, String as) {
        Instant sent = clock.instant();
        OrchestratorReply planned = waitFor.isPresent() ? new OrchestratorReply.NotDelivered(waitFor.get())
                : port.call(plan);
        OptionalLong recorded = planned.delivered() ? record(plan, sent, planned) : OptionalLong.empty();
        if (planned instanceof OrchestratorReply.Answered a) {
            Optional<String> task = a.answer() instanceof OrchestratorAnswer.Planned p ? p.taskId() : Optional.empty();
            if (task.isEmpty()) {
                trouble(noId);
            }
            return new Planning(task, OptionalLong.empty(), OptionalLong.empty());
        }
        if (planned instanceof OrchestratorReply.NotDelivered) {
            synchronized (lock) {
                OptionalLong entry = defer(new Deferred(run, plan, OptionalLong.empty()));
                queued |= entry.isPresent();
                return new Planning(Optional.empty(), entry, OptionalLong.empty());
            }
        }
        trouble(as + planned.describe());
        // a plan whose answer was lost may have created a task whose id MCP Health does not know
        boolean lost = planned instanceof OrchestratorReply.Unconfirmed
                || planned instanceof OrchestratorReply.DoneDespiteError;
        return new Planning(Optional.empty(), OptionalLong.empty(), lost ? recorded : OptionalLong.empty());
    }

    /**
     * Closes a task: sends the closing call (or defers it) when the task is known or its plan waits; when its plan's
     * answer was lost ({@code lost}, that plan's record), records the call as never sent, so that reconciliation
     * knows how the work ended; with no task at all, nothing.
     */
    void close(OrchestratorRequest.OfTask call, Optional<String> task, OptionalLong plan, OptionalLong lost) {
        if (task.isPresent() || plan.isPresent()) {
            send(call, task, plan);
        } else if (lost.isPresent()) {
            Instant now = clock.instant();
            journal(new Made(run, call, lost, now, new OutboxPort.Skipped("not sent: the answer to its"
                    + " plan_task (entry " + lost.getAsLong() + ") was lost, so its task_id is unknown;"
                    + " reconciliation closes the task once the orchestrator is back", now)));
        }
    }

    /**
     * Sends one lifecycle call ({@code call}, without its task id) of {@code task} now, or defers it: deferred when an
     * earlier call of the run was deferred (so that the run's calls keep their order), when the task is not known yet
     * (it takes its id from {@code plan}, its deferred plan), or when this call is not delivered.
     */
    void send(OrchestratorRequest.OfTask call, Optional<String> task, OptionalLong plan) {
        OrchestratorRequest.OfTask withTask = task.isPresent() ? call.forTask(task.get()) : call;
        synchronized (lock) {
            if (task.isEmpty() || queued) {
                queued |= defer(new Deferred(run, withTask, task.isEmpty() ? plan : OptionalLong.empty()))
                        .isPresent();
                return;
            }
        }
        // made outside the lock: the steps running on other threads are not held up by this call
        Instant sent = clock.instant();
        OrchestratorReply r = port.call(withTask);
        if (r instanceof OrchestratorReply.NotDelivered) {
            synchronized (lock) {
                queued |= defer(new Deferred(run, withTask, OptionalLong.empty())).isPresent();
            }
            return;
        }
        record(withTask, sent, r);
        if (r instanceof OrchestratorReply.Refused || r instanceof OrchestratorReply.Unconfirmed) {
            trouble(withTask.tool().shortName() + ": " + r.describe());
        }
    }

    /** Keeps a call for later; empty (and said in the run's trouble) when the outbox cannot take it. */
    private OptionalLong defer(Deferred d) {
        return keep(deferred, d, d.tool(), "kept for later");
    }

    /** Keeps a call made directly, with its reply, as the run's record; empty if the record could not be kept. */
    private OptionalLong record(OrchestratorRequest call, Instant sent, OrchestratorReply reply) {
        return journal(new Made(run, call, OptionalLong.empty(), sent,
                new OutboxPort.Replied(reply, clock.instant())));
    }

    /** Keeps {@code made}; a record that cannot be kept is said in the run's trouble, never thrown. */
    private OptionalLong journal(Made made) {
        return keep(journal, made, made.tool(), "recorded");
    }

    /** Hands {@code item} to {@code store}: its entry id, or empty (and said in the run's trouble) when it failed. */
    private <T> OptionalLong keep(ToLongFunction<T> store, T item, OrchestratorTool tool, String as) {
        try {
            return OptionalLong.of(store.applyAsLong(item));
        } catch (RuntimeException e) {
            trouble(tool.shortName() + " could not be " + as + ": " + Faults.describe(e));
            return OptionalLong.empty();
        }
    }
}
