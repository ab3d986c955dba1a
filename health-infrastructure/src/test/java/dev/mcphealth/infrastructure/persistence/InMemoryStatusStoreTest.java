package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.StatusStorePort;
import dev.mcphealth.domain.model.StatusSnapshot;
import java.util.List;

class InMemoryStatusStoreTest extends StatusStoreContract {
    private final InMemoryStatusStore store = new InMemoryStatusStore();

    @Override
    protected StatusStorePort store() {
        return store;
    }

    @Override
    protected List<StatusSnapshot> statuses() {
        return store.statuses();
    }
}
