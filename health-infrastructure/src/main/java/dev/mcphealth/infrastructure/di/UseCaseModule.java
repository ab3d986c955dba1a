package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.in.CheckHealthUseCase;
import dev.mcphealth.application.port.out.FailureStorePort;
import dev.mcphealth.application.port.out.MetricStorePort;
import dev.mcphealth.application.port.out.ProbePort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.check.CheckHealthService;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import jakarta.inject.Singleton;

/** The use cases, wired from the ports. */
@Module
public final class UseCaseModule {
    private UseCaseModule() {
    }

    /** Probes wait on I/O, not CPU: one daemon thread per server being checked at once. */
    @Provides
    @Singleton
    static ExecutorService probeExecutor() {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mcp-health-probe");
            t.setDaemon(true);
            return t;
        });
    }

    @Provides
    static CheckHealthUseCase checkHealth(ServerCatalogPort catalog, ProbePort probes,
                                          dagger.Lazy<MetricStorePort> metrics, dagger.Lazy<FailureStorePort> failures,
                                          Clock clock, ExecutorService executor) {
        Executor e = executor;
        return new CheckHealthService(catalog, probes, rows -> metrics.get().append(rows),
                rows -> failures.get().record(rows), clock, e);
    }
}
