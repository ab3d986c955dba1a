package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.in.AssessHealthUseCase;
import dev.mcphealth.application.port.in.FlushMonitoringUseCase;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.PrepareShutdownUseCase;
import dev.mcphealth.application.port.in.ReadRecoveryStatusUseCase;
import dev.mcphealth.application.port.in.RecoverServerUseCase;
import dev.mcphealth.application.port.in.StressTestUseCase;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.check.AssessHealthService;
import dev.mcphealth.application.recovery.PrepareShutdownService;
import dev.mcphealth.application.recovery.ReadRecoveryStatusService;
import dev.mcphealth.application.recovery.RecoverServerService;
import dev.mcphealth.application.recovery.RecoveryService;
import dev.mcphealth.application.check.StressTestService;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operations asked of a running monitor (the MCP tools' health check, stress test and recovery controls), on the
 * monitor's own probe, recovery service and breakers from {@link ProbeModule}, {@link MonitoringModule},
 * {@link RecoveryModule} and {@link ResilienceModule}.
 */
@Module
public final class OperationsModule {
    /** Qualifies the executor the operations run their probes on. */
    public static final String EXECUTOR = "operations";

    private OperationsModule() {
    }

    /**
     * Probes wait on I/O, not CPU. Bounded: room for a full stress burst and an on-demand check of as many servers at
     * once; more waits in the queue. Daemon threads, and idle ones end after a minute, so the pool never keeps the JVM
     * alive nor holds threads while nothing is asked.
     */
    @Provides
    @Singleton
    @Named(EXECUTOR)
    static ExecutorService operationsExecutor() {
        int threads = 2 * StressTestUseCase.MAX_CONCURRENCY;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "mcp-health-ops-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemons);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Provides
    static AssessHealthUseCase assessHealth(ServerCatalogPort catalog, ProbePort probes,
                                            ObserveMonitoringUseCase monitor, RecoveryService recovery,
                                            MetricStorePort metrics, Clock clock,
                                            @Named(EXECUTOR) ExecutorService executor,
                                            dev.mcphealth.application.catalog.StandbyInstances standby) {
        return new AssessHealthService(catalog, probes, monitor, recovery, metrics, clock, executor, standby);
    }

    @Provides
    static StressTestUseCase stressTest(ServerCatalogPort catalog, ProbePort probes, RecoveryService recovery,
                                        Clock clock, @Named(EXECUTOR) ExecutorService executor,
                                        dev.mcphealth.application.catalog.StandbyInstances standby) {
        return new StressTestService(catalog, probes, recovery, clock, executor, standby);
    }

    @Provides
    static ReadRecoveryStatusUseCase recoveryStatus(ServerCatalogPort catalog, ObserveMonitoringUseCase monitor,
                                                    RecoveryService recovery, BreakerPort breakers) {
        return new ReadRecoveryStatusService(catalog, monitor, recovery, breakers);
    }

    @Provides
    static RecoverServerUseCase recoverServer(ServerCatalogPort catalog, RecoveryService recovery, Clock clock,
                                              dev.mcphealth.application.catalog.StandbyInstances standby) {
        return new RecoverServerService(catalog, recovery, clock, standby);
    }

    @Provides
    static PrepareShutdownUseCase prepareShutdown(FlushMonitoringUseCase monitor, RecoveryService recovery) {
        return new PrepareShutdownService(monitor, recovery);
    }
}
