package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.out.AlertStorePort;
import dev.mcphealth.application.port.out.BreakerLogPort;
import dev.mcphealth.application.port.out.FailoverConfigStorePort;
import dev.mcphealth.application.port.out.FailureHistoryPort;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.application.port.out.OpenEpisodesPort;
import dev.mcphealth.application.port.out.HealthHistoryPort;
import dev.mcphealth.application.port.out.RetentionPort;
import dev.mcphealth.application.port.out.StatusStorePort;
import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.infrastructure.persistence.SqliteAlertStore;
import dev.mcphealth.infrastructure.persistence.SqliteBreakerLog;
import dev.mcphealth.infrastructure.persistence.SqliteFailoverConfigStore;
import dev.mcphealth.infrastructure.persistence.SqliteFailureHistory;
import dev.mcphealth.infrastructure.persistence.SqliteDatabase;
import dev.mcphealth.infrastructure.persistence.SqliteHistory;
import dev.mcphealth.infrastructure.persistence.SqliteRetention;
import dev.mcphealth.infrastructure.persistence.SqliteStatusStore;
import dev.mcphealth.infrastructure.persistence.SqliteFailureStore;
import dev.mcphealth.infrastructure.persistence.SqliteOpenEpisodes;
import dev.mcphealth.infrastructure.persistence.SqliteMetricStore;
import jakarta.inject.Singleton;

/** SQLite persistence: one database per run, opened and migrated on first use. */
@Module
public final class PersistenceModule {
    private PersistenceModule() {
    }

    @Provides
    @Singleton
    static SqliteDatabase database(DatabaseFile file) {
        return SqliteDatabase.open(file.path());
    }

    @Provides
    static AlertStorePort alerts(SqliteDatabase db) {
        return new SqliteAlertStore(db);
    }

    @Provides
    static StatusStorePort statuses(SqliteDatabase db) {
        return new SqliteStatusStore(db);
    }

    @Provides
    static HealthHistoryPort history(SqliteDatabase db) {
        return new SqliteHistory(db);
    }

    @Provides
    static RetentionPort retention(SqliteDatabase db) {
        return new SqliteRetention(db);
    }

    @Provides
    static MetricStorePort metrics(SqliteDatabase db) {
        return new SqliteMetricStore(db);
    }

    @Provides
    static OpenEpisodesPort openEpisodes(SqliteDatabase db) {
        return new SqliteOpenEpisodes(db);
    }

    @Provides
    static FailureStorePort failures(SqliteDatabase db) {
        return new SqliteFailureStore(db);
    }

    @Provides
    static FailureHistoryPort failureHistory(SqliteDatabase db) {
        return new SqliteFailureHistory(db);
    }

    @Provides
    static BreakerLogPort breakerLog(SqliteDatabase db) {
        return new SqliteBreakerLog(db);
    }

    @Provides
    static dev.mcphealth.application.port.out.TrialStorePort trials(SqliteDatabase db) {
        return new dev.mcphealth.infrastructure.persistence.SqliteTrialStore(db);
    }

    @Provides
    static dev.mcphealth.application.port.out.ToolUsageStorePort toolUsage(SqliteDatabase db) {
        return new dev.mcphealth.infrastructure.persistence.SqliteToolUsageStore(db);
    }

    @Provides
    static dev.mcphealth.application.port.out.ProbeProfileStorePort probeProfiles(SqliteDatabase db) {
        return new dev.mcphealth.infrastructure.persistence.SqliteProbeProfileStore(db);
    }

    @Provides
    static dev.mcphealth.application.port.out.UsageProfileStorePort usageProfiles(SqliteDatabase db) {
        return new dev.mcphealth.infrastructure.persistence.SqliteUsageProfileStore(db);
    }

    @Provides
    static FailoverConfigStorePort failoverConfigs(SqliteDatabase db) {
        return new SqliteFailoverConfigStore(db);
    }
}
