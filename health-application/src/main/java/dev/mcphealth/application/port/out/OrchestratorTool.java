package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.Coded;

/** The MCP Task Orchestrator's tools MCP Health uses (../shared/reference/orchestrator-contract.md). */
public enum OrchestratorTool implements Coded {
    INITIALIZE_SESSION("orchestrator_initialize_session"),
    PLAN_TASK("orchestrator_plan_task"),
    EXECUTE_TASK("orchestrator_execute_task"),
    COMPLETE_TASK("orchestrator_complete_task"),
    UPDATE_TASK("orchestrator_update_task"),
    QUERY_TASKS("orchestrator_query_tasks"),
    SYNTHESIZE_RESULTS("orchestrator_synthesize_results"),
    GET_STATUS("orchestrator_get_status"),
    MAINTENANCE_COORDINATOR("orchestrator_maintenance_coordinator"),
    HEALTH_CHECK("orchestrator_health_check"),
    RESTART_SERVER("orchestrator_restart_server"),
    RECONNECT_TEST("orchestrator_reconnect_test"),
    RESTART_STATUS("orchestrator_restart_status"),
    SHUTDOWN_PREPARE("orchestrator_shutdown_prepare");

    private final String code;

    OrchestratorTool(String code) {
        this.code = code;
    }

    /** The tool's name on the orchestrator. */
    @Override
    public String code() {
        return code;
    }

    public static OrchestratorTool fromCode(String code) {
        return Coded.parse(OrchestratorTool.class, code, "orchestrator tool");
    }
}
