package dev.mcphealth.application.orchestrator;

import dev.mcphealth.application.port.in.ReconcileOrchestratorTasksUseCase.Verdict;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OutboxPort;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer.ListedTask;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How MCP Health's own record, the outbox, has a task it planned (see {@link ReconcileOrchestratorTasksService}): its
 * plan_task entry and the closing entries of the same run that name it ({@code task_from}) or its task id. A task was
 * seen closed when one of them was answered (or done despite an error); otherwise its first closing entry says how the
 * work ended (complete_task: completed; update_task: failed), and a task with none is taken as failed.
 */
final class RecordedTask {
    /** The statuses a closing update_task sets. */
    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "archived");

    private RecordedTask() {
    }

    /** How a task stands in MCP Health's record. */
    sealed interface Assessed permits Done, Open {
    }

    /** Nothing to send: seen closed, or no task was created. */
    record Done(Verdict verdict, Optional<String> taskId, String detail) implements Assessed {
    }

    /**
     * A task not seen closed: its plan, its id (empty when the plan's answer was lost), how the work ended
     * ({@code completed}), the closing call's text (summary and detailed work, or the failed description) and why it
     * was not seen closed.
     */
    record Open(OutboxPort.Entry plan, Optional<String> taskId, boolean completed, String summary,
                        String work, String why) implements Assessed {
    }

    /** How MCP Health's record has the task of {@code plan}. */
    static Assessed assess(OutboxPort.Entry plan, List<OutboxPort.Entry> run) {
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
                    || obtained.isPresent() && obtained.equals(taskOf(e)))) {
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
                .map(RecordedTask::taskOf).flatMap(Optional::stream).findFirst());
        String title = plan.call().request() instanceof OrchestratorRequest.PlanTask p ? p.title() : "the task";
        // how the work ended is what the run recorded, not what an earlier pass sent
        List<OutboxPort.Entry> own = closing.stream().filter(c -> !byReconciliation(c)).toList();
        if (own.isEmpty()) {
            String why = (lost ? "the answer to plan_task (entry " + plan.id() + ") was lost" : "task "
                    + obtained.get() + " was planned") + " and MCP Health stopped before the work ended: how it"
                    + " went is not known, so it is taken as failed";
            return new Open(plan, task, false, title + " failed: MCP Health stopped before the work ended", "", why);
        }
        OutboxPort.Entry first = own.get(0);
        OrchestratorRequest request = first.call().request();
        boolean completed = request instanceof OrchestratorRequest.CompleteTask
                || request instanceof OrchestratorRequest.UpdateTask u && "completed".equals(u.status());
        String why = (lost ? "the answer to plan_task (entry " + plan.id() + ") was lost" : "the "
                + closing.get(closing.size() - 1).tool().code() + " of task " + obtained.get() + " (entry "
                + closing.get(closing.size() - 1).id() + ") is " + closing.get(closing.size() - 1).state().code())
                + "; MCP Health's record says the work " + (completed ? "completed" : "failed");
        if (request instanceof OrchestratorRequest.CompleteTask c) {
            String summary = text(c.summary(), title + " completed");
            return new Open(plan, task, true, summary, text(c.detailedWork(), summary), why);
        }
        if (completed) {
            // an update_task to completed says no summary of its own
            return new Open(plan, task, true, title + " completed", title + " completed", why);
        }
        String description = ((OrchestratorRequest.UpdateTask) request).description().orElse("");
        return new Open(plan, task, false, text(description, title + " failed"), "", why);
    }

    /** The task a call about a task names, if it names one. */
    private static Optional<String> taskOf(OutboxPort.Entry e) {
        return e.call().request() instanceof OrchestratorRequest.OfTask t ? t.taskId() : Optional.empty();
    }

    /** A closing call an earlier pass sent: its summary or description says so. */
    private static boolean byReconciliation(OutboxPort.Entry e) {
        OrchestratorRequest r = e.call().request();
        return r instanceof OrchestratorRequest.CompleteTask c
                && c.summary().startsWith(ReconcileOrchestratorTasksService.PREFIX)
                || r instanceof OrchestratorRequest.UpdateTask u && u.description()
                .filter(d -> d.contains("(" + ReconcileOrchestratorTasksService.RECONCILED + ": ")).isPresent();
    }

    /** A closing call: complete_task, or update_task to a terminal status. */
    private static boolean closes(OutboxPort.Entry e) {
        return e.call().request() instanceof OrchestratorRequest.CompleteTask
                || e.call().request() instanceof OrchestratorRequest.UpdateTask u && TERMINAL.contains(u.status());
    }

    /**
     * The latest call of the run: when its newest entry was made (a direct call) or added (a deferred one). Settling
     * times are left out: a delivery in this process settles another process's entries too.
     */
    static Instant lastActivity(List<OutboxPort.Entry> run) {
        Instant last = Instant.MIN;
        for (OutboxPort.Entry e : run) {
            if (e.createdAt().isAfter(last)) {
                last = e.createdAt();
            }
        }
        return last;
    }

    private static String text(String value, String otherwise) {
        return value.isBlank() ? otherwise : value;
    }

    /**
     * The open tasks that may be the one a lost plan created: the same title, description and parent, an id MCP Health
     * does not know (nor gave to another lost plan in this pass), created while the plan was out (give or take
     * {@link #ReconcileOrchestratorTasksService.CLOCK_SLACK}; a task without a readable created_at is not ruled out by time).
     */
    static List<String> matches(OutboxPort.Entry plan, Map<String, ListedTask> listed, Set<String> claimed,
                                Predicate<String> known) {
        if (!(plan.call().request() instanceof OrchestratorRequest.PlanTask planned)) {
            return List.of();
        }
        Instant from = plan.createdAt().minus(ReconcileOrchestratorTasksService.CLOCK_SLACK);
        Instant to = plan.ending().orElseThrow().at().plus(ReconcileOrchestratorTasksService.CLOCK_SLACK);
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, ListedTask> e : listed.entrySet()) {
            ListedTask t = e.getValue();
            if (!t.textFields() || !t.title().equals(Optional.of(planned.title()))
                    || !t.description().equals(Optional.of(planned.description()))
                    || !t.parentTaskId().equals(planned.parentTaskId())
                    || claimed.contains(e.getKey())) {
                continue;
            }
            Optional<Instant> created = t.createdAt();
            if (created.isPresent() && (created.get().isBefore(from) || created.get().isAfter(to))) {
                continue;
            }
            if (!known.test(e.getKey())) {
                out.add(e.getKey());
            }
        }
        return out;
    }
}
