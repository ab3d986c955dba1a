package dev.mcphealth.application.port.in;

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

    /** What the work may stamp on what it records: the session and, once planned, the task. */
    record Context(String sessionId, Optional<String> taskId) {
        public Context {
            requireText(sessionId, "sessionId");
            Objects.requireNonNull(taskId, "taskId");
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

    record Link(String sessionId, Optional<String> taskId, State state, String message) {
        public Link {
            requireText(sessionId, "sessionId");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(state, "state");
            requireText(message, "message");
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
