package dev.mcphealth.infrastructure.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Export is off unless OTEL_* asks for it; the registry's metrics as OpenTelemetry reads them. */
class TelemetryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);
    private final PrometheusRegistry registry = new PrometheusRegistry();

    @Test
    void offByDefaultAndWhenDisabled() {
        assertTrue(Telemetry.fromEnvironment(Map.of("PATH", "/bin"), registry::scrape, "1", CLOCK).isEmpty());
        assertTrue(Telemetry.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "x"), registry::scrape, "1", CLOCK).isEmpty(),
                "a service name alone exports nothing");
        assertTrue(Telemetry.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318",
                "OTEL_SDK_DISABLED", "true"), registry::scrape, "1", CLOCK).isEmpty());
        assertTrue(Telemetry.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", "none", "OTEL_METRICS_EXPORTER", "none"),
                registry::scrape, "1", CLOCK).isEmpty(), "none asks for nothing");
    }

    @Test
    void anEndpointTurnsItOnAndAProtocolNotBuiltInIsSaid() {
        // built (the SDK takes the settings) and closed; what it sends is OpenTelemetryIT's
        Telemetry.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9"), registry::scrape, "1",
                CLOCK).orElseThrow().close();
        IllegalArgumentException grpc = assertThrows(IllegalArgumentException.class, () -> Telemetry.fromEnvironment(
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
                registry::scrape, "1", CLOCK));
        assertEquals("OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not built in: use http/protobuf (the OTLP/HTTP port, 4318 by"
                + " default)", grpc.getMessage());
        IllegalArgumentException traces = assertThrows(IllegalArgumentException.class, () -> Telemetry
                .fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317",
                        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc"), registry::scrape, "1", CLOCK));
        assertTrue(traces.getMessage().startsWith("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc is not built in"),
                traces.getMessage());
    }

    @Test
    void theRegistrysCountersGaugesHistogramsAndInfoAreReadAsOpenTelemetryMetrics() {
        Counter.builder().name("demo_calls_total").help("calls").labelNames("server").register(registry)
                .labelValues("files").inc(3);
        Gauge.builder().name("demo_up").help("up").labelNames("server").register(registry).labelValues("files").set(1);
        Histogram h = Histogram.builder().name("demo_seconds").help("time").labelNames("server")
                .classicUpperBounds(0.01, 0.1, 1).classicOnly().register(registry);
        h.labelValues("files").observe(0.005);
        h.labelValues("files").observe(0.05);
        h.labelValues("files").observe(0.06);
        h.labelValues("files").observe(5);
        Info.builder().name("demo_build_info").help("build").labelNames("version").register(registry)
                .addLabelValues("1.2.3");
        Map<String, MetricData> byName = new java.util.HashMap<>();
        new PrometheusBridge(registry::scrape, CLOCK).produce(Resource.empty()).forEach(m -> byName.put(m.getName(), m));

        MetricData calls = byName.get("demo_calls");
        assertEquals(MetricDataType.DOUBLE_SUM, calls.getType(), "a counter is a sum, named without _total");
        assertTrue(calls.getDoubleSumData().isMonotonic());
        assertEquals(3.0, calls.getDoubleSumData().getPoints().iterator().next().getValue());
        assertEquals("files", calls.getDoubleSumData().getPoints().iterator().next().getAttributes()
                .get(AttributeKey.stringKey("server")));
        assertEquals(1.0, byName.get("demo_up").getDoubleGaugeData().getPoints().iterator().next().getValue());
        HistogramPointData p = byName.get("demo_seconds").getHistogramData().getPoints().iterator().next();
        assertEquals(List.of(0.01, 0.1, 1.0), p.getBoundaries());
        assertEquals(List.of(1L, 2L, 0L, 1L), p.getCounts(), "each bucket's own count, +Inf last");
        assertEquals(4, p.getCount());
        assertEquals(5.115, p.getSum(), 1e-9);
        assertEquals("1.2.3", byName.get("demo_build_info").getDoubleGaugeData().getPoints().iterator().next()
                .getAttributes().get(AttributeKey.stringKey("version")));
    }
}
