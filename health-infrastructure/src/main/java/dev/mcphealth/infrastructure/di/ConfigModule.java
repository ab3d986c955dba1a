package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.infrastructure.config.ConfigLoader;
import dev.mcphealth.infrastructure.config.HealthConfig;
import jakarta.inject.Singleton;

/** The configuration file, loaded once. */
@Module
public final class ConfigModule {
    private ConfigModule() {
    }

    @Provides
    @Singleton
    static HealthConfig config(RunSettings settings) {
        return new ConfigLoader(System::getenv).load(settings.configFile());
    }

    /** The database file a run with a configuration uses. */
    @Provides
    static DatabaseFile databaseFile(RunSettings settings) {
        return new DatabaseFile(settings.databaseFile());
    }

    @Provides
    static ServerCatalogPort catalog(HealthConfig config) {
        return config;
    }
}
