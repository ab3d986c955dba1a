package dev.mcphealth.infrastructure.persistence;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ToolUsageStoreContract} on a real SQLite file. */
class SqliteToolUsageStoreIT extends ToolUsageStoreContract {
    @RegisterExtension
    final TempDatabase database = new TempDatabase();

    @Override
    protected Database db() {
        return database.db();
    }
}
