package dev.mcphealth.adapter.mcp;

/** The {@code orchestrator_session_id} argument the orchestrator-integrated tools take (see {@link OrchestratedTool}). */
final class Orchestration {
    private Orchestration() {
    }

    static Arg sessionArg() {
        return Arg.matching("orchestrator_session_id", "MCP Task Orchestrator session to link this run to as a task "
                + "(needs health.orchestrator in the config; without it the work is done and the reply says so)",
                "^[A-Za-z0-9._:-]{1,128}$", "an id of 1 to 128 letters, digits, '.', '_', ':' or '-'");
    }
}
