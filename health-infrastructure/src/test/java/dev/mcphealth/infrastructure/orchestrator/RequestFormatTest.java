package dev.mcphealth.infrastructure.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The orchestrator's arguments for each request, and each request read back from them. */
public class RequestFormatTest {
    private static final String TASK = "task_1a2b3c4d";

    /** One request of every tool, each optional part both present and absent somewhere. */
    public static List<OrchestratorRequest> everyRequest() {
        return List.of(new OrchestratorRequest.InitializeSession("/srv/project"),
                new OrchestratorRequest.PlanTask("Check the fleet", "Probe every server", Optional.empty(), "moderate",
                        "devops"),
                new OrchestratorRequest.PlanTask("Recover memory (restart)", "", Optional.of(TASK), "simple",
                        "devops"),
                new OrchestratorRequest.ExecuteTask(Optional.of(TASK)),
                new OrchestratorRequest.ExecuteTask(Optional.empty()),
                new OrchestratorRequest.CompleteTask(Optional.of(TASK), "2 servers healthy", "probed: 3 ms"),
                new OrchestratorRequest.UpdateTask(Optional.of(TASK), "in_progress", Optional.empty()),
                OrchestratorRequest.UpdateTask.failed(Optional.empty(), "Check failed: timeout"),
                new OrchestratorRequest.QueryTasks(TASK, 100),
                new OrchestratorRequest.SynthesizeResults(TASK),
                new OrchestratorRequest.GetStatus(false),
                new OrchestratorRequest.GetStatus(true),
                new OrchestratorRequest.HealthCheck(),
                new OrchestratorRequest.ScanCleanup(),
                new OrchestratorRequest.ShutdownPrepare(),
                new OrchestratorRequest.RestartServer("manual_request"),
                new OrchestratorRequest.RestartStatus(),
                new OrchestratorRequest.ReconnectTest());
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void eachRequestIsItsToolsArgumentsInOrderTheTaskIdFirst() {
        List<Map<String, Object>> expected = List.of(
                ordered("working_directory", "/srv/project"),
                ordered("title", "Check the fleet", "description", "Probe every server", "complexity", "moderate",
                        "specialist_type", "devops"),
                ordered("title", "Recover memory (restart)", "description", "", "parent_task_id", TASK,
                        "complexity", "simple", "specialist_type", "devops"),
                ordered("task_id", TASK),
                ordered(),
                ordered("task_id", TASK, "summary", "2 servers healthy", "detailed_work", "probed: 3 ms",
                        "next_action", "complete"),
                ordered("task_id", TASK, "status", "in_progress"),
                ordered("status", "failed", "description", "Check failed: timeout"),
                ordered("parent_task_id", TASK, "limit", 100L),
                ordered("parent_task_id", TASK),
                ordered("include_completed", false),
                ordered("include_completed", true),
                ordered("include_connection_status", true, "include_database_status", true,
                        "include_reboot_readiness", true),
                ordered("action", "scan_cleanup", "scope", "current_session", "validation_level", "comprehensive"),
                ordered("check_active_tasks", true, "check_database_state", true, "check_client_connections", true),
                ordered("graceful", true, "preserve_state", true, "reason", "manual_request"),
                ordered("include_history", false, "include_error_details", true),
                ordered("include_buffer_status", true, "include_reconnection_stats", true));
        List<OrchestratorRequest> requests = everyRequest();
        for (int i = 0; i < requests.size(); i++) {
            Map<String, Object> arguments = RequestFormat.arguments(requests.get(i));
            assertEquals(expected.get(i), arguments, requests.get(i).toString());
            assertEquals(List.copyOf(expected.get(i).keySet()), List.copyOf(arguments.keySet()), "in order");
        }
    }

    @Test
    void everyToolHasARequestAndEachReadsBackAsItWasWritten() {
        Set<OrchestratorTool> seen = EnumSet.noneOf(OrchestratorTool.class);
        for (OrchestratorRequest r : everyRequest()) {
            seen.add(r.tool());
            assertEquals(r, RequestFormat.request(r.tool(), RequestFormat.arguments(r)));
        }
        assertEquals(EnumSet.allOf(OrchestratorTool.class), seen);
    }

    @Test
    void argumentsKeptByEarlierVersionsReadBackWhateverTheirOrder() {
        Map<String, Object> complete = ordered("summary", "s", "detailed_work", "w", "next_action", "complete",
                "task_id", TASK);

        assertEquals(new OrchestratorRequest.CompleteTask(Optional.of(TASK), "s", "w"),
                RequestFormat.request(OrchestratorTool.COMPLETE_TASK, complete));
        assertEquals(new OrchestratorRequest.QueryTasks(TASK, 100),
                RequestFormat.request(OrchestratorTool.QUERY_TASKS, ordered("limit", 100L, "parent_task_id", TASK)));
    }

    @Test
    void argumentsThatAreNotTheRequestNameTheKeyThatIsWrong() {
        List<String> messages = new ArrayList<>();
        for (Map.Entry<OrchestratorTool, Map<String, Object>> bad : List.of(
                Map.entry(OrchestratorTool.PLAN_TASK, ordered("description", "d")),
                Map.entry(OrchestratorTool.PLAN_TASK, ordered("title", 3L, "description", "d")),
                Map.entry(OrchestratorTool.COMPLETE_TASK, ordered("task_id", List.of(TASK), "summary", "s",
                        "detailed_work", "w")),
                Map.entry(OrchestratorTool.GET_STATUS, ordered("include_completed", "no")),
                Map.entry(OrchestratorTool.QUERY_TASKS, ordered("parent_task_id", TASK, "limit", 0L)),
                Map.entry(OrchestratorTool.QUERY_TASKS, ordered("parent_task_id", TASK, "limit", 1.5)))) {
            messages.add(assertThrows(IllegalArgumentException.class,
                    () -> RequestFormat.request(bad.getKey(), bad.getValue())).getMessage());
        }
        assertEquals(List.of("orchestrator_plan_task arguments: title is missing",
                "orchestrator_plan_task arguments: title is not text",
                "orchestrator_complete_task arguments: task_id is not text",
                "orchestrator_get_status arguments: include_completed is not true or false",
                "orchestrator_query_tasks arguments: limit is not a positive whole number",
                "orchestrator_query_tasks arguments: limit is not a positive whole number"), messages);
        assertEquals("title must not be blank", assertThrows(IllegalArgumentException.class,
                () -> RequestFormat.request(OrchestratorTool.PLAN_TASK, ordered("title", " ", "description", "d",
                        "complexity", "simple", "specialist_type", "devops"))).getMessage());
    }
}
