package dev.mcphealth.application.orchestrator;

import dev.mcphealth.application.port.in.RelinkDeferredTasksUseCase;
import dev.mcphealth.application.port.in.RunAsTaskUseCase;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.port.out.TaskLinkPort;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
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

    /**
     * One call kept for later: the run it belongs to and the request (without its task id when {@code taskFrom} names
     * the deferred plan whose answer will give it).
     */
    public record Deferred(String run, OrchestratorRequest request, OptionalLong taskFrom) {
        public Deferred {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(taskFrom, "taskFrom");
        }

        public OrchestratorTool tool() {
            return request.tool();
        }
    }

    /**
     * One call of a run as its record: made directly at {@code at} (its reply), or never to be made
     * ({@link OutboxPort.Skipped}, and why). With {@code taskFrom}, the record of the plan whose task it is about (whose
     * answer was lost, so no task id is known).
     */
    public record Made(String run, OrchestratorRequest request, OptionalLong taskFrom, Instant at,
                       OutboxPort.Ending ending) {
        public Made {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(taskFrom, "taskFrom");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(ending, "ending");
        }

        public OrchestratorTool tool() {
            return request.tool();
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
        TaskRun run = new TaskRun(orchestrator.get(), runIds.get(), request, deferred, journal, backlog, log, clock);
        live.add(run.id());
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
            finished.put(run.id(), Boolean.TRUE);
            live.remove(run.id());
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
}
