package dev.mcphealth.application.testkit;

import dev.mcphealth.application.port.out.OrchestratorContract;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.domain.model.ServerId;

/** {@link ScriptedOrchestrator} held to the contract the real {@code McpOrchestrator} keeps. */
class ScriptedOrchestratorContractTest extends OrchestratorContract {
    private final ScriptedOrchestrator orchestrator = new ScriptedOrchestrator();

    @Override
    protected OrchestratorPort port() {
        return orchestrator;
    }

    @Override
    protected ServerId configured() {
        return ServerId.of("orchestrator");
    }

    @Override
    protected void answering() {
        orchestrator.back();
    }

    @Override
    protected void unreachable() {
        orchestrator.away("orchestrator has no live session");
    }
}
