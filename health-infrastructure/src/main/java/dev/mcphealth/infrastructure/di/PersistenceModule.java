package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.infrastructure.persistence.SqliteDatabase;
import dev.mcphealth.infrastructure.persistence.SqliteFailureStore;
import dev.mcphealth.infrastructure.persistence.SqliteMetricStore;
import jakarta.inject.Singleton;

/** SQLite persistence: one database per run, opened and migrated on first use. */
@Module
public final class PersistenceModule {
    private PersistenceModule() {
    }

    @Provides
    @Singleton
    static SqliteDatabase database(RunSettings settings) {
        return SqliteDatabase.open(settings.databaseFile());
    }

    @Provides
    static MetricStorePort metrics(SqliteDatabase db) {
        return new SqliteMetricStore(db);
    }

    @Provides
    static FailureStorePort failures(SqliteDatabase db) {
        return new SqliteFailureStore(db);
    }
}
