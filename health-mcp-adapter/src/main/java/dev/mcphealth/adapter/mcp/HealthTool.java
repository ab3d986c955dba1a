package dev.mcphealth.adapter.mcp;

import java.util.Map;

/**
 * One MCP tool of MCP Health: a thin class that turns checked arguments into a use-case call and its result into
 * structured content plus a short summary. It never sees the SDK: {@link ToolBinding} does that.
 */
interface HealthTool {
    String name();

    String title();

    String description();

    InputSchema input();

    /** Only reads (the client may call it without asking). */
    default boolean readOnly() {
        return false;
    }

    /** May restart or fail over servers (the client should ask first). */
    default boolean destructive() {
        return false;
    }

    /** The JSON schema of {@link Reply#structured()}. */
    Map<String, Object> outputSchema();

    /**
     * @throws IllegalArgumentException (and subclasses) for anything the caller got wrong: reported as a tool error
     *     with its message
     */
    Reply call(Args args);

    /**
     * The call as part of an orchestrator task ({@link OrchestratedTool}): a tool whose work records rows stamps them
     * with the link's session and task. By default the link is not used.
     */
    default Reply call(Args args, dev.mcphealth.application.port.in.RunAsTaskUseCase.Context link) {
        return call(args);
    }
}
