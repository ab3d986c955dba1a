package dev.mcphealth.infrastructure.persistence;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TrialStoreContract} on a real SQLite file. */
class SqliteTrialStoreIT extends TrialStoreContract {
    @RegisterExtension
    final TempDatabase database = new TempDatabase();

    @Override
    protected Database db() {
        return database.db();
    }
}
