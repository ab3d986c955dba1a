package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics of a real monitor (two real servers, server-everything and server-memory) scraped by a real Prometheus
 * (Debian's, started here on loopback with the server's bearer token): a PromQL query through Prometheus' HTTP API
 * returns {@code mcphealth_up} and the probe histogram for each server, and the count of the tool calls made through
 * the gateway; {@code promtool check metrics} passes the exposition; {@code /metrics} keeps the rules of {@code /mcp}
 * (the token, the Host).
 */
class MetricsIT {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Debian's prometheus package (scripts/install-test-servers.sh installs it). */
    private static Path tool(String name) {
        Path p = Path.of("/usr/bin", name);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is missing: run scripts/install-test-servers.sh (or apt-get install"
                    + " prometheus) for the metrics tests");
        }
        return p;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status line of the answer to {@code request}, sent as is (a Host no HTTP client lets one set). */
    private static String rawStatus(int port, String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
        }
    }

    /** Asks Prometheus {@code query} until {@code ready} holds of its answer, for at most a minute. */
    private String awaitQuery(String prometheus, String query, java.util.function.Predicate<String> ready)
            throws Exception {
        String url = prometheus + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String body = "";
        while (System.nanoTime() < deadline) {
            try {
                body = get(url).body();
                if (ready.test(body)) {
                    return body;
                }
            } catch (java.io.IOException notYet) {
                body = "not answering yet: " + notYet.getMessage();
            }
            TimeUnit.MILLISECONDS.sleep(500); // a real Prometheus scraping on its own schedule
        }
        throw new AssertionError("Prometheus never answered " + query + " as expected; last: " + body);
    }

    @Test
    void aRealPrometheusScrapesEachServersUpAndProbeHistogramAndPromtoolPassesTheExposition() throws Exception {
        String token = "m3tr1cs-" + Long.toHexString(System.nanoTime());
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, token + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        Path prometheusBinary = tool("prometheus");
        Path promtool = tool("promtool");
        try (ServerProcess server = ServerProcess.start(List.of("--config", ServerProcess.config(dir).toString(),
                "--db", dir.resolve("health.db").toString(), "--interval", "1", "--http", "0", "--token-file",
                tokenFile.toString(), "--gateway"))) {
            URI mcp = URI.create(server.url());
            // three calls of everything's echo through the gateway
            ServerProcess.echoThroughGateway(mcp.toString(), java.util.Optional.of(token), 3, "metrics");
            String metrics = "http://127.0.0.1:" + mcp.getPort() + "/metrics";

            // the guard of /mcp: no token 401, another Host 403, the token 200
            assertEquals(401, get(metrics).statusCode());
            assertEquals("HTTP/1.1 403 Forbidden", rawStatus(mcp.getPort(), "GET /metrics HTTP/1.1\r\nHost: evil.example"
                    + "\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n"));
            HttpResponse<String> scraped = get(metrics, "Authorization", "Bearer " + token);
            assertEquals(200, scraped.statusCode(), scraped.body());
            assertTrue(scraped.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                    scraped.headers().map().toString());
            assertTrue(scraped.body().contains("mcphealth_build_info{version="), scraped.body());
            // a scraper that asks for protobuf first (native histograms, scrape_protocols) gets the text format
            HttpResponse<String> proto = get(metrics, "Authorization", "Bearer " + token, "Accept",
                    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
            assertEquals(200, proto.statusCode(), proto.body());
            assertTrue(proto.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                    proto.headers().map().toString());
            assertEquals("HTTP/1.1 405 Method Not Allowed", rawStatus(mcp.getPort(), "TRACE /metrics HTTP/1.1\r\nHost:"
                    + " 127.0.0.1:" + mcp.getPort() + "\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n"));
            HttpResponse<String> open = get(metrics, "Authorization", "Bearer " + token, "Accept",
                    "application/openmetrics-text;version=1.0.0");
            assertTrue(open.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"),
                    open.headers().map().toString());

            // promtool's lint of the exposition, once both servers have been probed
            Path exposition = dir.resolve("metrics.txt");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String text = scraped.body();
            while (!(text.contains("mcphealth_up{server=\"everything\"") && text.contains("mcphealth_up{server=\"memory\""))
                    && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(250); // the monitor's own probes, on its own schedule
                text = get(metrics, "Authorization", "Bearer " + token).body();
            }
            Files.writeString(exposition, text);
            Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectInput(exposition.toFile()).redirectErrorStream(true).start();
            String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(check.waitFor(30, TimeUnit.SECONDS), "promtool ended");
            assertEquals(0, check.exitValue(), "promtool check metrics: " + said + "\n" + text);

            // a real Prometheus scraping it every second with the bearer token
            int port = freePort();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                    + "scrape_configs:\n  - job_name: mcphealth\n    metrics_path: /metrics\n"
                    + "    authorization:\n      type: Bearer\n      credentials_file: " + tokenFile + "\n"
                    + "    static_configs:\n      - targets: ['127.0.0.1:" + mcp.getPort() + "']\n");
            Process prometheus = new ProcessBuilder(prometheusBinary.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                String base = "http://127.0.0.1:" + port;
                String up = awaitQuery(base, "mcphealth_up", b -> b.contains("\"server\":\"everything\"")
                        && b.contains("\"server\":\"memory\""));
                assertTrue(up.contains("\"status\":\"success\""), up);
                String histogram = awaitQuery(base, "sum by (server) (mcphealth_probe_duration_seconds_count)",
                        b -> b.contains("\"server\":\"everything\"") && b.contains("\"server\":\"memory\""));
                assertTrue(histogram.contains("\"status\":\"success\""), histogram);
                String p99 = awaitQuery(base, "histogram_quantile(0.99, sum by (server, le)"
                        + " (mcphealth_probe_duration_seconds_bucket))", b -> b.contains("\"server\":\"everything\"")
                        && b.contains("\"server\":\"memory\""));
                System.out.println("[metrics] up: " + up + "\n[metrics] probe p99: " + p99);
                String calls = awaitQuery(base, "sum by (server, tool, outcome) (mcphealth_tool_calls_total)",
                        b -> b.contains("\"tool\":\"echo\"") && b.contains("\"outcome\":\"ok\""));
                assertTrue(calls.contains("\"server\":\"everything\"") && calls.contains("\"3\"]"), calls);
                String targets = get(base + "/api/v1/targets").body();
                assertTrue(targets.contains("\"health\":\"up\""), targets);
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }
}
