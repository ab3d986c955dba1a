package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.CoordinateFailoverUseCase;
import dev.mcphealth.application.port.in.ListToolsUseCase;
import dev.mcphealth.application.port.in.RecoverServersUseCase;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.application.port.out.FailoverConfigStorePort;
import dev.mcphealth.application.port.out.MonitorEventPort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.SessionPort;
import dev.mcphealth.application.port.out.ToolCallPort;
import dev.mcphealth.application.port.out.ToolSemanticsPort;
import dev.mcphealth.application.routing.CoordinateFailoverService;
import dev.mcphealth.application.monitoring.Monitoring;
import dev.mcphealth.application.monitoring.MonitoringSettings;
import dev.mcphealth.application.recovery.RecoveryService;
import dev.mcphealth.application.routing.ResilienceSettings;
import dev.mcphealth.application.routing.ResilientCallService;
import dev.mcphealth.domain.routing.Balancing;
import dev.mcphealth.infrastructure.config.HealthConfig;
import dev.mcphealth.infrastructure.scheduler.RecoveryScheduler;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/** Automatic recovery, its real-time loop, the resilient client and the failover coordinator. */
@Module
public final class RecoveryModule {
    private RecoveryModule() {
    }

    @Provides
    @Singleton
    static RecoveryService recovery(ServerCatalogPort catalog, SessionPort sessions, BreakerPort breakers,
                                    MonitorEventPort events, Clock clock, MonitoringSettings settings) {
        return new RecoveryService(catalog, sessions, breakers, events, clock,
                () -> ThreadLocalRandom.current().nextDouble(), settings.intervalOverride());
    }

    @Provides
    static RecoverServersUseCase recoverServers(RecoveryService r) {
        return r;
    }

    @Provides
    @Singleton
    static RecoveryScheduler recoveryScheduler(RecoveryService r, Clock clock) {
        return new RecoveryScheduler(r, clock);
    }

    /** The built-in settings, with each server type balanced as the configuration says (HealthConfig.balancing). */
    @Provides
    static ResilienceSettings resilienceSettings(HealthConfig config) {
        return ResilienceSettings.DEFAULTS.withBalancing(config.balancing(), Balancing.DEFAULT)
                .withRetryBudget(config.retryBudget());
    }

    @Provides
    @Singleton
    static ResilientCallService client(ServerCatalogPort catalog, ToolCallPort calls, BreakerPort breakers,
                                       ToolSemanticsPort semantics, Monitoring monitor,
                                       RecoveryService recovery, MonitorEventPort events, Clock clock,
                                       ResilienceSettings settings) {
        ResilientCallService client = new ResilientCallService(catalog, calls, breakers, semantics, monitor.board(),
                monitor.intake(), recovery, events, clock, settings);
        monitor.board().reportLoadsFrom(client.loads());
        return client;
    }

    @Provides
    static CallToolUseCase callTool(ResilientCallService c) {
        return c;
    }

    @Provides
    static ListToolsUseCase listTools(ResilientCallService c) {
        return c;
    }

    @Provides
    @Singleton
    static CoordinateFailoverService coordinator(ServerCatalogPort catalog, Monitoring monitor,
                                                 RecoveryService recovery, BreakerPort breakers,
                                                 SessionPort sessions, ResilientCallService client,
                                                 FailoverConfigStorePort configs, Clock clock,
                                                 ResilienceSettings settings) {
        return new CoordinateFailoverService(catalog, monitor.board(), recovery, breakers, sessions, client, configs, clock,
                settings);
    }

    @Provides
    static CoordinateFailoverUseCase coordinate(CoordinateFailoverService c) {
        return c;
    }
}
