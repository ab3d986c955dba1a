package dev.mcphealth.application.orchestrator;

import dev.mcphealth.application.port.in.ReconcileOrchestratorTasksUseCase;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationStatus;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationType;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.orchestrator.RecordedTask.Assessed;
import dev.mcphealth.application.orchestrator.RecordedTask.Done;
import dev.mcphealth.application.orchestrator.RecordedTask.Open;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer.ListedTask;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer.TaskList;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reconciliation (docs/orchestrator-outbox.md#reconciliation): closes the tasks MCP Health planned but did not see
 * closed, from its own record of them, the outbox. The outbox holds every lifecycle call of a run: the deferred ones,
 * and, settled, the ones made directly ({@link RunAsTaskService}). Each plan_task entry is one task MCP Health planned;
 * its closing entries are the complete_task and update_task (to a terminal status) entries of the same run that name
 * it ({@code task_from}) or its task id. A task was <em>seen closed</em> when one of them was answered (or done despite
 * an error); otherwise its first closing entry says how the work ended (complete_task: completed; update_task: failed),
 * and a task with none (MCP Health stopped before the work ended) is taken as failed.
 *
 * <p>For a task not seen closed it reads get_status once (its pending and active lists are what is open) and sends
 * only what the contract says is safe to repeat: complete_task, or update_task to failed, for a task that is listed as
 * open. A task whose plan's answer was lost (its id unknown) is looked for there by the title, description and parent
 * MCP Health gave it, among the open tasks whose id MCP Health does not know and that were created while the plan was
 * out (with {@link #CLOCK_SLACK} on each side); exactly one match is closed, several are left alone. plan_task and
 * execute_task are never sent. Every closing call is recorded in the outbox as a settled entry of the run, and each task
 * dealt with gets a note on its plan entry, so it is never looked at again; a pass that asked the orchestrator leaves
 * one orchestrator_health_integration row (external_monitoring, get_status).
 *
 * <p>A run is left alone while it runs in this process, while calls of it wait in the outbox (delivery comes first),
 * and, when it is not this process's run, until it has been quiet for {@code grace}: another process on the same
 * database may still be running it.
 */
public final class ReconcileOrchestratorTasksService implements ReconcileOrchestratorTasksUseCase {
    /** The plan entries read at once. */
    static final int PAGE = 100;
    /** How far the orchestrator's clock and MCP Health's may differ when a lost plan's task is matched by time. */
    static final Duration CLOCK_SLACK = Duration.ofMinutes(2);
    /** The default quiet time before another process's run is reconciled. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(15);
    static final String RECONCILED = "reconciled by MCP Health";
    /** What a summary of reconciliation's complete_task starts with. */
    static final String PREFIX = "Reconciled by MCP Health: ";

    private final OrchestratorPort orchestrator;
    private final OutboxPort outbox;
    private final OrchestratorIntegrationLogPort log;
    private final Function<String, RunHere> runs;
    private final Duration grace;
    private final Clock clock;
    /**
     * Runs a pass of this process has sent a closing call for: past their grace already (or finished here), so the
     * entry that call adds does not make them look active again. Guarded by this.
     */
    private final Set<String> touched = new HashSet<>();

    /**
     * @param runs where a run stands in this process ({@link RunAsTaskService#here})
     * @param grace how long a run that is not this process's must have been quiet before it is reconciled
     */
    public ReconcileOrchestratorTasksService(OrchestratorPort orchestrator, OutboxPort outbox,
                                             OrchestratorIntegrationLogPort log, Function<String, RunHere> runs,
                                             Duration grace, Clock clock) {
        this.orchestrator = Objects.requireNonNull(orchestrator, "orchestrator");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.log = Objects.requireNonNull(log, "log");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.grace = Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, got " + grace);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized Reconciliation reconcile() {
        Instant now = clock.instant();
        List<Reconciled> tasks = new ArrayList<>();
        List<Open> open = new ArrayList<>();
        Map<String, List<OutboxPort.Entry>> entries = new HashMap<>();
        int waiting = 0;
        long after = 0;
        List<OutboxPort.Entry> page;
        do {
            page = outbox.unreconciledPlans(after, PAGE);
            for (OutboxPort.Entry plan : page) {
                after = plan.id();
                RunHere here = runs.apply(plan.run());
                if (here == RunHere.LIVE) {
                    waiting++;
                    continue;
                }
                List<OutboxPort.Entry> run = entries.computeIfAbsent(plan.run(), outbox::run);
                if (run.stream().anyMatch(e -> !e.state().settled())
                        || here == RunHere.NOT_HERE && !touched.contains(plan.run())
                        && RecordedTask.lastActivity(run).isAfter(now.minus(grace))) {
                    waiting++;
                    continue;
                }
                Assessed a = RecordedTask.assess(plan, run);
                if (a instanceof Done d) {
                    tasks.add(note(plan, d.verdict(), d.taskId(), d.detail()));
                } else {
                    open.add((Open) a);
                }
            }
        } while (page.size() == PAGE);
        if (open.isEmpty()) {
            return new Reconciliation(tasks, waiting, waiting > 0, now, Optional.empty());
        }
        List<Map<String, Object>> steps = new ArrayList<>();
        boolean later = closeOpen(open, tasks, steps);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("reconciliation", tasks.stream().filter(t -> t.verdict().notable()).map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("planEntry", t.planEntry());
            m.put("run", t.run());
            m.put("verdict", t.verdict().code());
            t.taskId().ifPresent(id -> m.put("taskId", id));
            m.put("detail", t.detail());
            return (Object) m;
        }).toList());
        results.put("steps", steps);
        Optional<String> problem = record(!later && tasks.stream().noneMatch(t -> t.verdict() == Verdict.REFUSED),
                results);
        return new Reconciliation(tasks, waiting, later || waiting > 0, clock.instant(), problem);
    }

    /** Reads get_status and closes what is open; whether anything was left for a later pass. */
    private boolean closeOpen(List<Open> open, List<Reconciled> tasks, List<Map<String, Object>> steps) {
        OrchestratorReply status = orchestrator.call(new OrchestratorRequest.GetStatus(false));
        if (!(status instanceof OrchestratorReply.Answered answered)) {
            steps.add(step(OrchestratorTool.GET_STATUS, status, Optional.empty()));
            for (Open o : open) {
                tasks.add(later(o, "get_status gave no list of open tasks (" + status.describe() + ")"));
            }
            return true;
        }
        Map<String, TaskList> lists = answered.answer() instanceof OrchestratorAnswer.StatusReport report
                ? report.lists() : Map.of();
        Optional<TaskList> active = Optional.ofNullable(lists.get("active"));
        Optional<TaskList> pending = Optional.ofNullable(lists.get("pending"));
        Map<String, ListedTask> listed = new LinkedHashMap<>();
        for (Optional<TaskList> l : List.of(active, pending)) {
            l.ifPresent(list -> list.tasks().forEach(t -> t.taskId().ifPresent(id -> listed.put(id, t))));
        }
        // complete: every open task is listed (both lists there, on one page each)
        boolean complete = active.isPresent() && pending.isPresent()
                && !active.get().more() && !pending.get().more()
                && active.get().tasks().size() >= active.get().count()
                && pending.get().tasks().size() >= pending.get().count();
        steps.add(step(OrchestratorTool.GET_STATUS, status, Optional.of(listed.size() + " open task(s) listed"
                + (complete ? "" : ", not all of them"))));
        Set<String> claimed = new HashSet<>();
        boolean later = false;
        for (int i = 0; i < open.size(); i++) {
            Open o = open.get(i);
            Optional<String> task;
            String how;
            if (o.taskId().isPresent()) {
                String id = o.taskId().get();
                if (!listed.containsKey(id)) {
                    tasks.add(note(o.plan(), complete ? Verdict.NOT_OPEN : Verdict.UNDETERMINED, o.taskId(),
                            o.why() + "; " + (complete ? "get_status does not list it as open (closed already), so "
                                    + "nothing was sent" : "get_status lists only the first page of open tasks and it "
                                    + "is not there, so nothing was sent")));
                    continue;
                }
                task = o.taskId();
                how = o.why();
            } else {
                List<String> matches = RecordedTask.matches(o.plan(), listed, claimed, outbox::knowsTask);
                if (matches.size() != 1) {
                    Verdict v = matches.size() > 1 ? Verdict.AMBIGUOUS : complete ? Verdict.NOT_FOUND
                            : Verdict.UNDETERMINED;
                    tasks.add(note(o.plan(), v, Optional.empty(), o.why() + "; " + (matches.size() > 1
                            ? matches.size() + " open tasks have its title, description and time ("
                            + String.join(", ", matches) + "), so none was closed"
                            : complete ? "no open task has its title, description and time (the plan created none, "
                            + "or it is closed), so nothing was sent"
                            : "no task on the first page of open tasks has its title, description and time, so "
                            + "nothing was sent")));
                    continue;
                }
                task = Optional.of(matches.get(0));
                claimed.add(matches.get(0));
                how = o.why() + "; found open by its title, description and time";
            }
            Optional<Reconciled> closed = close(o, task.get(), how, steps);
            if (closed.isEmpty()) {
                // the orchestrator did not get it: it is away again, the rest wait too
                tasks.add(later(o, how + "; the closing call did not reach the orchestrator"));
                for (Open rest : open.subList(i + 1, open.size())) {
                    tasks.add(later(rest, rest.why() + "; not tried: the orchestrator went away"));
                }
                return true;
            }
            tasks.add(closed.get());
            later |= closed.get().verdict() == Verdict.LATER;
        }
        return later;
    }

    /**
     * Sends the closing call for {@code task}, records it as a settled entry of the run and notes the plan; empty when
     * the orchestrator did not get it (nothing recorded).
     */
    private Optional<Reconciled> close(Open o, String task, String how, List<Map<String, Object>> steps) {
        OrchestratorRequest.OfTask request = o.completed()
                ? new OrchestratorRequest.CompleteTask(Optional.of(task), PREFIX + o.summary(),
                DetailedWork.capped("Closed by MCP Health's reconciliation: " + how + ".\n\n" + o.work()))
                : OrchestratorRequest.UpdateTask.failed(Optional.of(task), o.summary() + " (" + RECONCILED + ": "
                + how + ")");
        OrchestratorTool tool = request.tool();
        Instant sent = clock.instant();
        touched.add(o.plan().run());
        OrchestratorReply reply = orchestrator.call(request);
        steps.add(step(tool, reply, Optional.of(task)));
        if (!reply.delivered()) {
            return Optional.empty();
        }
        OutboxPort.Call call = OutboxPort.Call.withTaskFrom(o.plan().run(), request, o.plan().id());
        outbox.record(call, sent, new OutboxPort.Replied(reply, clock.instant()));
        String as = o.completed() ? "completed" : "failed";
        if (reply instanceof OrchestratorReply.Answered || reply instanceof OrchestratorReply.DoneDespiteError) {
            return Optional.of(note(o.plan(), o.completed() ? Verdict.COMPLETED : Verdict.FAILED, Optional.of(task),
                    how + "; closed as " + as + " with " + tool.code()));
        }
        if (reply instanceof OrchestratorReply.Refused) {
            return Optional.of(note(o.plan(), Verdict.REFUSED, Optional.of(task), how + "; " + tool.code()
                    + " to close it as " + as + " was refused: " + reply.describe()));
        }
        // unconfirmed: recorded as a closing entry of the task, so the next pass sends it again if it is still open
        return Optional.of(new Reconciled(o.plan().id(), o.plan().run(), Verdict.LATER, Optional.of(task), how
                + "; " + tool.code() + " to close it as " + as + " got no answer (" + reply.describe()
                + "): looked at again later"));
    }

    /** Writes the plan's note (never to be looked at again) and returns the verdict. */
    private Reconciled note(OutboxPort.Entry plan, Verdict verdict, Optional<String> taskId, String detail) {
        outbox.reconciled(plan.id(), verdict.code() + taskId.map(t -> " (" + t + ")").orElse("") + ": " + detail,
                clock.instant());
        return new Reconciled(plan.id(), plan.run(), verdict, taskId, detail);
    }

    private static Reconciled later(Open o, String detail) {
        return new Reconciled(o.plan().id(), o.plan().run(), Verdict.LATER, o.taskId(), detail);
    }

    private Optional<String> record(boolean worked, Map<String, Object> results) {
        try {
            log.record(new OrchestratorIntegrationLogPort.Entry(IntegrationType.EXTERNAL_MONITORING,
                    OrchestratorTool.GET_STATUS, worked ? IntegrationStatus.ACTIVE : IntegrationStatus.FAILED,
                    clock.instant(), results));
            return Optional.empty();
        } catch (StorageUnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Map<String, Object> step(OrchestratorTool tool, OrchestratorReply reply, Optional<String> about) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tool", tool.code());
        m.put("outcome", reply.code());
        m.put("detail", about.map(a -> reply instanceof OrchestratorReply.Answered ? a : a + ": " + reply.describe())
                .orElse(reply.describe()));
        return m;
    }


}
