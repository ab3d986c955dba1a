package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.testkit.InMemoryFailureStore;
import dev.mcphealth.application.port.out.FailureHistoryPort;
import dev.mcphealth.application.port.out.FailureStorePort;

class InMemoryFailureHistoryTest extends FailureHistoryContract {
    private final InMemoryFailureStore store = new InMemoryFailureStore();

    @Override
    protected FailureStorePort store() {
        return store;
    }

    @Override
    protected FailureHistoryPort history() {
        return store;
    }
}
