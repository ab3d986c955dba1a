package dev.mcphealth.application.testkit;

import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Orchestrator answers for tests of the core, as the adapter reads them: what the answer says, its gist and the JSON
 * it came as. infrastructure's {@code AnswerReaderTest} reads each JSON here with the real reader and checks it gives
 * the same reply, so these stay true to the adapter.
 */
public final class Answers {
    private Answers() {
    }

    /** plan_task's answer naming task {@code id}. */
    public static OrchestratorReply.Answered planned(String id) {
        return new OrchestratorReply.Answered(new OrchestratorAnswer.Planned(Optional.of(id)), "task_id=" + id,
                Map.of("task_id", id));
    }

    /** The orchestrator's usual answer to plan_task: {@code {success, task_id, status: pending}}. */
    public static OrchestratorReply.Answered plannedPending(String id) {
        return new OrchestratorReply.Answered(new OrchestratorAnswer.Planned(Optional.of(id)),
                "status=pending, success=true, task_id=" + id,
                Map.of("success", true, "task_id", id, "status", "pending"));
    }

    /**
     * {@code {"status": "ok"}} answered to {@code tool}, read as the adapter reads it: each tool's answer type with
     * nothing in it (a plan without a task id, a status with no lists, a health report without "healthy", ...).
     */
    public static OrchestratorReply.Answered ok(OrchestratorTool tool) {
        OrchestratorAnswer answer = switch (tool) {
            case PLAN_TASK -> new OrchestratorAnswer.Planned(Optional.empty());
            case INITIALIZE_SESSION -> new OrchestratorAnswer.SessionOpened(Optional.empty());
            case QUERY_TASKS -> new OrchestratorAnswer.Subtasks(Optional.empty());
            case SYNTHESIZE_RESULTS -> new OrchestratorAnswer.Synthesized(Optional.empty(), 0);
            case HEALTH_CHECK -> new OrchestratorAnswer.HealthReport(Optional.empty(), Map.of(), List.of(),
                    Optional.empty());
            case GET_STATUS -> new OrchestratorAnswer.StatusReport(Optional.empty(), Optional.empty(), Map.of(),
                    Optional.empty());
            case MAINTENANCE_COORDINATOR -> new OrchestratorAnswer.CleanupReport(java.util.OptionalLong.empty(),
                    java.util.OptionalLong.empty());
            case SHUTDOWN_PREPARE -> new OrchestratorAnswer.ShutdownReadiness(false, List.of());
            case RESTART_SERVER -> new OrchestratorAnswer.RestartRequested(Optional.empty());
            case RESTART_STATUS -> new OrchestratorAnswer.RestartProgress(Optional.empty());
            case RECONNECT_TEST -> new OrchestratorAnswer.ReconnectReport(Optional.empty());
            case EXECUTE_TASK, COMPLETE_TASK, UPDATE_TASK -> OrchestratorAnswer.Taken.NONE;
        };
        return new OrchestratorReply.Answered(answer, "status=ok", Map.of("status", "ok"));
    }

    /** An answer to execute_task, complete_task or update_task saying {@code status}. */
    public static OrchestratorReply.Answered taken(String status) {
        return new OrchestratorReply.Answered(OrchestratorAnswer.Taken.NONE, "status=" + status,
                Map.of("status", status));
    }

    /** complete_task's answer: {@code {status: success, task_id}}. */
    public static OrchestratorReply.Answered completed(String id) {
        return new OrchestratorReply.Answered(new OrchestratorAnswer.Taken(Optional.of(id)),
                "status=success, task_id=" + id, Map.of("status", "success", "task_id", id));
    }

    /** query_tasks' answer listing subtasks with these statuses. */
    public static OrchestratorReply.Answered subtasks(String... statuses) {
        List<Object> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < statuses.length; i++) {
            tasks.add(Map.of("task_id", "t" + (i + 1), "status", statuses[i]));
        }
        return new OrchestratorReply.Answered(new OrchestratorAnswer.Subtasks(Optional.of(List.of(statuses))),
                "status=success", Map.of("status", "success", "tasks", tasks));
    }

    /** synthesize_results' answer with its counts and {@code outcomes} key outcomes. */
    public static OrchestratorReply.Answered synthesized(int total, int completed, int failed, int outcomes) {
        return new OrchestratorReply.Answered(new OrchestratorAnswer.Synthesized(Optional.of(
                new OrchestratorAnswer.Synthesized.Counts(total, completed, failed)), outcomes),
                "status=results_synthesized", Map.of("status", "results_synthesized", "synthesis_results",
                Map.of("key_outcomes", java.util.Collections.nCopies(outcomes, "x"), "metrics",
                        Map.of("total_subtasks", total, "completed_count", completed, "failed_count", failed))));
    }
}
