package dev.mcphealth.adapter.cli.di;

import dagger.BindsInstance;
import dagger.Component;
import dev.mcphealth.application.port.in.PruneHistoryUseCase;
import dev.mcphealth.application.port.in.ReadFailuresUseCase;
import dev.mcphealth.application.port.in.ReadHistoryUseCase;
import dev.mcphealth.application.port.in.ReadStatusUseCase;
import dev.mcphealth.application.port.in.ReportUsageUseCase;
import dev.mcphealth.infrastructure.di.ClockModule;
import dev.mcphealth.infrastructure.persistence.DatabaseTarget;
import dev.mcphealth.infrastructure.di.HistoryModule;
import dev.mcphealth.infrastructure.di.PersistenceModule;
import dev.mcphealth.infrastructure.persistence.Database;
import jakarta.inject.Singleton;

/**
 * The composition root of {@code status}, {@code history}, {@code failures}, {@code report} and {@code db prune}: a
 * database, no configuration.
 */
@Singleton
@Component(modules = {ClockModule.class, PersistenceModule.class, HistoryModule.class})
interface StoreComponent {
    Database database();

    ReadStatusUseCase status();

    ReadHistoryUseCase history();

    dev.mcphealth.application.port.in.ListRecordedServersUseCase recorded();

    PruneHistoryUseCase prune();

    ReadFailuresUseCase failures();

    ReportUsageUseCase usage();

    dev.mcphealth.application.port.in.ReadClusterUseCase cluster();

    @Component.Factory
    interface Factory {
        StoreComponent create(@BindsInstance DatabaseTarget database);
    }
}
