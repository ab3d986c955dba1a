package dev.mcphealth.adapter.cli.di;

import dagger.BindsInstance;
import dagger.Component;
import dev.mcphealth.application.port.in.CheckHealthUseCase;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.infrastructure.di.ClockModule;
import dev.mcphealth.infrastructure.di.ConfigModule;
import dev.mcphealth.infrastructure.di.PersistenceModule;
import dev.mcphealth.infrastructure.di.ProbeModule;
import dev.mcphealth.infrastructure.di.RunSettings;
import dev.mcphealth.infrastructure.di.UseCaseModule;
import dev.mcphealth.infrastructure.persistence.Database;
import dev.mcphealth.infrastructure.probe.McpProbe;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;

/** The CLI's composition root: one component per run, for one configuration and one database. */
@Singleton
@Component(modules = {ClockModule.class, ConfigModule.class, PersistenceModule.class, ProbeModule.class,
    UseCaseModule.class})
interface CliComponent {
    HealthConfig config();

    Database database();

    McpProbe probe();

    ExecutorService probeExecutor();

    CheckHealthUseCase checkHealth();

    @Component.Factory
    interface Factory {
        CliComponent create(@BindsInstance RunSettings settings);
    }
}
