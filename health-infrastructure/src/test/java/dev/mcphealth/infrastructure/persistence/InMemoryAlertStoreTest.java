package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.AlertStorePort;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.ServerId;
import java.util.List;

class InMemoryAlertStoreTest extends AlertStoreContract {
    private final InMemoryAlertStore store = new InMemoryAlertStore();

    @Override
    protected AlertStorePort store() {
        return store;
    }

    @Override
    protected List<Alert> stored(ServerId server) {
        return store.of(server);
    }
}
