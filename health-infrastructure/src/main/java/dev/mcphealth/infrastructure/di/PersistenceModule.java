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
import dev.mcphealth.infrastructure.persistence.JdbcAlertStore;
import dev.mcphealth.infrastructure.persistence.JdbcBreakerLog;
import dev.mcphealth.infrastructure.persistence.JdbcFailoverConfigStore;
import dev.mcphealth.infrastructure.persistence.JdbcFailureHistory;
import dev.mcphealth.infrastructure.persistence.Database;
import dev.mcphealth.infrastructure.persistence.DatabaseTarget;
import dev.mcphealth.infrastructure.persistence.JdbcHistory;
import dev.mcphealth.infrastructure.persistence.JdbcRetention;
import dev.mcphealth.infrastructure.persistence.JdbcStatusStore;
import dev.mcphealth.infrastructure.persistence.JdbcFailureStore;
import dev.mcphealth.infrastructure.persistence.JdbcOpenEpisodes;
import dev.mcphealth.infrastructure.persistence.JdbcMetricStore;
import jakarta.inject.Singleton;

/** Persistence on SQLite or PostgreSQL: one database per run, opened and migrated on first use. */
@Module
public final class PersistenceModule {
    private PersistenceModule() {
    }

    @Provides
    @Singleton
    static Database database(DatabaseTarget target) {
        return target.open();
    }

    @Provides
    static AlertStorePort alerts(Database db) {
        return new JdbcAlertStore(db);
    }

    @Provides
    static StatusStorePort statuses(Database db) {
        return new JdbcStatusStore(db);
    }

    @Provides
    static HealthHistoryPort history(Database db) {
        return new JdbcHistory(db);
    }

    @Provides
    static RetentionPort retention(Database db) {
        return new JdbcRetention(db);
    }

    @Provides
    static MetricStorePort metrics(Database db) {
        return new JdbcMetricStore(db);
    }

    @Provides
    static OpenEpisodesPort openEpisodes(Database db) {
        return new JdbcOpenEpisodes(db);
    }

    @Provides
    static FailureStorePort failures(Database db) {
        return new JdbcFailureStore(db);
    }

    @Provides
    static FailureHistoryPort failureHistory(Database db) {
        return new JdbcFailureHistory(db);
    }

    @Provides
    static BreakerLogPort breakerLog(Database db) {
        return new JdbcBreakerLog(db);
    }

    @Provides
    static dev.mcphealth.application.port.out.TrialStorePort trials(Database db) {
        return new dev.mcphealth.infrastructure.persistence.JdbcTrialStore(db);
    }

    @Provides
    static dev.mcphealth.application.port.out.ToolUsageStorePort toolUsage(Database db) {
        return new dev.mcphealth.infrastructure.persistence.JdbcToolUsageStore(db);
    }

    @Provides
    static dev.mcphealth.application.port.out.ProbeProfileStorePort probeProfiles(Database db) {
        return new dev.mcphealth.infrastructure.persistence.JdbcProbeProfileStore(db);
    }

    @Provides
    static dev.mcphealth.application.port.out.UsageProfileStorePort usageProfiles(Database db) {
        return new dev.mcphealth.infrastructure.persistence.JdbcUsageProfileStore(db);
    }

    @Provides
    static FailoverConfigStorePort failoverConfigs(Database db) {
        return new JdbcFailoverConfigStore(db);
    }
}
