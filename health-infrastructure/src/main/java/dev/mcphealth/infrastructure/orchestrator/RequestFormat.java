package dev.mcphealth.infrastructure.orchestrator;

import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorRequest.CompleteTask;
import dev.mcphealth.application.port.out.OrchestratorRequest.ExecuteTask;
import dev.mcphealth.application.port.out.OrchestratorRequest.GetStatus;
import dev.mcphealth.application.port.out.OrchestratorRequest.HealthCheck;
import dev.mcphealth.application.port.out.OrchestratorRequest.InitializeSession;
import dev.mcphealth.application.port.out.OrchestratorRequest.PlanTask;
import dev.mcphealth.application.port.out.OrchestratorRequest.QueryTasks;
import dev.mcphealth.application.port.out.OrchestratorRequest.ReconnectTest;
import dev.mcphealth.application.port.out.OrchestratorRequest.RestartServer;
import dev.mcphealth.application.port.out.OrchestratorRequest.RestartStatus;
import dev.mcphealth.application.port.out.OrchestratorRequest.ScanCleanup;
import dev.mcphealth.application.port.out.OrchestratorRequest.ShutdownPrepare;
import dev.mcphealth.application.port.out.OrchestratorRequest.SynthesizeResults;
import dev.mcphealth.application.port.out.OrchestratorRequest.UpdateTask;
import dev.mcphealth.application.port.out.OrchestratorTool;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The orchestrator's arguments for each {@link OrchestratorRequest} (../shared/reference/orchestrator-contract.md):
 * what {@link McpOrchestrator} sends and the outbox keeps as an entry's {@code arguments}, and the request read back
 * from them. Keys in a fixed order, a task's {@code task_id} first. Reading takes what this writes (and what MCP
 * Health wrote before requests were typed: the same keys, {@code task_id} anywhere); a key it does not use is left
 * out (complete_task's {@code next_action} is always {@code "complete"}).
 */
public final class RequestFormat {
    private RequestFormat() {
    }

    /** The tool's arguments for {@code request}, in their order (an unmodifiable map). */
    public static Map<String, Object> arguments(OrchestratorRequest request) {
        Map<String, Object> a = new LinkedHashMap<>();
        if (request instanceof OrchestratorRequest.OfTask t) {
            t.taskId().ifPresent(id -> a.put("task_id", id));
        }
        if (request instanceof InitializeSession r) {
            a.put("working_directory", r.workingDirectory());
        } else if (request instanceof PlanTask r) {
            a.put("title", r.title());
            a.put("description", r.description());
            r.parentTaskId().ifPresent(p -> a.put("parent_task_id", p));
            a.put("complexity", r.complexity());
            a.put("specialist_type", r.specialistType());
        } else if (request instanceof CompleteTask r) {
            a.put("summary", r.summary());
            a.put("detailed_work", r.detailedWork());
            a.put("next_action", "complete");
        } else if (request instanceof UpdateTask r) {
            a.put("status", r.status());
            r.description().ifPresent(d -> a.put("description", d));
        } else if (request instanceof QueryTasks r) {
            a.put("parent_task_id", r.parentTaskId());
            a.put("limit", (long) r.limit());
        } else if (request instanceof SynthesizeResults r) {
            a.put("parent_task_id", r.parentTaskId());
        } else if (request instanceof GetStatus r) {
            a.put("include_completed", r.includeCompleted());
        } else if (request instanceof HealthCheck) {
            a.put("include_connection_status", true);
            a.put("include_database_status", true);
            a.put("include_reboot_readiness", true);
        } else if (request instanceof ScanCleanup) {
            a.put("action", "scan_cleanup");
            a.put("scope", "current_session");
            a.put("validation_level", "comprehensive");
        } else if (request instanceof ShutdownPrepare) {
            a.put("check_active_tasks", true);
            a.put("check_database_state", true);
            a.put("check_client_connections", true);
        } else if (request instanceof RestartServer r) {
            a.put("graceful", true);
            a.put("preserve_state", true);
            a.put("reason", r.reason());
        } else if (request instanceof RestartStatus) {
            a.put("include_history", false);
            a.put("include_error_details", true);
        } else if (request instanceof ReconnectTest) {
            a.put("include_buffer_status", true);
            a.put("include_reconnection_stats", true);
        }
        // ExecuteTask: its task_id only
        return Collections.unmodifiableMap(a);
    }

    /**
     * The request of {@code tool} that {@code arguments} are.
     *
     * @throws IllegalArgumentException naming the key, if one it needs is missing or not of its type
     */
    public static OrchestratorRequest request(OrchestratorTool tool, Map<String, Object> arguments) {
        Args a = new Args(tool, arguments);
        return switch (tool) {
            case INITIALIZE_SESSION -> new InitializeSession(a.text("working_directory"));
            case PLAN_TASK -> new PlanTask(a.text("title"), a.text("description"), a.optionalText("parent_task_id"),
                    a.text("complexity"), a.text("specialist_type"));
            case EXECUTE_TASK -> new ExecuteTask(a.optionalText("task_id"));
            case COMPLETE_TASK -> new CompleteTask(a.optionalText("task_id"), a.text("summary"),
                    a.text("detailed_work"));
            case UPDATE_TASK -> new UpdateTask(a.optionalText("task_id"), a.text("status"),
                    a.optionalText("description"));
            case QUERY_TASKS -> new QueryTasks(a.text("parent_task_id"), a.whole("limit"));
            case SYNTHESIZE_RESULTS -> new SynthesizeResults(a.text("parent_task_id"));
            case GET_STATUS -> new GetStatus(a.flag("include_completed"));
            case HEALTH_CHECK -> new HealthCheck();
            case MAINTENANCE_COORDINATOR -> new ScanCleanup();
            case SHUTDOWN_PREPARE -> new ShutdownPrepare();
            case RESTART_SERVER -> new RestartServer(a.text("reason"));
            case RESTART_STATUS -> new RestartStatus();
            case RECONNECT_TEST -> new ReconnectTest();
        };
    }

    /** The arguments of one call being read, each key checked for its type. */
    private record Args(OrchestratorTool tool, Map<String, Object> map) {
        String text(String key) {
            return optionalText(key).orElseThrow(() -> wrong(key, "missing"));
        }

        Optional<String> optionalText(String key) {
            Object v = map.get(key);
            if (v == null) {
                return Optional.empty();
            }
            if (!(v instanceof String s)) {
                throw wrong(key, "not text");
            }
            return Optional.of(s);
        }

        boolean flag(String key) {
            if (!(map.get(key) instanceof Boolean b)) {
                throw wrong(key, map.containsKey(key) ? "not true or false" : "missing");
            }
            return b;
        }

        int whole(String key) {
            Object v = map.get(key);
            if (!(v instanceof Long || v instanceof Integer) || ((Number) v).longValue() < 1
                    || ((Number) v).longValue() > Integer.MAX_VALUE) {
                throw wrong(key, v == null ? "missing" : "not a positive whole number");
            }
            return ((Number) v).intValue();
        }

        private IllegalArgumentException wrong(String key, String how) {
            return new IllegalArgumentException(tool.code() + " arguments: " + key + " is " + how);
        }
    }
}
