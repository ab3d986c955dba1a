package dev.mcphealth.application.orchestrator;

import dev.mcphealth.application.port.in.ReconcileOrchestratorTasksUseCase;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationStatus;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationType;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
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
    /** The statuses a closing update_task sets. */
    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "archived");
    private static final String RECONCILED = "reconciled by MCP Health";
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

    /** How a task stands in MCP Health's record. */
    private sealed interface Assessed permits Done, Open {
    }

    /** Nothing to send: seen closed, or no task was created. */
    private record Done(Verdict verdict, Optional<String> taskId, String detail) implements Assessed {
    }

    /**
     * A task not seen closed: its plan, its id (empty when the plan's answer was lost), how the work ended
     * ({@code completed}), the closing call's text (summary and detailed work, or the failed description) and why it
     * was not seen closed.
     */
    private record Open(OutboxPort.Entry plan, Optional<String> taskId, boolean completed, String summary,
                        String work, String why) implements Assessed {
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
                        && lastActivity(run).isAfter(now.minus(grace))) {
                    waiting++;
                    continue;
                }
                Assessed a = assess(plan, run);
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
        OrchestratorReply status = orchestrator.call(OrchestratorTool.GET_STATUS, Map.of("include_completed", false));
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
                List<String> matches = matches(o.plan(), listed, claimed);
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
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("task_id", task);
        OrchestratorTool tool;
        if (o.completed()) {
            tool = OrchestratorTool.COMPLETE_TASK;
            args.put("summary", PREFIX + o.summary());
            args.put("detailed_work", DetailedWork.capped("Closed by MCP Health's reconciliation: " + how
                    + ".\n\n" + o.work()));
            args.put("next_action", "complete");
        } else {
            tool = OrchestratorTool.UPDATE_TASK;
            args.put("status", "failed");
            args.put("description", o.summary() + " (" + RECONCILED + ": " + how + ")");
        }
        Instant sent = clock.instant();
        touched.add(o.plan().run());
        OrchestratorReply reply = orchestrator.call(tool, args);
        steps.add(step(tool, reply, Optional.of(task)));
        if (!reply.delivered()) {
            return Optional.empty();
        }
        OutboxPort.Call call = OutboxPort.Call.withTaskFrom(o.plan().run(), tool, args, o.plan().id());
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

    /** How MCP Health's record has the task of {@code plan}. */
    private Assessed assess(OutboxPort.Entry plan, List<OutboxPort.Entry> run) {
        OutboxPort.Ending ending = plan.ending().orElseThrow();
        Optional<String> obtained = ending instanceof OutboxPort.Replied r ? r.taskId() : Optional.empty();
        boolean lost = ending instanceof OutboxPort.Replied r
                && (r.reply() instanceof OrchestratorReply.Unconfirmed
                || r.reply() instanceof OrchestratorReply.DoneDespiteError);
        if (obtained.isEmpty() && !lost) {
            String why = ending instanceof OutboxPort.Skipped s ? "plan_task was never sent: " + s.reason()
                    : ((OutboxPort.Replied) ending).reply() instanceof OrchestratorReply.Refused
                    ? "plan_task was refused" : "plan_task answered without a task_id";
            return new Done(Verdict.NO_TASK, Optional.empty(), why);
        }
        List<OutboxPort.Entry> closing = new ArrayList<>();
        for (OutboxPort.Entry e : run) {
            if (e.id() > plan.id() && closes(e) && (e.call().taskFrom().equals(java.util.OptionalLong.of(plan.id()))
                    || obtained.isPresent() && obtained.get().equals(e.call().arguments().get("task_id")))) {
                closing.add(e);
            }
        }
        for (OutboxPort.Entry c : closing) {
            if (c.state() == OutboxPort.State.ANSWERED || c.state() == OutboxPort.State.DONE_DESPITE_ERROR) {
                return new Done(Verdict.SEEN_CLOSED, obtained, "closed by entry " + c.id() + " ("
                        + c.tool().code() + ", " + c.state().code() + ")");
            }
        }
        // a lost plan's task, once a pass found it, is named by that pass's closing entry
        Optional<String> task = obtained.or(() -> closing.stream()
                .map(c -> c.call().arguments().get("task_id")).filter(String.class::isInstance)
                .map(String.class::cast).findFirst());
        String title = text(plan.call().arguments().get("title"), "the task");
        // how the work ended is what the run recorded, not what an earlier pass sent
        List<OutboxPort.Entry> own = closing.stream().filter(c -> !byReconciliation(c)).toList();
        if (own.isEmpty()) {
            String why = (lost ? "the answer to plan_task (entry " + plan.id() + ") was lost" : "task "
                    + obtained.get() + " was planned") + " and MCP Health stopped before the work ended: how it"
                    + " went is not known, so it is taken as failed";
            return new Open(plan, task, false, title + " failed: MCP Health stopped before the work ended", "", why);
        }
        OutboxPort.Entry first = own.get(0);
        Map<String, Object> args = first.call().arguments();
        boolean completed = first.tool() == OrchestratorTool.COMPLETE_TASK
                || "completed".equals(args.get("status"));
        String why = (lost ? "the answer to plan_task (entry " + plan.id() + ") was lost" : "the "
                + closing.get(closing.size() - 1).tool().code() + " of task " + obtained.get() + " (entry "
                + closing.get(closing.size() - 1).id() + ") is " + closing.get(closing.size() - 1).state().code())
                + "; MCP Health's record says the work " + (completed ? "completed" : "failed");
        if (completed) {
            String summary = text(args.get("summary"), title + " completed");
            return new Open(plan, task, true, summary, text(args.get("detailed_work"), summary), why);
        }
        return new Open(plan, task, false, text(args.get("description"), title + " failed"), "", why);
    }

    /** A closing call an earlier pass sent: its summary or description says so. */
    private static boolean byReconciliation(OutboxPort.Entry e) {
        Object summary = e.call().arguments().get("summary");
        Object description = e.call().arguments().get("description");
        return summary instanceof String s && s.startsWith(PREFIX)
                || description instanceof String d && d.contains("(" + RECONCILED + ": ");
    }

    /** A closing call: complete_task, or update_task to a terminal status. */
    private static boolean closes(OutboxPort.Entry e) {
        return e.tool() == OrchestratorTool.COMPLETE_TASK
                || e.tool() == OrchestratorTool.UPDATE_TASK && e.call().arguments().get("status") instanceof String s
                && TERMINAL.contains(s);
    }

    /**
     * The open tasks that may be the one a lost plan created: the same title, description and parent, an id MCP Health
     * does not know (nor gave to another lost plan in this pass), created while the plan was out (give or take
     * {@link #CLOCK_SLACK}; a task without a readable created_at is not ruled out by time).
     */
    private List<String> matches(OutboxPort.Entry plan, Map<String, ListedTask> listed, Set<String> claimed) {
        Map<String, Object> args = plan.call().arguments();
        Instant from = plan.createdAt().minus(CLOCK_SLACK);
        Instant to = plan.ending().orElseThrow().at().plus(CLOCK_SLACK);
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, ListedTask> e : listed.entrySet()) {
            ListedTask t = e.getValue();
            if (!Objects.equals(args.get("title"), t.title().orElse(null))
                    || !Objects.equals(args.get("description"), t.description().orElse(null))
                    || !Objects.equals(args.get("parent_task_id"), t.parentTaskId().orElse(null))
                    || claimed.contains(e.getKey())) {
                continue;
            }
            Optional<Instant> created = t.createdAt();
            if (created.isPresent() && (created.get().isBefore(from) || created.get().isAfter(to))) {
                continue;
            }
            if (!outbox.knowsTask(e.getKey())) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /**
     * The latest call of the run: when its newest entry was made (a direct call) or added (a deferred one). Settling
     * times are left out: a delivery in this process settles another process's entries too.
     */
    private static Instant lastActivity(List<OutboxPort.Entry> run) {
        Instant last = Instant.MIN;
        for (OutboxPort.Entry e : run) {
            if (e.createdAt().isAfter(last)) {
                last = e.createdAt();
            }
        }
        return last;
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

    private static String text(Object value, String otherwise) {
        return value instanceof String s && !s.isBlank() ? s : otherwise;
    }
}
