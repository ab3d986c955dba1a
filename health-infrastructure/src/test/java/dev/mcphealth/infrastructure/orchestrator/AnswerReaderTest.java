package dev.mcphealth.infrastructure.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.application.testkit.Answers;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer.ListedTask;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer.TaskList;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link AnswerReader}: the orchestrator's keys read into what each answer says, by the contract's shapes. */
class AnswerReaderTest {

    @Test
    void theCoreTestsAnswersAreWhatTheReaderMakesOfTheirJson() {
        List<OrchestratorTool> taken = List.of(OrchestratorTool.EXECUTE_TASK, OrchestratorTool.COMPLETE_TASK,
                OrchestratorTool.UPDATE_TASK);
        for (OrchestratorReply.Answered a : List.of(Answers.planned("task_0a1b2c3d"),
                Answers.plannedPending("task_0a1b2c3d"), Answers.ok(OrchestratorTool.PLAN_TASK))) {
            assertEquals(a, AnswerReader.answered(OrchestratorTool.PLAN_TASK, a.json()));
        }
        for (OrchestratorTool tool : taken) {
            assertEquals(Answers.taken("success"), AnswerReader.answered(tool, Answers.taken("success").json()));
            assertEquals(Answers.completed("task_1"), AnswerReader.answered(tool, Answers.completed("task_1").json()));
        }
        for (OrchestratorTool tool : OrchestratorTool.values()) {
            assertEquals(Answers.ok(tool), AnswerReader.answered(tool, Answers.ok(tool).json()), tool.code());
        }
        OrchestratorReply.Answered subtasks = Answers.subtasks("completed", "failed");
        assertEquals(subtasks, AnswerReader.answered(OrchestratorTool.QUERY_TASKS, subtasks.json()));
        OrchestratorReply.Answered synthesized = Answers.synthesized(2, 1, 1, 3);
        assertEquals(synthesized, AnswerReader.answered(OrchestratorTool.SYNTHESIZE_RESULTS, synthesized.json()));
    }

    @Test
    void theGistNamesTheKeysThatSayHowItWentInOneOrder() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("task_id", "task_1");
        json.put("healthy", true);
        json.put("status", "pending");
        json.put("success", 1);
        assertEquals("status=pending, task_id=task_1, healthy=true", AnswerReader.gist(json));
        assertEquals("answered", AnswerReader.gist(Map.of("tasks", List.of())));
    }

    @Test
    void aPlanOrSessionWithoutAUsableIdHasNone() {
        assertEquals(new OrchestratorAnswer.Planned(Optional.empty()),
                AnswerReader.read(OrchestratorTool.PLAN_TASK, Map.of("task_id", " ")));
        assertEquals(new OrchestratorAnswer.Planned(Optional.empty()),
                AnswerReader.read(OrchestratorTool.PLAN_TASK, Map.of("task_id", 42)));
        assertEquals(new OrchestratorAnswer.SessionOpened(Optional.of("s-1")),
                AnswerReader.read(OrchestratorTool.INITIALIZE_SESSION, Map.of("status", "session_initialized",
                        "session_id", "s-1")));
    }

    @Test
    void subtasksAndSynthesisAreReadOnlyWhenWhole() {
        List<Object> tasks = new java.util.ArrayList<>();
        tasks.add(Map.of("status", "completed"));
        tasks.add("not a task");
        tasks.add(Map.of("task_id", "t3"));
        assertEquals(new OrchestratorAnswer.Subtasks(Optional.of(List.of("completed", "unknown", "null"))),
                AnswerReader.read(OrchestratorTool.QUERY_TASKS, Map.of("tasks", tasks)));
        assertEquals(new OrchestratorAnswer.Subtasks(Optional.empty()),
                AnswerReader.read(OrchestratorTool.QUERY_TASKS, Map.of("tasks", "none")));
        Map<String, Object> fractional = Map.of("synthesis_results", Map.of("key_outcomes", List.of("a", "b"),
                "metrics", Map.of("total_subtasks", 2, "completed_count", 1.5, "failed_count", 0)));
        assertEquals(new OrchestratorAnswer.Synthesized(Optional.empty(), 2),
                AnswerReader.read(OrchestratorTool.SYNTHESIZE_RESULTS, fractional));
        assertEquals(new OrchestratorAnswer.Synthesized(Optional.empty(), 0),
                AnswerReader.read(OrchestratorTool.SYNTHESIZE_RESULTS, Map.of("status", "not found")));
    }

    @Test
    void anUnhealthyReportGivesTheReadinessIssuesAsItsReasons() {
        Map<String, Object> readiness = new HashMap<>();
        readiness.put("ready", false);
        readiness.put("issues", java.util.Arrays.asList("Server already in maintenance mode", null));
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("reboot_readiness", readiness);
        checks.put("database", Map.of("connected", true));

        OrchestratorAnswer.HealthReport r = (OrchestratorAnswer.HealthReport) AnswerReader.read(
                OrchestratorTool.HEALTH_CHECK, Map.of("healthy", false, "checks", checks, "server_version", "1.4.1"));

        assertEquals(Optional.of(false), r.healthy());
        assertEquals(List.of("Server already in maintenance mode"), r.issues());
        assertEquals(List.of("reboot_readiness", "database"), List.copyOf(r.checks().keySet()), "in order");
        assertEquals(Optional.of("1.4.1"), r.version());
        assertEquals(new OrchestratorAnswer.HealthReport(Optional.empty(), Map.of("reboot_readiness", "odd"),
                List.of(), Optional.empty()), AnswerReader.read(OrchestratorTool.HEALTH_CHECK,
                Map.of("healthy", "yes", "checks", Map.of("reboot_readiness", "odd"))));
    }

    @Test
    void theStatusListsAreCountedByTotalCountAndTheirTasksReadForMatching() {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("task_id", "task_00000001");
        task.put("title", "Recover memory");
        task.put("description", "down");
        task.put("parent_task_id", null);
        task.put("created_at", "2026-12-04T20:34:10.068452");
        Map<String, Object> json = Map.of(
                "active_tasks", Map.of("tasks", List.of(task), "total_count", 140, "has_more", true),
                "pending_tasks", List.of(Map.of("task_id", "task_00000002"), "odd"),
                "failed_tasks", "not a list",
                "system_status", Map.of("server_healthy", true, "maintenance_mode", "no"),
                "metrics", Map.of("response_time_ms", 1.25));

        OrchestratorAnswer.StatusReport s = (OrchestratorAnswer.StatusReport) AnswerReader.read(
                OrchestratorTool.GET_STATUS, json);

        assertEquals(Optional.of(true), s.serverHealthy());
        assertEquals(Optional.empty(), s.maintenance(), "not a boolean");
        assertEquals(Optional.of(1.25), s.responseMs());
        assertEquals(List.of("active", "pending"), List.copyOf(new java.util.TreeMap<>(s.lists()).keySet()));
        assertEquals(new TaskList(140, true, List.of(new ListedTask(Optional.of("task_00000001"),
                Optional.of("Recover memory"), Optional.of("down"), Optional.empty(),
                Optional.of(Instant.parse("2026-12-04T20:34:10.068452Z")), true))), s.lists().get("active"));
        assertEquals(2, s.lists().get("pending").count(), "an older shape: the list itself, each entry counted");
        assertEquals(1, s.lists().get("pending").tasks().size());
    }

    @Test
    void aListedTaskWithAFieldThatIsNotTextIsNoPlansOfOurs() {
        Map<String, Object> odd = new LinkedHashMap<>();
        odd.put("task_id", "task_00000003");
        odd.put("title", "Recover memory");
        odd.put("parent_task_id", 7);
        OrchestratorAnswer.StatusReport s = (OrchestratorAnswer.StatusReport) AnswerReader.read(
                OrchestratorTool.GET_STATUS, Map.of("pending_tasks", Map.of("tasks", List.of(odd))));
        ListedTask t = s.lists().get("pending").tasks().get(0);
        assertEquals(Optional.empty(), t.parentTaskId());
        assertEquals(false, t.textFields(), "a number where MCP Health sends text");
    }

    @Test
    void anAnswerToALifecycleCallKeepsTheTaskItNames() {
        assertEquals(new OrchestratorAnswer.Taken(Optional.of("task_1")), AnswerReader.read(
                OrchestratorTool.COMPLETE_TASK, Map.of("status", "success", "task_id", "task_1")));
        assertEquals(OrchestratorAnswer.Taken.NONE, AnswerReader.read(OrchestratorTool.UPDATE_TASK,
                Map.of("status", "success", "data", Map.of("task_id", "task_1"))));
    }

    @Test
    void naiveUtcTimestampsAreRead() {
        assertEquals(Optional.of(Instant.parse("2026-12-04T20:34:10.068452Z")),
                AnswerReader.naiveUtc("2026-12-04T20:34:10.068452"));
        assertEquals(Optional.of(Instant.parse("2026-12-04T20:34:10Z")),
                AnswerReader.naiveUtc("2026-12-04T20:34:10+00:00"));
        assertEquals(Optional.empty(), AnswerReader.naiveUtc("yesterday"));
        assertEquals(Optional.empty(), AnswerReader.naiveUtc(42));
    }

    @Test
    void theMaintenanceAnswersSayWhatTheRecoveryTestShows() {
        assertEquals(new OrchestratorAnswer.CleanupReport(OptionalLong.of(4), OptionalLong.empty()),
                AnswerReader.read(OrchestratorTool.MAINTENANCE_COORDINATOR,
                        Map.of("summary", Map.of("total_tasks_scanned", 4, "issues_found", "none"))));
        assertEquals(new OrchestratorAnswer.ShutdownReadiness(false, List.of("2 active tasks")),
                AnswerReader.read(OrchestratorTool.SHUTDOWN_PREPARE,
                        Map.of("ready_for_shutdown", "yes", "blocking_issues", List.of("2 active tasks"))));
        assertEquals(new OrchestratorAnswer.RestartRequested(Optional.of("3")),
                AnswerReader.read(OrchestratorTool.RESTART_SERVER, Map.of("phase", 3)));
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("phase", "failed");
        current.put("progress", 0.0);
        current.put("started_at", null);
        current.put("errors", List.of("State manager not initialized"));
        current.put("maintenance_mode", true);
        assertEquals(new OrchestratorAnswer.RestartProgress(Optional.of(new OrchestratorAnswer.RestartProgress.Current(
                Optional.of("failed"), Optional.of("0.0"), true, List.of("State manager not initialized")))),
                AnswerReader.read(OrchestratorTool.RESTART_STATUS, Map.of("current_status", current)));
        assertEquals(new OrchestratorAnswer.RestartProgress(Optional.empty()),
                AnswerReader.read(OrchestratorTool.RESTART_STATUS, Map.of("status", "ok")));
        assertEquals(new OrchestratorAnswer.ReconnectReport(Optional.of("pass")),
                AnswerReader.read(OrchestratorTool.RECONNECT_TEST, Map.of("overall_status", "pass")));
    }
}
