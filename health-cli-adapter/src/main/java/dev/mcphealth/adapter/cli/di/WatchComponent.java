package dev.mcphealth.adapter.cli.di;

import dagger.BindsInstance;
import dagger.Component;
import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.CoordinateFailoverUseCase;
import dev.mcphealth.application.port.in.RunMonitoringRoundUseCase;
import dev.mcphealth.application.port.out.FailoverConfigStorePort;
import dev.mcphealth.infrastructure.di.RecoveryModule;
import dev.mcphealth.infrastructure.di.ResilienceModule;
import dev.mcphealth.infrastructure.scheduler.RecoveryScheduler;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.service.MonitoringSettings;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.infrastructure.di.ClockModule;
import dev.mcphealth.infrastructure.di.ConfigModule;
import dev.mcphealth.infrastructure.di.HistoryModule;
import dev.mcphealth.infrastructure.di.MonitoringModule;
import dev.mcphealth.infrastructure.di.PersistenceModule;
import dev.mcphealth.infrastructure.di.ProbeModule;
import dev.mcphealth.infrastructure.di.RunSettings;
import dev.mcphealth.infrastructure.persistence.SqliteDatabase;
import dev.mcphealth.infrastructure.probe.McpProbe;
import dev.mcphealth.infrastructure.scheduler.MonitorScheduler;
import jakarta.inject.Singleton;

/** The composition root of one {@code watch}: configuration, database, probe, monitor, scheduler. */
@Singleton
@Component(modules = {ClockModule.class, ConfigModule.class, PersistenceModule.class, ProbeModule.class,
    MonitoringModule.class, HistoryModule.class, RecoveryModule.class, ResilienceModule.class})
interface WatchComponent {
    HealthConfig config();

    SqliteDatabase database();

    McpProbe probe();

    MonitorScheduler scheduler();

    ObserveMonitoringUseCase monitor();

    RecoveryScheduler recoveryScheduler();

    CallToolUseCase client();

    CoordinateFailoverUseCase coordinator();

    RunMonitoringRoundUseCase rounds();

    FailoverConfigStorePort failoverConfigs();

    @Component.Factory
    interface Factory {
        WatchComponent create(@BindsInstance RunSettings settings, @BindsInstance MonitoringSettings monitoring,
                              @BindsInstance MonitorEventPort events);
    }
}
