package dev.mcphealth.adapter.mcp;

import java.util.Optional;

/**
 * What a tool does with {@code orchestrator_session_id} until the orchestrator integration lands: it says plainly that
 * no orchestrator is configured, and does the work anyway.
 */
final class Orchestration {
    static final String NOT_CONFIGURED = "no orchestrator is configured, so no task was planned or linked for session ";

    private Orchestration() {
    }

    static Arg sessionArg() {
        return Arg.matching("orchestrator_session_id", "MCP Task Orchestrator session to link this run to as a task "
                + "(needs health.orchestrator in the config; without it the work is done and the reply says so)",
                "^[A-Za-z0-9._:-]{1,128}$", "an id of 1 to 128 letters, digits, '.', '_', ':' or '-'");
    }

    /** The reply's orchestrator block, if a session was asked for. */
    static Optional<Obj> note(Args args) {
        return args.text("orchestrator_session_id").map(id -> Obj.of()
                .put("sessionId", id)
                .put("configured", false)
                .put("taskLinked", false)
                .put("message", NOT_CONFIGURED + id + "; the work was done without it"));
    }

    /** The summary with the orchestrator's sentence appended when a session was asked for. */
    static String summary(String summary, Args args) {
        return args.text("orchestrator_session_id")
                .map(id -> summary + " Note: " + NOT_CONFIGURED + id + ".")
                .orElse(summary);
    }
}
