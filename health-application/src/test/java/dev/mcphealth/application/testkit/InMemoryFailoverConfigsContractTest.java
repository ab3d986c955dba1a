package dev.mcphealth.application.testkit;

import dev.mcphealth.application.port.out.FailoverConfigStoreContract;
import dev.mcphealth.application.port.out.FailoverConfigStorePort;

/** {@link InMemoryFailoverConfigs} held to the contract {@code JdbcFailoverConfigStore} keeps. */
class InMemoryFailoverConfigsContractTest extends FailoverConfigStoreContract {
    private final InMemoryFailoverConfigs store = new InMemoryFailoverConfigs();

    @Override
    protected FailoverConfigStorePort store() {
        return store;
    }
}
