package dev.mcphealth.application.orchestrator;

import dev.mcphealth.domain.model.Faults;

import dev.mcphealth.application.port.in.RelinkDeferredTasksUseCase;
import dev.mcphealth.application.port.in.RunAsTaskUseCase;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationStatus;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationType;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.port.out.TaskLinkPort;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * The task lifecycle around a health operation (see {@link RunAsTaskUseCase}). Calls the orchestrator did not get
 * ({@link OrchestratorReply.NotDelivered}) go to {@code deferred} (the outbox), in order, to be delivered when it
 * returns; a call that needs the task id of a plan that was itself deferred names that plan's outbox entry
 * ({@link Deferred#taskFrom()}) and gets the id at delivery. While earlier calls wait ({@code backlog}), a new run's
 * calls wait behind them too, so that the orchestrator sees every run in order. A call that was delivered (answered,
 * refused, unconfirmed) is never sent again.
 *
 * <p>Steps ({@link RunAsTaskUseCase.Steps}) are subtasks of the run's task, planned with its {@code parent_task_id}
 * and {@link #STEP_COMPLEXITY}; their calls follow the same rules (once a call of the run waits in the outbox, every
 * later one waits behind it). A step cannot be planned while the run's own plan waits in the outbox (its id, the
 * parent's, is not known): it then runs under the run's stand-in and is only told in the run's detailed work. A run
 * with steps is closed by query_tasks (the subtasks' progress) and synthesize_results, each recorded in the integration log; the
 * contract says query_tasks errors whenever its result is non-empty and synthesize_results answers "not found", so the
 * synthesis falls back on MCP Health's own count of its steps and says so.
 *
 * <p>The task the work stamps on what it records ({@link Context#taskId()}) is, while the plan waits in the outbox, a
 * stand-in ({@link TaskLinkPort#standIn}) that {@link RelinkDeferredTasksUseCase} replaces by the task id once the plan
 * is delivered; likewise a step's whose plan waits.
 *
 * <p>Every lifecycle call made directly (plan, execute, complete, update) is kept with its reply as the run's record
 * ({@code journal}, the outbox's settled entries), and so is the closing call of a task whose plan's answer was lost,
 * as never sent: with the deferred calls, that is MCP Health's record of every task it planned and of how its work
 * ended, from which {@link ReconcileOrchestratorTasksService} closes the tasks it did not see closed.
 */
public final class RunAsTaskService implements RunAsTaskUseCase {
    /** The design's specialist for every health operation. */
    static final String SPECIALIST = "devops";
    /** A step is one operation on one server. */
    static final String STEP_COMPLEXITY = "simple";
    static final String BY_ORCHESTRATOR = "orchestrator";
    static final String BY_MCP_HEALTH = "mcp-health";
    /** The longest detailed work sent with complete_task (the work's log and, for a run with steps, the steps). */

    /**
     * One call kept for later: the run it belongs to, the tool, its arguments (without task_id when {@code taskFrom}
     * names the deferred plan whose answer will give it).
     */
    public record Deferred(String run, OrchestratorTool tool, Map<String, Object> arguments, OptionalLong taskFrom) {
        public Deferred {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(tool, "tool");
            arguments = Map.copyOf(arguments);
            Objects.requireNonNull(taskFrom, "taskFrom");
        }
    }

    /**
     * One call of a run as its record: made directly at {@code at} (its reply), or never to be made
     * ({@link OutboxPort.Skipped}, and why). With {@code taskFrom}, the record of the plan whose task it is about (whose
     * answer was lost, so no task id is known).
     */
    public record Made(String run, OrchestratorTool tool, Map<String, Object> arguments, OptionalLong taskFrom,
                       Instant at, OutboxPort.Ending ending) {
        public Made {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(tool, "tool");
            arguments = Map.copyOf(arguments);
            Objects.requireNonNull(taskFrom, "taskFrom");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(ending, "ending");
        }
    }

    /** How many finished runs are remembered as this process's (reconciliation needs no grace for them). */
    static final int FINISHED_REMEMBERED = 10_000;

    private final Optional<OrchestratorPort> orchestrator;
    private final ToLongFunction<Deferred> deferred;
    private final ToLongFunction<Made> journal;
    private final BooleanSupplier backlog;
    private final Supplier<String> runIds;
    private final OrchestratorIntegrationLogPort log;
    private final Clock clock;
    private final Set<String> live = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> finished = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > FINISHED_REMEMBERED;
                }
            });

    /**
     * @param deferred keeps a call for later and returns its outbox entry id
     * @param journal keeps a call made directly (or never to be made) as the run's record; returns its entry id
     * @param backlog whether calls wait in the outbox now
     * @param runIds names each run uniquely (the outbox groups its calls by it)
     * @param log where closing a multi-step run (query_tasks, synthesize_results) is recorded
     */
    public RunAsTaskService(Optional<OrchestratorPort> orchestrator, ToLongFunction<Deferred> deferred,
                            ToLongFunction<Made> journal, BooleanSupplier backlog, Supplier<String> runIds,
                            OrchestratorIntegrationLogPort log, Clock clock) {
        this.orchestrator = Objects.requireNonNull(orchestrator);
        this.deferred = Objects.requireNonNull(deferred);
        this.journal = Objects.requireNonNull(journal);
        this.backlog = Objects.requireNonNull(backlog);
        this.runIds = Objects.requireNonNull(runIds);
        this.log = Objects.requireNonNull(log);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public <T> Linked<T> run(Request request, Function<Context, Work<T>> work) {
        if (orchestrator.isEmpty()) {
            Work<T> w = work.apply(new Context(request.sessionId(), Optional.empty()));
            return new Linked<>(w.result(), new Link(request.sessionId(), Optional.empty(), State.NOT_CONFIGURED,
                    "no orchestrator is configured (health.orchestrator), so no task was planned or linked for "
                            + "session " + request.sessionId() + "; the work was done without it"));
        }
        Run run = new Run(orchestrator.get(), runIds.get(), request);
        live.add(run.id);
        try {
            run.plan();
            Work<T> w;
            try {
                w = work.apply(new Context(request.sessionId(), run.stamp(), run));
            } catch (RuntimeException e) {
                run.fail(e);
                throw e;
            }
            return new Linked<>(w.result(), run.finish(w));
        } finally {
            finished.put(run.id, Boolean.TRUE);
            live.remove(run.id);
        }
    }

    /**
     * Where run {@code run} stands in this process: running now, finished here (everything it will record is
     * recorded), or not one of this process's (an earlier process's, or another's on the same database).
     */
    public RunHere here(String run) {
        if (live.contains(run)) {
            return RunHere.LIVE;
        }
        return finished.containsKey(run) ? RunHere.FINISHED
                : RunHere.NOT_HERE;
    }

    /** One run: its task, whether its calls wait in the outbox, its steps, and what went wrong on the way. */
    private final class Run implements Steps {
        private final OrchestratorPort port;
        private final String id;
        private final Request request;
        private final List<String> trouble = new ArrayList<>();
        private final List<Step> steps = new ArrayList<>();
        /**
         * Guards the run's shared state: whether its calls wait, its steps, its trouble. Never held while the
         * orchestrator is called, so steps on other threads are not held up by a slow call. Each task's own calls are
         * made in order by one thread; once a call waits in the outbox, every later one of the run waits behind it
         * (only calls of sibling subtasks, which do not depend on each other, may cross).
         */
        private final Object calls = new Object();
        private Optional<String> taskId = Optional.empty();
        private OptionalLong planEntry = OptionalLong.empty();
        /** The record of the run's plan when its answer was lost: the task may exist, its id is unknown. */
        private OptionalLong lostPlan = OptionalLong.empty();
        /** Once a call of the run waits in the outbox, every later one waits behind it. */
        private boolean queued;

        Run(OrchestratorPort port, String id, Request request) {
            this.port = port;
            this.id = id;
            this.request = request;
        }

        void plan() {
            Map<String, Object> plan = new LinkedHashMap<>();
            plan.put("title", request.title());
            plan.put("description", request.description());
            plan.put("complexity", request.complexity().name().toLowerCase(Locale.ROOT));
            plan.put("specialist_type", SPECIALIST);
            Instant sent = clock.instant();
            OrchestratorReply planned = backlog()
                    ? new OrchestratorReply.NotDelivered("earlier calls wait in the outbox")
                    : port.call(OrchestratorTool.PLAN_TASK, plan);
            OptionalLong recorded = planned.delivered()
                    ? record(OrchestratorTool.PLAN_TASK, plan, sent, planned) : OptionalLong.empty();
            if (planned instanceof OrchestratorReply.Answered a) {
                taskId = taskIdOf(a);
                if (taskId.isEmpty()) {
                    trouble("plan_task answered without a task_id");
                }
            } else if (planned instanceof OrchestratorReply.NotDelivered) {
                planEntry = defer(new Deferred(id, OrchestratorTool.PLAN_TASK, plan, OptionalLong.empty()));
                queued = planEntry.isPresent();
            } else {
                if (lost(planned)) {
                    lostPlan = recorded;
                }
                trouble("plan_task: " + planned.describe());
            }
            if (lifecycle()) {
                send(OrchestratorTool.EXECUTE_TASK, Map.of(), taskId, planEntry);
            }
        }

        /** What the run's rows carry: its task id, or while its plan waits in the outbox, the stand-in for it. */
        Optional<String> stamp() {
            return taskId.or(() -> standIn(planEntry));
        }

        /** Whether the run has a task, planned or waiting to be. */
        private boolean lifecycle() {
            return taskId.isPresent() || planEntry.isPresent();
        }

        void fail(RuntimeException e) {
            try {
                close(OrchestratorTool.UPDATE_TASK, failed(request.title(), Faults.describe(e)), taskId, planEntry,
                        lostPlan);
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
        }

        <T> Link finish(Work<T> w) {
            List<Step> done;
            synchronized (calls) {
                done = List.copyOf(steps);
            }
            Optional<Synthesis> synthesis = done.isEmpty() ? Optional.empty() : Optional.of(close(done));
            if (w.failed()) {
                close(OrchestratorTool.UPDATE_TASK, failed(request.title(), w.summary()), taskId, planEntry,
                        lostPlan);
            } else {
                Map<String, Object> complete = new LinkedHashMap<>();
                complete.put("summary", w.summary());
                complete.put("detailed_work", DetailedWork.capped((w.log().isBlank() ? w.summary() : w.log())
                        + synthesis.map(s -> "\n\n" + stepsText(done, s)).orElse("")));
                complete.put("next_action", "complete");
                close(OrchestratorTool.COMPLETE_TASK, complete, taskId, planEntry, lostPlan);
            }
            boolean wasQueued;
            List<String> problems;
            synchronized (calls) {
                wasQueued = queued;
                problems = List.copyOf(trouble);
            }
            State state = wasQueued ? State.QUEUED : taskId.isPresent() ? State.LINKED : State.NOT_LINKED;
            String steps = done.isEmpty() ? "" : ", " + done.size() + " step(s)"
                    + (done.stream().anyMatch(s -> s.taskId().isPresent()) ? " as subtasks" : "");
            String message = switch (state) {
                case QUEUED -> "the orchestrator (" + port.server().value() + ") could not be reached; the task's "
                        + "updates wait in the outbox and are delivered in order when it is back" + steps;
                case LINKED -> "linked to task " + taskId.get() + " in session " + request.sessionId() + steps
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
            Optional<String> stepTask = Optional.empty();
            OptionalLong stepPlan = OptionalLong.empty();
            OptionalLong stepLost = OptionalLong.empty();
            if (taskId.isPresent()) {
                Map<String, Object> plan = new LinkedHashMap<>();
                plan.put("title", title);
                plan.put("description", description);
                plan.put("parent_task_id", taskId.get());
                plan.put("complexity", STEP_COMPLEXITY);
                plan.put("specialist_type", SPECIALIST);
                boolean waiting;
                synchronized (calls) {
                    waiting = queued;
                }
                Instant sent = clock.instant();
                OrchestratorReply planned = waiting
                        ? new OrchestratorReply.NotDelivered("earlier calls of the run wait in the outbox")
                        : port.call(OrchestratorTool.PLAN_TASK, plan);
                OptionalLong recorded = planned.delivered()
                        ? record(OrchestratorTool.PLAN_TASK, plan, sent, planned) : OptionalLong.empty();
                if (planned instanceof OrchestratorReply.Answered a) {
                    stepTask = taskIdOf(a);
                    if (stepTask.isEmpty()) {
                        trouble("step '" + title + "': plan_task answered without a task_id");
                    }
                } else if (planned instanceof OrchestratorReply.NotDelivered) {
                    synchronized (calls) {
                        stepPlan = defer(new Deferred(id, OrchestratorTool.PLAN_TASK, plan, OptionalLong.empty()));
                        queued |= stepPlan.isPresent();
                    }
                } else {
                    if (lost(planned)) {
                        stepLost = recorded;
                    }
                    trouble("step '" + title + "': plan_task " + planned.describe());
                }
            }
            boolean subtask = stepTask.isPresent() || stepPlan.isPresent();
            if (subtask) {
                send(OrchestratorTool.EXECUTE_TASK, Map.of(), stepTask, stepPlan);
            }
            Work<T> w;
            try {
                Optional<String> stamp = stepTask.isPresent() ? stepTask
                        : stepPlan.isPresent() ? standIn(stepPlan) : stamp();
                w = work.apply(stamp);
            } catch (RuntimeException e) {
                String why = Faults.describe(e);
                close(OrchestratorTool.UPDATE_TASK, failed(title, why), stepTask, stepPlan, stepLost);
                synchronized (calls) {
                    steps.add(new Step(title, stepTask, true, why));
                }
                throw e;
            }
            if (w.failed()) {
                close(OrchestratorTool.UPDATE_TASK, failed(title, w.summary()), stepTask, stepPlan, stepLost);
            } else {
                Map<String, Object> complete = new LinkedHashMap<>();
                complete.put("summary", w.summary());
                complete.put("detailed_work", w.log().isBlank() ? w.summary() : w.log());
                complete.put("next_action", "complete");
                close(OrchestratorTool.COMPLETE_TASK, complete, stepTask, stepPlan, stepLost);
            }
            synchronized (calls) {
                steps.add(new Step(title, stepTask, w.failed(), w.summary()));
            }
            return w.result();
        }

        /**
         * Closes a run with steps: query_tasks for the subtasks' progress, then synthesize_results; neither is asked
         * while the run's calls wait in the outbox (they read what the orchestrator has not been told yet).
         */
        private Synthesis close(List<Step> done) {
            int completed = (int) done.stream().filter(s -> !s.failed()).count();
            int failedSteps = done.size() - completed;
            boolean waiting;
            synchronized (calls) {
                waiting = queued;
            }
            if (taskId.isEmpty() || waiting) {
                String why = "not asked: " + (waiting ? "the run's calls wait in the outbox"
                        : "the run has no task in the orchestrator");
                return new Synthesis(BY_MCP_HEALTH, done.size(), completed, failedSteps, why, why);
            }
            String parent = taskId.get();
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("parent_task_id", parent);
            query.put("limit", 100);
            OrchestratorReply progressReply = port.call(OrchestratorTool.QUERY_TASKS, query);
            String progress;
            if (progressReply instanceof OrchestratorReply.Answered a) {
                progress = progressOf(a.answer());
            } else {
                progress = "query_tasks gave none (" + progressReply.describe() + ")"
                        + (progressReply instanceof OrchestratorReply.Refused
                        && done.stream().anyMatch(s -> s.taskId().isPresent())
                        ? "; it errors whenever its result is non-empty, a known quirk of the orchestrator" : "");
            }
            record(OrchestratorTool.QUERY_TASKS, progressReply, parent, Map.of("progress", progress));
            OrchestratorReply synthesized = port.call(OrchestratorTool.SYNTHESIZE_RESULTS,
                    Map.of("parent_task_id", parent));
            Optional<Synthesis> theirs = synthesized instanceof OrchestratorReply.Answered a
                    ? theirs(a.answer(), progress) : Optional.empty();
            Synthesis synthesis = theirs.orElseGet(() -> new Synthesis(BY_MCP_HEALTH, done.size(), completed,
                    failedSteps, progress, "synthesize_results gave none (" + synthesized.describe()
                    + "); the steps are counted by MCP Health"));
            record(OrchestratorTool.SYNTHESIZE_RESULTS, synthesized, parent, Map.of("by", synthesis.by(),
                    "subtasks", synthesis.subtasks(), "completed", synthesis.completed(), "failed",
                    synthesis.failed(), "note", synthesis.note()));
            return synthesis;
        }

        /** Records one closing call; a log that cannot be written is said in the run's message, never thrown. */
        private void record(OrchestratorTool tool, OrchestratorReply reply, String parent,
                            Map<String, Object> found) {
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("parentTaskId", parent);
            results.put("reply", reply.code());
            if (!(reply instanceof OrchestratorReply.Answered)) {
                results.put("error", reply.describe());
            }
            results.putAll(found);
            try {
                log.record(new OrchestratorIntegrationLogPort.Entry(IntegrationType.EXTERNAL_MONITORING, tool,
                        reply instanceof OrchestratorReply.Answered ? IntegrationStatus.ACTIVE
                                : IntegrationStatus.FAILED, clock.instant(), results));
            } catch (RuntimeException e) {
                trouble(tool.code().replace("orchestrator_", "") + " could not be recorded: " + e.getMessage());
            }
        }

        private void trouble(String what) {
            synchronized (calls) {
                trouble.add(what);
            }
        }

        /** Whether calls wait in the outbox; an outbox that cannot be read is taken as empty (the work goes on). */
        private boolean backlog() {
            try {
                return backlog.getAsBoolean();
            } catch (RuntimeException e) {
                trouble("the outbox could not be read: " + e.getMessage());
                return false;
            }
        }

        /** Keeps a call for later; empty (and said in the run's trouble) when the outbox cannot take it. */
        private OptionalLong defer(Deferred d) {
            try {
                return OptionalLong.of(deferred.applyAsLong(d));
            } catch (RuntimeException e) {
                trouble(d.tool().code().replace("orchestrator_", "") + " could not be kept for later: "
                        + e.getMessage());
                return OptionalLong.empty();
            }
        }

        /**
         * Closes a task: sends the closing call (or defers it) when the task is known or its plan waits; when its plan's
         * answer was lost ({@code lost}, that plan's record), records the call as never sent, so that reconciliation
         * knows how the work ended; with no task at all, nothing.
         */
        private void close(OrchestratorTool tool, Map<String, Object> args, Optional<String> task, OptionalLong plan,
                           OptionalLong lost) {
            if (task.isPresent() || plan.isPresent()) {
                send(tool, args, task, plan);
            } else if (lost.isPresent()) {
                Instant now = clock.instant();
                journal(new Made(id, tool, args, lost, now, new OutboxPort.Skipped("not sent: the answer to its"
                        + " plan_task (entry " + lost.getAsLong() + ") was lost, so its task_id is unknown;"
                        + " reconciliation closes the task once the orchestrator is back", now)));
            }
        }

        /** Keeps a call made directly, with its reply, as the run's record; empty if the record could not be kept. */
        private OptionalLong record(OrchestratorTool tool, Map<String, Object> args, Instant sent,
                                    OrchestratorReply reply) {
            return journal(new Made(id, tool, args, OptionalLong.empty(), sent,
                    new OutboxPort.Replied(reply, clock.instant())));
        }

        /** Keeps {@code made}; a record that cannot be kept is said in the run's trouble, never thrown. */
        private OptionalLong journal(Made made) {
            try {
                return OptionalLong.of(journal.applyAsLong(made));
            } catch (RuntimeException e) {
                trouble(made.tool().code().replace("orchestrator_", "") + " could not be recorded: "
                        + e.getMessage());
                return OptionalLong.empty();
            }
        }

        /**
         * Sends one lifecycle call of {@code task} now, or defers it: deferred when an earlier call of the run was
         * deferred (so that the run's calls keep their order), when the task is not known yet (it takes its id from
         * {@code plan}, its deferred plan), or when this call is not delivered.
         */
        private void send(OrchestratorTool tool, Map<String, Object> args, Optional<String> task, OptionalLong plan) {
            Map<String, Object> withTask = new LinkedHashMap<>();
            task.ifPresent(t -> withTask.put("task_id", t));
            withTask.putAll(args);
            synchronized (calls) {
                if (task.isEmpty() || queued) {
                    queued |= defer(new Deferred(id, tool, withTask, task.isEmpty() ? plan : OptionalLong.empty()))
                            .isPresent();
                    return;
                }
            }
            // made outside the lock: the steps running on other threads are not held up by this call
            Instant sent = clock.instant();
            OrchestratorReply r = port.call(tool, withTask);
            if (r instanceof OrchestratorReply.NotDelivered) {
                synchronized (calls) {
                    queued |= defer(new Deferred(id, tool, withTask, OptionalLong.empty())).isPresent();
                }
                return;
            }
            record(tool, withTask, sent, r);
            if (r instanceof OrchestratorReply.Refused || r instanceof OrchestratorReply.Unconfirmed) {
                trouble(tool.code().replace("orchestrator_", "") + ": " + r.describe());
            }
        }
    }

    /** A plan whose answer was lost: it may have created a task whose id MCP Health does not know. */
    private static boolean lost(OrchestratorReply planned) {
        return planned instanceof OrchestratorReply.Unconfirmed || planned instanceof OrchestratorReply.DoneDespiteError;
    }

    private static Optional<String> standIn(OptionalLong planEntry) {
        return planEntry.isPresent() ? Optional.of(TaskLinkPort.standIn(planEntry.getAsLong())) : Optional.empty();
    }

    private static Optional<String> taskIdOf(OrchestratorReply.Answered a) {
        return a.answer() instanceof OrchestratorAnswer.Planned p ? p.taskId() : Optional.empty();
    }

    /** "N subtask(s): 2 completed, 1 failed" from query_tasks' tasks. */
    private static String progressOf(OrchestratorAnswer answer) {
        if (!(answer instanceof OrchestratorAnswer.Subtasks subtasks) || subtasks.statuses().isEmpty()) {
            return "query_tasks answered without tasks";
        }
        List<String> statuses = subtasks.statuses().get();
        Map<String, Long> byStatus = statuses.stream()
                .collect(Collectors.groupingBy(s -> s, java.util.TreeMap::new, Collectors.counting()));
        return statuses.size() + " subtask(s) in the orchestrator" + (byStatus.isEmpty() ? "" : ": " + byStatus
                .entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
    }

    /** synthesize_results' own counts, when it answered with them. */
    private static Optional<Synthesis> theirs(OrchestratorAnswer answer, String progress) {
        if (!(answer instanceof OrchestratorAnswer.Synthesized synthesized) || synthesized.counts().isEmpty()) {
            return Optional.empty();
        }
        OrchestratorAnswer.Synthesized.Counts c = synthesized.counts().get();
        return Optional.of(new Synthesis(BY_ORCHESTRATOR, c.total(), c.completed(), c.failed(), progress,
                "synthesized by the orchestrator (" + synthesized.keyOutcomes() + " key outcome(s))"));
    }

    /** The run's steps and synthesis, as told in its detailed work. */
    private static String stepsText(List<Step> steps, Synthesis s) {
        return "Steps (" + steps.size() + "):\n" + steps.stream()
                .map(st -> "- [" + (st.failed() ? "failed" : "completed") + "] " + st.title()
                        + st.taskId().map(t -> " (" + t + ")").orElse("") + ": " + st.summary())
                .collect(Collectors.joining("\n"))
                + "\nSynthesis (" + s.by() + "): " + s.completed() + " of " + s.subtasks() + " completed, "
                + s.failed() + " failed; progress: " + s.progress() + "; " + s.note();
    }

    private static Map<String, Object> failed(String title, String why) {
        Map<String, Object> failed = new LinkedHashMap<>();
        failed.put("status", "failed");
        failed.put("description", title + " failed: " + why);
        return failed;
    }

}
