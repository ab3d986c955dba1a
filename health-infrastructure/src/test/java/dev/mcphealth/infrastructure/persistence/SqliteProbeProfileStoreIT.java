package dev.mcphealth.infrastructure.persistence;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ProbeProfileStoreContract} on a real SQLite file. */
class SqliteProbeProfileStoreIT extends ProbeProfileStoreContract {
    @RegisterExtension
    final TempDatabase database = new TempDatabase();

    @Override
    protected Database db() {
        return database.db();
    }
}
