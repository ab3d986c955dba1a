package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenTelemetry export, turned on by the standard variables: {@code mcp-health-server --gateway} over HTTP, watching
 * real server-everything and server-memory, three calls of {@code demo__echo} through it, its OTLP/HTTP export read by
 * an OTLP receiver (a double: {@link OtlpReceiverDouble}): the same metrics {@code /metrics} serves (each server's
 * {@code mcphealth_up}, the probe histogram, the tool call counter), spans of the probes ({@code ping}, the MCP
 * semantic conventions' attributes) and of the tool calls ({@code tools/call echo}), under the service name given.
 */
class OpenTelemetryIT {
    @TempDir
    Path dir;

    private static String attribute(List<KeyValue> attributes, String key) {
        return attributes.stream().filter(a -> a.getKey().equals(key)).findFirst()
                .map(a -> a.getValue().getStringValue()).orElse(null);
    }

    private static <T> T await(String what, Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            TimeUnit.MILLISECONDS.sleep(100); // the exporter's own interval
        }
        throw new AssertionError("not exported within 30 s: " + what);
    }

    @Test
    void theMetricsAndTheSpansOfProbesAndCallsReachAnOtlpReceiver() throws Exception {
        try (OtlpReceiverDouble receiver = new OtlpReceiverDouble();
             ServerProcess server = ServerProcess.start(List.of("--config", ServerProcess.config(dir).toString(),
                     "--db", dir.resolve("health.db").toString(), "--interval", "1", "--http", "0", "--gateway"),
                     Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(), "OTEL_SERVICE_NAME", "mcp-health-it",
                             "OTEL_METRIC_EXPORT_INTERVAL", "500", "OTEL_BSP_SCHEDULE_DELAY", "100"))) {
            // three calls of everything's echo through the gateway
            ServerProcess.echoThroughGateway(server.url(), java.util.Optional.empty(), 3, "otel");

            // the metrics: each server up, the probe histogram, the three calls; the service's name on them
            Set<String> up = await("mcphealth_up for both servers", () -> {
                Set<String> servers = metrics(receiver, "mcphealth_up").stream()
                        .flatMap(m -> m.getGauge().getDataPointsList().stream())
                        .filter(p -> p.getAsDouble() == 1.0).map(p -> attribute(p.getAttributesList(), "server"))
                        .collect(Collectors.toSet());
                return servers.containsAll(Set.of("everything", "memory")) ? Optional.of(servers) : Optional.empty();
            });
            assertEquals(Set.of("everything", "memory"), up);
            var histogram = await("the probe histogram", () -> metrics(receiver, "mcphealth_probe_duration_seconds")
                    .stream().flatMap(m -> m.getHistogram().getDataPointsList().stream())
                    .filter(p -> "everything".equals(attribute(p.getAttributesList(), "server"))
                            && p.getCount() > 0).findFirst());
            assertEquals(List.of(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0),
                    histogram.getExplicitBoundsList(), "the MCP semantic conventions' buckets");
            assertEquals(histogram.getCount(), histogram.getBucketCountsList().stream().mapToLong(Long::longValue)
                    .sum(), "each bucket's own count");
            double calls = await("the three echo calls", () -> metrics(receiver, "mcphealth_tool_calls").stream()
                    .flatMap(m -> m.getSum().getDataPointsList().stream())
                    .filter(p -> "echo".equals(attribute(p.getAttributesList(), "tool")))
                    .map(p -> p.getAsDouble()).filter(v -> v >= 3).findFirst());
            assertEquals(3.0, calls);
            List<KeyValue> resource = receiver.metrics.get(0).getResourceMetrics(0).getResource().getAttributesList();
            assertEquals("mcp-health-it", attribute(resource, "service.name"), "the name given");
            assertTrue(attribute(resource, "service.version") != null, "our version beside it: " + resource);

            // the spans: a probe of memory over stdio, and each echo call
            Span ping = await("a ping span of memory", () -> spans(receiver).stream()
                    .filter(s -> s.getName().equals("ping") && "memory".equals(attribute(s.getAttributesList(),
                            "mcphealth.server"))).findFirst());
            assertEquals("ping", attribute(ping.getAttributesList(), "mcp.method.name"));
            assertEquals("pipe", attribute(ping.getAttributesList(), "network.transport"));
            assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, ping.getKind());
            Span healthy = await("a ping span of everything with its protocol version", () -> spans(receiver)
                    .stream().filter(s -> s.getName().equals("ping") && "everything".equals(attribute(
                            s.getAttributesList(), "mcphealth.server")) && attribute(s.getAttributesList(),
                            "mcp.protocol.version") != null).findFirst());
            assertTrue(healthy.getAttributesList().stream().noneMatch(a -> a.getKey().equals("error.type")),
                    "an answered probe carries no error: " + healthy);
            List<Span> echoes = await("three echo call spans", () -> {
                List<Span> found = spans(receiver).stream().filter(s -> s.getName().equals("tools/call echo"))
                        .toList();
                return found.size() >= 3 ? Optional.of(found) : Optional.empty();
            });
            for (Span s : echoes) {
                assertEquals("tools/call", attribute(s.getAttributesList(), "mcp.method.name"));
                assertEquals("echo", attribute(s.getAttributesList(), "gen_ai.tool.name"));
                assertEquals("execute_tool", attribute(s.getAttributesList(), "gen_ai.operation.name"));
                assertEquals("demo", attribute(s.getAttributesList(), "mcphealth.server_type"));
                assertTrue(s.getEndTimeUnixNano() > s.getStartTimeUnixNano());
            }
        }
    }

    private static List<Metric> metrics(OtlpReceiverDouble receiver, String name) {
        return receiver.metrics.stream().flatMap(r -> r.getResourceMetricsList().stream())
                .flatMap(r -> r.getScopeMetricsList().stream()).flatMap(s -> s.getMetricsList().stream())
                .filter(m -> m.getName().equals(name)).toList();
    }

    private static List<Span> spans(OtlpReceiverDouble receiver) {
        return receiver.traces.stream().flatMap(r -> r.getResourceSpansList().stream())
                .flatMap(r -> r.getScopeSpansList().stream()).flatMap(s -> s.getSpansList().stream()).toList();
    }
}
