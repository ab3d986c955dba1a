package dev.mcphealth.infrastructure.persistence;

import dev.mcphealth.application.port.out.FailoverConfigStoreContract;
import dev.mcphealth.application.port.out.FailoverConfigStorePort;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SQLite store held to the contract its in-memory fake keeps (InMemoryFailoverConfigsContractTest). */
class SqliteFailoverConfigStoreContractIT extends FailoverConfigStoreContract {
    @RegisterExtension
    final TempDatabase database = new TempDatabase();

    @Override
    protected FailoverConfigStorePort store() {
        return new JdbcFailoverConfigStore(database.db());
    }
}
