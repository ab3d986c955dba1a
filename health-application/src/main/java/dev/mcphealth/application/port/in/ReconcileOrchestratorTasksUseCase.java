package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.model.Coded;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Closes the tasks MCP Health planned in the MCP Task Orchestrator but did not see closed (a plan_task or closing
 * call whose answer was lost in a crash, or a run that MCP Health stopped in), from MCP Health's own record of them:
 * completed when its record says the work completed, failed otherwise (docs/orchestrator-outbox.md#reconciliation).
 * Only calls the contract says are safe to repeat are sent (complete_task, or update_task to failed, for a task that
 * get_status lists as open); never plan_task or execute_task. The outbox loop runs it when the orchestrator is back,
 * at start, and after a delivery settled entries. Never throws for anything the orchestrator does.
 */
@FunctionalInterface
public interface ReconcileOrchestratorTasksUseCase {

    Reconciliation reconcile();

    /** What became of one task MCP Health planned (one plan_task entry of its record). */
    enum Verdict implements Coded {
        /** Its run saw it closed (its complete_task or update_task was answered): nothing to do. */
        SEEN_CLOSED("seen_closed"),
        /** No task was created: plan_task was refused, never sent, or answered without a task id. */
        NO_TASK("no_task"),
        /** It was open; reconciliation completed it (MCP Health's record says the work completed). */
        COMPLETED("completed"),
        /** It was open; reconciliation marked it failed (the work failed, or how it ended is not known). */
        FAILED("failed"),
        /** get_status does not list it as open: closed already, nothing sent. */
        NOT_OPEN("not_open"),
        /** Its plan's answer was lost and no open task has its title, description and time: nothing sent. */
        NOT_FOUND("not_found"),
        /** Its plan's answer was lost and several open tasks match it: none was closed, for fear of the wrong one. */
        AMBIGUOUS("ambiguous"),
        /** get_status lists only its first page of open tasks, and the task is not on it: nothing sent. */
        UNDETERMINED("undetermined"),
        /** The orchestrator refused the closing call: not sent again. */
        REFUSED("refused"),
        /** Left for a later pass: the orchestrator is away, or the closing call's answer did not come. */
        LATER("later");

        private final String code;

        Verdict(String code) {
            this.code = code;
        }

        @Override
        public String code() {
            return code;
        }

        /** Whether reconciliation is done with the task (every verdict but {@link #LATER}). */
        public boolean settled() {
            return this != LATER;
        }

        /** Whether reconciliation sent a call or had to tell something: not merely seen closed or never created. */
        public boolean notable() {
            return this != SEEN_CLOSED && this != NO_TASK;
        }
    }

    /**
     * One task: its plan_task entry and run, the verdict, the task (when known or found) and one line on how it was
     * decided ("the answer to complete_task (entry 12) was lost; its record says the work completed").
     */
    record Reconciled(long planEntry, String run, Verdict verdict, Optional<String> taskId, String detail) {
        public Reconciled {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(taskId, "taskId");
            if (detail == null || detail.isBlank()) {
                throw new IllegalArgumentException("detail must not be blank");
            }
        }
    }

    /**
     * One pass: every task it looked at, in the order planned; {@code waiting}, how many it left alone for now (their
     * run is still going, their calls wait in the outbox, or their run belongs to another process and was active less
     * than the grace ago); {@code again}, whether a later pass has work (anything left or {@link Verdict#LATER});
     * {@code storageProblem}, if its integration row could not be recorded.
     */
    record Reconciliation(List<Reconciled> tasks, int waiting, boolean again, Instant at,
                          Optional<String> storageProblem) {
        public Reconciliation {
            tasks = List.copyOf(tasks);
            if (waiting < 0) {
                throw new IllegalArgumentException("waiting must not be negative, got " + waiting);
            }
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(storageProblem, "storageProblem");
        }

        /** The tasks whose verdict is worth telling ({@link Verdict#notable()}). */
        public List<Reconciled> notable() {
            return tasks.stream().filter(t -> t.verdict().notable()).toList();
        }
    }
}
