package dev.mcphealth.infrastructure.di;

import dagger.Module;
import dagger.Provides;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.infrastructure.metrics.ProbeMetrics;
import dev.mcphealth.infrastructure.metrics.PrometheusMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.inject.Singleton;

/** The monitor's Prometheus metrics (docs/metrics.md): one registry per monitor, its probes measured. */
@Module
public final class MetricsModule {
    private MetricsModule() {
    }

    @Provides
    @Singleton
    static PrometheusRegistry registry() {
        return new PrometheusRegistry();
    }

    @Provides
    @Singleton
    static ProbeMetrics probeMetrics(PrometheusRegistry registry) {
        return new ProbeMetrics(registry);
    }

    @Provides
    @Singleton
    static dev.mcphealth.infrastructure.metrics.RecoveryMetrics recoveryMetrics(PrometheusRegistry registry,
                                                                                dev.mcphealth.infrastructure.config.HealthConfig config) {
        return new dev.mcphealth.infrastructure.metrics.RecoveryMetrics(registry, config.servers());
    }

    @Provides
    @Singleton
    static dev.mcphealth.infrastructure.metrics.ToolCallMetrics toolCallMetrics(PrometheusRegistry registry) {
        return new dev.mcphealth.infrastructure.metrics.ToolCallMetrics(registry);
    }

    @Provides
    @Singleton
    static PrometheusMetrics metrics(PrometheusRegistry registry, ObserveMonitoringUseCase monitor) {
        String version = MetricsModule.class.getPackage().getImplementationVersion();
        return new PrometheusMetrics(registry, monitor, version == null ? "dev" : version);
    }
}
