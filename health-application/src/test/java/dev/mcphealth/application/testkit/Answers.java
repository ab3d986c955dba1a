package dev.mcphealth.application.testkit;

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
     * {@code {"status": "ok"}} answered to {@code tool}: to plan_task, a plan without a task id; to any other tool, an
     * answer the core reads nothing from (the tools it reads, {@link #subtasks}, {@link #synthesized} and the
     * workflows' answers, are given whole by the tests that need them).
     */
    public static OrchestratorReply.Answered ok(dev.mcphealth.application.port.out.OrchestratorTool tool) {
        OrchestratorAnswer answer = tool == dev.mcphealth.application.port.out.OrchestratorTool.PLAN_TASK
                ? new OrchestratorAnswer.Planned(Optional.empty()) : new OrchestratorAnswer.Taken();
        return new OrchestratorReply.Answered(answer, "status=ok", Map.of("status", "ok"));
    }

    /** An answer to execute_task, complete_task or update_task saying {@code status}. */
    public static OrchestratorReply.Answered taken(String status) {
        return new OrchestratorReply.Answered(new OrchestratorAnswer.Taken(), "status=" + status,
                Map.of("status", status));
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
