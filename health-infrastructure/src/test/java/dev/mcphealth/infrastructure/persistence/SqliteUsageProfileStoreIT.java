package dev.mcphealth.infrastructure.persistence;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link UsageProfileStoreContract} on a real SQLite file. */
class SqliteUsageProfileStoreIT extends UsageProfileStoreContract {
    @RegisterExtension
    final TempDatabase database = new TempDatabase();

    @Override
    protected Database db() {
        return database.db();
    }
}
