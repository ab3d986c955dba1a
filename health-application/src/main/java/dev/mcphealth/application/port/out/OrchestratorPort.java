package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.domain.model.ServerId;
import java.util.Map;

/**
 * The MCP Task Orchestrator, one of the configured servers (named in {@code health.orchestrator}), called over the
 * monitor's own session to it. Never throws for anything the orchestrator or the connection does: every outcome is an
 * {@link OrchestratorReply}. A breaker around it turns calls into {@link OrchestratorReply.NotDelivered} while it is
 * failing, so the orchestrator failing never slows monitoring.
 */
public interface OrchestratorPort {

    /** The configured server that is the orchestrator. */
    ServerId server();

    /** Calls {@code tool} with {@code arguments} (JSON-compatible values: maps, lists, strings, numbers, booleans). */
    OrchestratorReply call(OrchestratorTool tool, Map<String, Object> arguments);

    /** The state of the breaker around calls to it now (shown in the monitor's own row, {@code mcp-health}). */
    BreakerState breaker();
}
