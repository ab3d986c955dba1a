package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.testkit.InMemoryFailureStore;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.ServerId;
import java.util.List;

class InMemoryFailureStoreTest extends FailureStoreContract {
    private final InMemoryFailureStore store = new InMemoryFailureStore();

    @Override
    protected FailureStorePort store() {
        return store;
    }

    @Override
    protected List<Failure> stored(ServerId server) {
        return store.of(server);
    }
}
