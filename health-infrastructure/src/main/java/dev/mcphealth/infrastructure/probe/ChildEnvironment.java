package dev.mcphealth.infrastructure.probe;

/** What MCP Health adds to the environment of every server it starts. */
public final class ChildEnvironment {
    /**
     * The id of the MCP Health process that started the server. An {@code mcp-health-server} that finds it was started
     * by MCP Health (its own entry in the config it watches) refuses to run, instead of starting itself again and again.
     */
    public static final String PARENT_PID = "MCP_HEALTH_PARENT_PID";

    private ChildEnvironment() {
    }
}
