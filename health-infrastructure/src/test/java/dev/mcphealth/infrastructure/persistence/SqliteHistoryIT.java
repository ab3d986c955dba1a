package dev.mcphealth.infrastructure.persistence;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link HistoryStoreContract} on a real SQLite file. */
class SqliteHistoryIT extends HistoryStoreContract {
    @RegisterExtension
    final TempDatabase database = new TempDatabase();

    @Override
    protected Database db() {
        return database.db();
    }
}
