package dev.mcphealth.infrastructure.telemetry;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry export, off unless the standard {@code OTEL_*} variables ask for it (docs/metrics.md): the monitor's
 * metrics (the same registry {@code /metrics} serves, bridged by {@link PrometheusBridge}) and spans of its probes and
 * of the calls through its pools ({@link Tracing}), sent over OTLP by the OpenTelemetry SDK, configured by its own
 * autoconfiguration from the environment ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_SERVICE_NAME},
 * {@code OTEL_METRIC_EXPORT_INTERVAL}, {@code OTEL_TRACES_SAMPLER}, ...). Logs are not exported.
 */
public final class Telemetry implements AutoCloseable {
    /** The variables that turn export on, any of them set (and {@code OTEL_SDK_DISABLED} not {@code true}). */
    static final Set<String> SWITCHES = Set.of("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER");
    static final String SCOPE = "dev.mcphealth";

    private final OpenTelemetrySdk sdk;
    private final Tracing tracing;

    private Telemetry(OpenTelemetrySdk sdk, Tracing tracing) {
        this.sdk = sdk;
        this.tracing = tracing;
    }

    /**
     * The export {@code env} asks for, or empty when it asks for none (the default).
     *
     * @throws IllegalArgumentException naming the setting, when the variables cannot be used (a protocol not built
     *     in, an endpoint that is not a URL, ...)
     */
    public static Optional<Telemetry> fromEnvironment(Map<String, String> env,
                                                      java.util.function.Supplier<MetricSnapshots> metrics,
                                                      String version, Clock clock) {
        Objects.requireNonNull(env, "env");
        if ("true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "").trim())
                || SWITCHES.stream().noneMatch(k -> !env.getOrDefault(k, "").isBlank())) {
            return Optional.empty();
        }
        for (String key : List.of("OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
                "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL")) {
            String protocol = env.getOrDefault(key, "http/protobuf").trim();
            if (!protocol.equals("http/protobuf")) {
                throw new IllegalArgumentException(key + "=" + protocol + " is not built in: use http/protobuf (the"
                        + " OTLP/HTTP port, 4318 by default)");
            }
        }
        // the lowest layer: our defaults, then the variables given (the process's own, or a test's); the SDK lays
        // the process's environment and system properties over them
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("otel.exporter.otlp.protocol", "http/protobuf");
        properties.put("otel.logs.exporter", "none");
        env.forEach((k, v) -> {
            if (k.startsWith("OTEL_")) {
                properties.put(k.toLowerCase(java.util.Locale.ROOT).replace('_', '.'), v);
            }
        });
        boolean named = !env.getOrDefault("OTEL_SERVICE_NAME", "").isBlank()
                || env.getOrDefault("OTEL_RESOURCE_ATTRIBUTES", "").contains("service.name=");
        OpenTelemetrySdk sdk;
        try {
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> properties)
                    // our name (unless one is given) and version, under whatever resource the settings make
                    .addResourceCustomizer((resource, config) -> {
                        io.opentelemetry.api.common.AttributesBuilder ours = Attributes.builder();
                        if (!named) {
                            ours.put("service.name", "mcp-health"); // over the SDK's unknown_service default
                        }
                        if (resource.getAttribute(AttributeKey.stringKey("service.version")) == null) {
                            ours.put("service.version", version);
                        }
                        return resource.merge(Resource.create(ours.build()));
                    })
                    .addMeterProviderCustomizer((meters, config) -> meters.registerMetricProducer(
                            new PrometheusBridge(metrics, clock)))
                    .disableShutdownHook()
                    .build().getOpenTelemetrySdk();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the OTEL_* settings cannot be used: " + e.getMessage(), e);
        }
        Tracer tracer = sdk.getTracer(SCOPE, version);
        return Optional.of(new Telemetry(sdk, new Tracing(tracer)));
    }

    /** Spans of the probes and of the calls through the pools. */
    public Tracing tracing() {
        return tracing;
    }

    /** Sends what is still buffered (at most 5 s) and stops exporting. */
    @Override
    public void close() {
        sdk.shutdown().join(5, TimeUnit.SECONDS);
    }
}
