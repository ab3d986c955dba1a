package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.BreakerState;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.domain.model.ServerId;
import java.util.Objects;
import java.util.function.Function;

/** A test double of the orchestrator that answers each call with what {@code answer} gives; its breaker is closed. */
public final class AnsweringOrchestrator implements OrchestratorPort {
    private final ServerId server;
    private final Function<OrchestratorRequest, OrchestratorReply> answer;

    public AnsweringOrchestrator(ServerId server,
                                 Function<OrchestratorRequest, OrchestratorReply> answer) {
        this.server = Objects.requireNonNull(server, "server");
        this.answer = Objects.requireNonNull(answer, "answer");
    }

    @Override
    public ServerId server() {
        return server;
    }

    @Override
    public BreakerState breaker() {
        return BreakerState.CLOSED;
    }

    @Override
    public OrchestratorReply call(OrchestratorRequest request) {
        return answer.apply(request);
    }
}
