package dev.mcphealth.application.port.in;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs one health operation as a task of the MCP Task Orchestrator, when the caller gives an orchestrator session:
 * plan the task, execute it, do the work, then complete it with a summary and the work's log — or mark it failed with
 * the reason. The orchestrator failing never fails the work: calls it did not get are kept for later delivery, in
 * order; without an orchestrator configured the work is done and the link says so.
 */
public interface RunAsTaskUseCase {

    <T> Linked<T> run(Request request, Function<Context, Work<T>> work);

    /** The design's complexities for plan_task. */
    enum Complexity { TRIVIAL, SIMPLE, MODERATE, COMPLEX, VERY_COMPLEX }

    /** {@code title} and {@code description} name the action, as the design's pseudo-code does. */
    record Request(String sessionId, String title, String description, Complexity complexity) {
        public Request {
            requireText(sessionId, "sessionId");
            requireText(title, "title");
            requireText(description, "description");
            Objects.requireNonNull(complexity, "complexity");
        }
    }

    /**
     * What the work may stamp on what it records: the session and the task — the planned task's id, or while its plan
     * waits in the outbox a stand-in ({@code outbox:N}) that is replaced by the id once the plan is delivered, or
     * cleared if it never is — and its {@code steps}, for a work that does several things of its own (a recovery of
     * each server it finds down, say).
     */
    record Context(String sessionId, Optional<String> taskId, Steps steps) {
        public Context {
            requireText(sessionId, "sessionId");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(steps, "steps");
        }

        /** A context whose steps are not tasks of their own: each runs under {@code taskId}. */
        public Context(String sessionId, Optional<String> taskId) {
            this(sessionId, taskId, Steps.under(taskId));
        }
    }

    /**
     * The steps of a multi-step run. Each step of a linked run is a subtask of the run's task (plan_task with
     * {@code parent_task_id}, executed, then completed or marked failed); a run with steps is closed by asking the
     * orchestrator for its progress (query_tasks of the subtasks) and its synthesis (synthesize_results) before the
     * run's own task is completed. The orchestrator failing never fails a step's work: a step it did not take runs
     * under the run's task (or none).
     */
    interface Steps {
        /**
         * Does one step: {@code work} gets the task to stamp on what it records (the step's subtask, else the run's
         * task, else none) and says how the step went; returns the work's result.
         */
        <T> T run(String title, String description, Function<Optional<String>, Work<T>> work);

        /** Steps that are not tasks of their own: each runs under {@code taskId}. */
        static Steps under(Optional<String> taskId) {
            Objects.requireNonNull(taskId, "taskId");
            return new Steps() {
                @Override
                public <T> T run(String title, String description, Function<Optional<String>, Work<T>> work) {
                    return work.apply(taskId).result();
                }
            };
        }
    }

    /** One step of a run: its title, its subtask (when the orchestrator planned one), and how it went. */
    record Step(String title, Optional<String> taskId, boolean failed, String summary) {
        public Step {
            requireText(title, "title");
            Objects.requireNonNull(taskId, "taskId");
            requireText(summary, "summary");
        }
    }

    /**
     * How a multi-step run closed: the subtasks, completed and failed ({@code by} "orchestrator" when
     * synthesize_results answered with them, "mcp-health" when they are MCP Health's own count because it did not),
     * the progress query_tasks gave (or why it gave none), and what synthesize_results said.
     */
    record Synthesis(String by, int subtasks, int completed, int failed, String progress, String note) {
        public Synthesis {
            requireText(by, "by");
            if (subtasks < 0 || completed < 0 || failed < 0) {
                throw new IllegalArgumentException("counts cannot be negative");
            }
            requireText(progress, "progress");
            requireText(note, "note");
        }

        /** Completed subtasks over all of them; 1 with none. */
        public double successRate() {
            return subtasks == 0 ? 1.0 : (double) completed / subtasks;
        }
    }

    /**
     * The work's result, a one-line summary and its log (complete_task's summary and detailed_work); {@code failed}
     * when the work answered that it could not be done (the task is then marked failed, not complete).
     */
    record Work<T>(T result, String summary, String log, boolean failed) {
        public Work {
            requireText(summary, "summary");
            Objects.requireNonNull(log, "log");
        }

        public Work(T result, String summary, String log) {
            this(result, summary, log, false);
        }
    }

    /** How the run is linked to the orchestrator. */
    enum State {
        /** Planned, executed and completed (or failed) in the orchestrator. */
        LINKED,
        /** The orchestrator was away: the calls it did not get wait in the outbox and go out in order when it is back. */
        QUEUED,
        /** The orchestrator answered with an error, or did not answer: the work was done without a task. */
        NOT_LINKED,
        /** No orchestrator is configured (health.orchestrator): the work was done without a task. */
        NOT_CONFIGURED
    }

    /** How the run was linked; its steps and, for a run with steps, how it closed. */
    record Link(String sessionId, Optional<String> taskId, State state, String message, List<Step> steps,
                Optional<Synthesis> synthesis) {
        public Link {
            requireText(sessionId, "sessionId");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(state, "state");
            requireText(message, "message");
            steps = List.copyOf(steps);
            Objects.requireNonNull(synthesis, "synthesis");
        }

        /** A run without steps. */
        public Link(String sessionId, Optional<String> taskId, State state, String message) {
            this(sessionId, taskId, state, message, List.of(), Optional.empty());
        }
    }

    record Linked<T>(T result, Link link) {
        public Linked {
            Objects.requireNonNull(link, "link");
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
