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

    /**
     * OpenTelemetry export when the {@code OTEL_*} variables ask for it (docs/metrics.md#opentelemetry); none by
     * default.
     *
     * @throws ConfigException naming the setting, when they cannot be used
     */
    @Provides
    @Singleton
    static java.util.Optional<dev.mcphealth.infrastructure.telemetry.Telemetry> telemetry(
            dagger.Lazy<PrometheusMetrics> metrics, java.time.Clock clock, RunSettings run) {
        if (!run.telemetry()) {
            return java.util.Optional.empty(); // an embedding application keeps OTEL_* for its own SDK
        }
        // lazily: the metrics read the monitor, whose probes the telemetry traces
        String version = MetricsModule.class.getPackage().getImplementationVersion();
        try {
            return dev.mcphealth.infrastructure.telemetry.Telemetry.fromEnvironment(System.getenv(),
                    () -> metrics.get().snapshots(), version == null ? "dev" : version, clock);
        } catch (IllegalArgumentException e) {
            throw new dev.mcphealth.infrastructure.config.ConfigException(e.getMessage());
        }
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
    static PrometheusMetrics metrics(PrometheusRegistry registry, ObserveMonitoringUseCase monitor,
                                     dev.mcphealth.application.port.out.WorkSharePort share) {
        String version = MetricsModule.class.getPackage().getImplementationVersion();
        return new PrometheusMetrics(registry, monitor, version == null ? "dev" : version, share::owns);
    }
}
