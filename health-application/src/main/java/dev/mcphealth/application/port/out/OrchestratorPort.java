package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.domain.model.ServerId;

/**
 * The MCP Task Orchestrator, one of the configured servers (named in {@code health.orchestrator}), called over the
 * monitor's own session to it. Never throws for anything the orchestrator or the connection does: every outcome is an
 * {@link OrchestratorReply}. A breaker around it turns calls into {@link OrchestratorReply.NotDelivered} while it is
 * failing, so the orchestrator failing never slows monitoring.
 */
public interface OrchestratorPort {

    /** The configured server that is the orchestrator. */
    ServerId server();

    /** Makes {@code request}: calls its tool with what it says, put as the orchestrator's arguments. */
    OrchestratorReply call(OrchestratorRequest request);

    /** The state of the breaker around calls to it now (shown in the monitor's own row, {@code mcp-health}). */
    BreakerState breaker();
}
