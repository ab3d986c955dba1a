package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.catalog.LiveServerCatalog;
import dev.mcphealth.infrastructure.config.ConfigLoader;
import dev.mcphealth.infrastructure.config.HealthConfig;
import jakarta.inject.Singleton;

/** The configuration file, loaded once, and the catalog of its servers. */
@Module
public final class ConfigModule {
    private ConfigModule() {
    }

    @Provides
    @Singleton
    static HealthConfig config(RunSettings settings) {
        return new ConfigLoader(System::getenv).load(settings.configFile());
    }

    /** The database a run with a configuration uses. */
    @Provides
    static dev.mcphealth.infrastructure.persistence.DatabaseTarget database(RunSettings settings) {
        return settings.database();
    }

    /**
     * The configured servers, whose settings a running monitor may change ({@code ApplyTuningUseCase}): one per run,
     * shared by every service that reads the catalog, so that all of them see a change.
     */
    @Provides
    @Singleton
    static LiveServerCatalog liveCatalog(HealthConfig config) {
        return new LiveServerCatalog(config);
    }

    @Provides
    static ServerCatalogPort catalog(LiveServerCatalog catalog) {
        return catalog;
    }
}
