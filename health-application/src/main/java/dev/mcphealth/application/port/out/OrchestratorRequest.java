package dev.mcphealth.application.port.out;

import java.util.Objects;
import java.util.Optional;

/**
 * One call MCP Health makes to the orchestrator, as what it asks for: each case is one of its tools with what MCP
 * Health says to it. How a request is put on the wire (the tool's argument names, the flags each read asks for) is
 * the orchestrator adapter's (health-infrastructure's {@code orchestrator.RequestFormat}), as reading its answers is;
 * the core never builds the orchestrator's JSON.
 */
public sealed interface OrchestratorRequest {

    /** The tool it calls. */
    OrchestratorTool tool();

    /**
     * A call about one task (execute, complete, update): its task id, or none yet while the call waits in the outbox
     * for the task id its plan obtains ({@link OutboxPort.Call#taskFrom()}), put in with {@link #forTask} when it is
     * sent.
     */
    sealed interface OfTask extends OrchestratorRequest {
        Optional<String> taskId();

        /** The same call about task {@code id}. */
        OfTask forTask(String id);
    }

    /** Sets the working directory of the session (the adapter sends it before a session's first call). */
    record InitializeSession(String workingDirectory) implements OrchestratorRequest {
        public InitializeSession {
            workingDirectory = text(workingDirectory, "workingDirectory");
        }

        @Override
        public OrchestratorTool tool() {
            return OrchestratorTool.INITIALIZE_SESSION;
        }
    }

    /**
     * Plans a task, a subtask of {@code parentTaskId} if given, of a complexity and for a specialist in the
     * orchestrator's words ({@code "moderate"}, {@code "devops"}).
     */
    record PlanTask(String title, String description, Optional<String> parentTaskId, String complexity,
                    String specialistType) implements OrchestratorRequest {
        public PlanTask {
            title = text(title, "title");
            description = Objects.requireNonNull(description, "description");
            Objects.requireNonNull(parentTaskId, "parentTaskId");
            complexity = text(complexity, "complexity");
            specialistType = text(specialistType, "specialistType");
        }

        @Override
        public OrchestratorTool tool() {
            return OrchestratorTool.PLAN_TASK;
        }
    }

    /** Starts work on a task. */
    record ExecuteTask(Optional<String> taskId) implements OfTask {
        public ExecuteTask {
            Objects.requireNonNull(taskId, "taskId");
        }

        @Override
        public OrchestratorTool tool() {
            return OrchestratorTool.EXECUTE_TASK;
        }

        @Override
        public ExecuteTask forTask(String id) {
            return new ExecuteTask(Optional.of(text(id, "task id")));
        }
    }

    /** Completes a task with what was done ({@code detailedWork}) and its summary. */
    record CompleteTask(Optional<String> taskId, String summary, String detailedWork) implements OfTask {
        public CompleteTask {
            Objects.requireNonNull(taskId, "taskId");
            summary = Objects.requireNonNull(summary, "summary");
            detailedWork = Objects.requireNonNull(detailedWork, "detailedWork");
        }

        @Override
        public OrchestratorTool tool() {
            return OrchestratorTool.COMPLETE_TASK;
        }

        @Override
        public CompleteTask forTask(String id) {
            return new CompleteTask(Optional.of(text(id, "task id")), summary, detailedWork);
        }
    }

    /** Sets a task's status (the orchestrator's word: {@code "failed"}, {@code "completed"}), and its description. */
    record UpdateTask(Optional<String> taskId, String status, Optional<String> description) implements OfTask {
        public UpdateTask {
            Objects.requireNonNull(taskId, "taskId");
            status = text(status, "status");
            Objects.requireNonNull(description, "description");
        }

        /** A task that failed: {@code why} becomes its description. */
        public static UpdateTask failed(Optional<String> taskId, String why) {
            return new UpdateTask(taskId, "failed", Optional.of(why));
        }

        @Override
        public OrchestratorTool tool() {
            return OrchestratorTool.UPDATE_TASK;
        }

        @Override
        public UpdateTask forTask(String id) {
            return new UpdateTask(Optional.of(text(id, "task id")), status, description);
        }
    }

    /** Lists the subtasks of {@code parentTaskId}, at most {@code limit}. */
    record QueryTasks(String parentTaskId, int limit) implements OrchestratorRequest {
        public QueryTasks {
            parentTaskId = text(parentTaskId, "parentTaskId");
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be positive, got " + limit);
            }
        }

        @Override
        public OrchestratorTool tool() {
            return OrchestratorTool.QUERY_TASKS;
        }
    }

    /** Synthesizes the results of {@code parentTaskId}'s subtasks. */
    record SynthesizeResults(String parentTaskId) implements OrchestratorRequest {
        public SynthesizeResults {
            parentTaskId = text(parentTaskId, "parentTaskId");
        }

        @Override
        public OrchestratorTool tool() {
            return OrchestratorTool.SYNTHESIZE_RESULTS;
        }
    }

    /** How the orchestrator stands, with its lists of open tasks, and of completed ones if asked. */
    record GetStatus(boolean includeCompleted) implements OrchestratorRequest {
        @Override
        public OrchestratorTool tool() {
            return OrchestratorTool.GET_STATUS;
        }
    }

    /** Its own health check, in full: connection, database and reboot readiness. */
    record HealthCheck() implements OrchestratorRequest {
        @Override
        public OrchestratorTool tool() {
            return OrchestratorTool.HEALTH_CHECK;
        }
    }

    /** A cleanup scan of the current session, validated comprehensively (maintenance_coordinator). */
    record ScanCleanup() implements OrchestratorRequest {
        @Override
        public OrchestratorTool tool() {
            return OrchestratorTool.MAINTENANCE_COORDINATOR;
        }
    }

    /** Whether it is ready to shut down: active tasks, database state and client connections checked. */
    record ShutdownPrepare() implements OrchestratorRequest {
        @Override
        public OrchestratorTool tool() {
            return OrchestratorTool.SHUTDOWN_PREPARE;
        }
    }

    /** A graceful restart that keeps its state, for {@code reason} (one its contract allows). */
    record RestartServer(String reason) implements OrchestratorRequest {
        public RestartServer {
            reason = text(reason, "reason");
        }

        @Override
        public OrchestratorTool tool() {
            return OrchestratorTool.RESTART_SERVER;
        }
    }

    /** How its restart stands, with error details, without history. */
    record RestartStatus() implements OrchestratorRequest {
        @Override
        public OrchestratorTool tool() {
            return OrchestratorTool.RESTART_STATUS;
        }
    }

    /** A reconnection test, with its buffer status and reconnection statistics. */
    record ReconnectTest() implements OrchestratorRequest {
        @Override
        public OrchestratorTool tool() {
            return OrchestratorTool.RECONNECT_TEST;
        }
    }

    private static String text(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }
}
