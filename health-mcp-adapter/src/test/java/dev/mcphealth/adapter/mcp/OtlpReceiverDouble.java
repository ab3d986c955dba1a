package dev.mcphealth.adapter.mcp;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A test double of an OpenTelemetry collector's OTLP/HTTP receiver (nothing real that receives OTLP is installable
 * here: Debian has no collector, and its Prometheus 2.42 predates its OTLP receiver): on 127.0.0.1, {@code POST
 * /v1/metrics} and {@code /v1/traces} with protobuf bodies (gzip or not), decoded with the protocol's own generated
 * classes ({@code io.opentelemetry.proto}), kept for the test, answered as a collector does (200, an empty export
 * response). Anything else is a 404; a body that does not decode is a 400, as a collector answers.
 */
final class OtlpReceiverDouble implements AutoCloseable {
    final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
    final List<ExportTraceServiceRequest> traces = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    OtlpReceiverDouble() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (!"POST".equals(exchange.getRequestMethod())
                        || !(path.equals("/v1/metrics") || path.equals("/v1/traces"))) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body;
                try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders()
                        .getFirst("Content-Encoding")) ? new GZIPInputStream(exchange.getRequestBody())
                        : exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                byte[] answer;
                try {
                    if (path.equals("/v1/metrics")) {
                        metrics.add(ExportMetricsServiceRequest.parseFrom(body));
                        answer = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
                    } else {
                        traces.add(ExportTraceServiceRequest.parseFrom(body));
                        answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                    }
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    exchange.sendResponseHeaders(400, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                if (answer.length > 0) {
                    exchange.getResponseBody().write(answer);
                }
            }
        });
        server.start();
    }

    /** Where an exporter sends: {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
