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
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry export, off unless the standard {@code OTEL_*} variables ask for it (docs/metrics.md): the monitor's
 * metrics (the same registry {@code /metrics} serves, bridged by {@link PrometheusBridge}) and spans of its probes and
 * of the calls through its pools ({@link Tracing}), sent over OTLP by the OpenTelemetry SDK, configured by its own
 * autoconfiguration from the environment ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_SERVICE_NAME},
 * {@code OTEL_METRIC_EXPORT_INTERVAL}, {@code OTEL_TRACES_SAMPLER}, ...). Logs are not exported.
 */
public final class Telemetry implements AutoCloseable {
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
        if ("true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "").trim())) {
            return Optional.empty();
        }
        boolean both = given(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
        boolean traces = both || given(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") || given(env, "OTEL_TRACES_EXPORTER");
        boolean metered = both || given(env, "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")
                || given(env, "OTEL_METRICS_EXPORTER");
        if (!traces && !metered) {
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
        // the lowest layer: our defaults (a signal nobody asked for is not exported), then the variables given (the
        // process's own, or a test's); the SDK lays the process's environment and system properties over them
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("otel.exporter.otlp.protocol", "http/protobuf");
        properties.put("otel.logs.exporter", "none");
        properties.put("otel.traces.exporter", traces ? "otlp" : "none");
        properties.put("otel.metrics.exporter", metered ? "otlp" : "none");
        env.forEach((k, v) -> {
            if (k.startsWith("OTEL_")) {
                properties.put(k.toLowerCase(java.util.Locale.ROOT).replace('_', '.'), v);
            }
        });
        OpenTelemetrySdk sdk;
        try {
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> properties)
                    // our name unless one was given (the SDK's default is unknown_service), our version unless given
                    .addResourceCustomizer((resource, config) -> {
                        io.opentelemetry.api.common.AttributesBuilder ours = Attributes.builder();
                        String name = resource.getAttribute(AttributeKey.stringKey("service.name"));
                        if (name == null || name.startsWith("unknown_service")) {
                            ours.put("service.name", "mcp-health");
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
            // the SDK's reason may quote a value (a header's secret): only its words before the first colon
            String reason = String.valueOf(e.getMessage());
            throw new IllegalArgumentException("the OTEL_* settings cannot be used (" + (reason.contains(":")
                    ? reason.substring(0, reason.indexOf(':')) : reason) + "); docs/metrics.md#opentelemetry lists"
                    + " the ones this build takes", e);
        }
        Tracer tracer = sdk.getTracer(SCOPE, version);
        return Optional.of(new Telemetry(sdk, new Tracing(tracer)));
    }

    /** Whether {@code key} is set to something other than nothing or {@code none}. */
    private static boolean given(Map<String, String> env, String key) {
        String v = env.getOrDefault(key, "").trim();
        return !v.isEmpty() && !v.equalsIgnoreCase("none");
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
