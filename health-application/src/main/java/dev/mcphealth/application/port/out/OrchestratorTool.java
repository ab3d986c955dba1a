package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.Coded;

/** The MCP Task Orchestrator's tools MCP Health uses (../shared/reference/orchestrator-contract.md). */
public enum OrchestratorTool implements Coded {
    INITIALIZE_SESSION(false, "orchestrator_initialize_session"),
    PLAN_TASK(false, "orchestrator_plan_task"),
    EXECUTE_TASK(false, "orchestrator_execute_task"),
    COMPLETE_TASK(false, "orchestrator_complete_task"),
    UPDATE_TASK(false, "orchestrator_update_task"),
    QUERY_TASKS(false, "orchestrator_query_tasks"),
    SYNTHESIZE_RESULTS(false, "orchestrator_synthesize_results"),
    GET_STATUS(true, "orchestrator_get_status"),
    MAINTENANCE_COORDINATOR(false, "orchestrator_maintenance_coordinator"),
    HEALTH_CHECK(true, "orchestrator_health_check"),
    RESTART_SERVER(false, "orchestrator_restart_server"),
    RECONNECT_TEST(false, "orchestrator_reconnect_test"),
    RESTART_STATUS(true, "orchestrator_restart_status"),
    SHUTDOWN_PREPARE(false, "orchestrator_shutdown_prepare");

    private final boolean read;
    private final String code;

    OrchestratorTool(boolean read, String code) {
        this.read = read;
        this.code = code;
    }

    /**
     * Whether it only reads how the orchestrator stands (its health, its status, its restart's progress), for a health
     * check or a dashboard: such a call is held to the orchestrator server's probe timeout as well as the call timeout,
     * so a hung orchestrator holds them up no longer than a probe of it. (query_tasks and synthesize_results close a
     * run, after its work: they get the whole call timeout.)
     */
    public boolean read() {
        return read;
    }

    /** The tool's name on the orchestrator. */
    @Override
    public String code() {
        return code;
    }

    /** The tool's name without the orchestrator's prefix ({@code plan_task}), as messages name it. */
    public String shortName() {
        return code.substring("orchestrator_".length());
    }

    public static OrchestratorTool fromCode(String code) {
        return Coded.parse(OrchestratorTool.class, code, "orchestrator tool");
    }
}
