package dev.mcphealth.infrastructure.orchestrator;

import static dev.mcphealth.application.testkit.TestServers.aServer;

import dev.mcphealth.application.port.out.OrchestratorContract;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ToolReply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The real {@link McpOrchestrator} (its reply classification and breaker) held to the contract its scripted fake
 * keeps, over a session layer that either answers as the orchestrator does or has no session to it.
 */
class McpOrchestratorContractTest extends OrchestratorContract {
    private static final ServerId ORCHESTRATOR = ServerId.of("orchestrator");

    private final MonitoredServer server = aServer().named("orchestrator").build();
    private boolean reachable = true;
    private final ToolCallPort sessions = new ToolCallPort() {
        @Override
        public CallOutcome callTool(MonitoredServer s, String tool, Map<String, Object> arguments, Duration timeout,
                                    boolean mayConnect) {
            return reachable
                    ? new CallOutcome.Replied(new ToolReply(false, List.of("{\"status\": \"status_retrieved\"}"),
                            "{}"), Duration.ofMillis(5))
                    : new CallOutcome.Failed(FailureType.CONNECTION_ERROR, "orchestrator has no live session", false,
                            Duration.ZERO);
        }

        @Override
        public CallOutcome listTools(MonitoredServer s, Duration timeout, boolean mayConnect) {
            throw new AssertionError("the orchestrator adapter never lists tools");
        }

        @Override
        public CallOutcome request(MonitoredServer s, dev.mcphealth.domain.model.UpstreamRequest what,
                                   java.util.Map<String, Object> params, Duration timeout, boolean mayConnect) {
            throw new AssertionError("the orchestrator adapter asks for no prompts or resources");
        }
    };
    private final McpOrchestrator orchestrator = new McpOrchestrator(ORCHESTRATOR, () -> List.of(server), sessions,
            id -> true, new TestClock(Instant.parse("2026-12-05T10:00:00Z")),
            new McpOrchestrator.Settings(Duration.ofSeconds(30), 3, Duration.ofSeconds(30), 1));

    @Override
    protected OrchestratorPort port() {
        return orchestrator;
    }

    @Override
    protected ServerId configured() {
        return ORCHESTRATOR;
    }

    @Override
    protected void answering() {
        reachable = true;
    }

    @Override
    protected void unreachable() {
        reachable = false;
    }
}
