package dev.mcphealth.application.port.out;

class InMemoryOrchestratorIntegrationLogTest extends OrchestratorIntegrationLogContract {
    @Override
    protected OrchestratorIntegrationLogPort log() {
        return new InMemoryOrchestratorIntegrationLog();
    }
}
