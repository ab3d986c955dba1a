package dev.mcphealth.infrastructure.probe;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeMethod;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.TransportKind;
import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.testkit.EverythingServer;
import dev.mcphealth.testkit.HostileHttpDouble;
import dev.mcphealth.testkit.StatusCodeServerDouble;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** The probe over streamable HTTP and SSE: the real server-everything on loopback, and a status-code double. */
class HttpProbeIT {
    private final Map<ServerId, Endpoint> endpoints = new HashMap<>();
    private final McpProbe probe = new McpProbe(id -> Optional.ofNullable(endpoints.get(id)), Clock.systemUTC(),
            System::nanoTime, McpJsonDefaults.getMapper(), "test");

    @AfterEach
    void closeSessions() {
        probe.close();
    }

    private MonitoredServer remote(String url, Map<String, String> headers, boolean sse) {
        MonitoredServer server = aServer().named("remote").over(sse ? TransportKind.SSE : TransportKind.STREAMABLE_HTTP)
                .withTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(5)).build();
        endpoints.put(server.id(), new Endpoint.Http(URI.create(url), headers, sse));
        return server;
    }

    private static ProbeOutcome.Answered answered(ProbeReport report) {
        return assertInstanceOf(ProbeOutcome.Answered.class, report.outcome(), () -> "expected an answer: " + report);
    }

    private static ProbeOutcome.Failed failed(ProbeReport report) {
        return assertInstanceOf(ProbeOutcome.Failed.class, report.outcome(), () -> "expected a failure: " + report);
    }

    @Test
    void healthyOverStreamableHttp() {
        try (EverythingServer everything = EverythingServer.streamableHttp()) {
            MonitoredServer server = remote(everything.mcpUrl(), Map.of(), false);

            ProbeReport report = probe.probe(server, CheckDepth.COMPREHENSIVE);

            ProbeOutcome.Answered a = answered(report);
            assertEquals(ProbeMethod.PING, a.method());
            assertEquals("2025-11-25", report.handshake().orElseThrow().protocolVersion());
            assertEquals(13, a.tools().orElseThrow().count());
            // a second probe reuses the session
            assertEquals(ProbeMethod.PING, answered(probe.probe(server, CheckDepth.BASIC)).method());
        }
    }

    @Test
    void healthyOverSse() {
        try (EverythingServer everything = EverythingServer.sse()) {
            MonitoredServer server = remote(everything.sseUrl(), Map.of(), true);

            ProbeReport report = probe.probe(server, CheckDepth.BASIC);

            answered(report);
            assertEquals("2024-11-05", report.handshake().orElseThrow().protocolVersion());
        }
    }

    @Test
    void httpServerKilledMidSessionIsAConnectionErrorAtOnce() {
        MonitoredServer server;
        try (EverythingServer everything = EverythingServer.streamableHttp()) {
            server = remote(everything.mcpUrl(), Map.of(), false);
            answered(probe.probe(server, CheckDepth.BASIC));
            everything.kill();
        }

        ProbeOutcome.Failed f = failed(probe.probe(server, CheckDepth.BASIC));

        assertEquals(FailureType.CONNECTION_ERROR, f.type(), f.message());
        assertTrue(f.elapsed().compareTo(Duration.ofMillis(1250)) < 0, () -> "took " + f.elapsed() + " of 5 s allowed");
    }

    @Test
    void nothingListeningIsAConnectionError() {
        MonitoredServer server = remote("http://127.0.0.1:" + EverythingServer.freeLoopbackPort() + "/mcp", Map.of(),
                false);

        ProbeOutcome.Failed f = failed(probe.probe(server, CheckDepth.BASIC));

        assertEquals(FailureType.CONNECTION_ERROR, f.type());
        assertTrue(f.message().contains("connection refused"), f.message());
    }

    @ParameterizedTest(name = "HTTP {0} is {1}")
    @CsvSource({"401, AUTHENTICATION", "403, AUTHENTICATION", "429, RATE_LIMIT", "500, SERVER_ERROR",
        "503, SERVER_ERROR"})
    void httpStatusesAreClassified(int status, FailureType expected) {
        String token = "Bearer tok-" + status + "-very-secret";
        try (StatusCodeServerDouble http = StatusCodeServerDouble.answering(status)) {
            MonitoredServer server = remote(http.url(), Map.of("Authorization", token), false);

            ProbeOutcome.Failed f = failed(probe.probe(server, CheckDepth.BASIC));

            assertEquals(expected, f.type(), f.message());
            assertTrue(f.message().contains(Integer.toString(status)), f.message());
            assertEquals(token, http.lastAuthorization(), "configured headers are sent");
            assertFalse(f.message().contains("very-secret"), f.message());
        }
    }

    @Test
    void aServerEchoingOurCredentialInAnAnswerThatIsNotJsonRpcLeaksNothing() {
        String token = "Bearer tok-" + System.nanoTime() + "-very-secret";
        try (StatusCodeServerDouble http = StatusCodeServerDouble.answering(200)) {
            MonitoredServer server = remote(http.url(), Map.of("Authorization", token), false);

            ProbeOutcome.Failed f = failed(probe.probe(server, CheckDepth.BASIC));

            assertEquals(FailureType.SERVER_ERROR, f.type(), f.message());
            assertFalse(f.message().contains("very-secret"), f.message());
        }
    }

    @ParameterizedTest(name = "over SSE: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aRedirectIsNotFollowedNotEvenOnThisMachineAndSaysSo(boolean sse) {
        // a redirect may lead anywhere, and the configured headers (credentials) would go with it: never followed,
        // so that the user points the URL where it should; here it leads to a page on this machine that counts visits
        try (HostileHttpDouble web = HostileHttpDouble.start()) {
            String target = web.url("/html");
            MonitoredServer server = remote(web.url("/redirect?to=" + java.net.URLEncoder.encode(target,
                    java.nio.charset.StandardCharsets.UTF_8)), Map.of("Authorization", "Bearer redirected-secret"), sse);

            ProbeOutcome.Failed f = failed(probe.probe(server, CheckDepth.BASIC));

            assertEquals(FailureType.SERVER_ERROR, f.type(), f.message());
            assertTrue(f.message().startsWith("HTTP 302 on connect: a redirect, which is not followed"), f.message());
            JsonNode requests = web.stats().get("requests");
            assertTrue(requests.has(sse ? "GET /redirect" : "POST /redirect"), requests.toString());
            assertFalse(requests.has("GET /html") || requests.has("POST /html"), "followed: " + requests);
        }
    }

    @Test
    void sseStatusIsClassified() {
        try (StatusCodeServerDouble http = StatusCodeServerDouble.answering(401)) {
            MonitoredServer server = remote(http.url(), Map.of(), true);

            ProbeOutcome.Failed f = failed(probe.probe(server, CheckDepth.BASIC));

            assertEquals(FailureType.AUTHENTICATION, f.type(), f.message());
            assertTrue(f.elapsed().compareTo(Duration.ofSeconds(5)) < 0, () -> "took " + f.elapsed());
        }
    }

    /**
     * A client for {@code http://} URLs has no TLS set up (NoTls, a cold start's 0.2 s): an {@code https://} server
     * must still be spoken to with TLS, over streamable HTTP and over SSE: the connections' first bytes are a TLS
     * handshake record.
     */
    @ParameterizedTest(name = "over SSE: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void anHttpsServerIsSpokenToWithTls(boolean sse) throws Exception {
        try (FirstBytesListener listener = new FirstBytesListener()) {
            MonitoredServer server = remote("https://127.0.0.1:" + listener.port() + (sse ? "/sse" : "/mcp"),
                    Map.of(), sse);

            ProbeReport report = probe.probe(server, CheckDepth.BASIC);

            failed(report); // no server behind the listener
            assertTrue(listener.allTls(), "TLS handshakes: " + listener.firstBytes() + " " + report);
            assertFalse(String.valueOf(report).contains("no TLS"), String.valueOf(report));
        }
    }

    /**
     * A server that answers initialize with {@code "result": null}: no real server does (a test double, here). The
     * SDK's reader refuses it, in words that name its classes (so the probe said "an unexpected failure"): the probe
     * says what was wrong, at once.
     */
    @Test
    void anInitializeAnsweredWithNoResultFailsAtOnceSayingSo() throws Exception {
        com.sun.net.httpserver.HttpServer nullResultDouble = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        nullResultDouble.createContext("/mcp", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*(\"[^\"]*\"|\\d+)")
                    .matcher(body);
            if (!body.contains("\"initialize\"") || !id.find()) {
                exchange.sendResponseHeaders(405, -1);
                exchange.close();
                return;
            }
            byte[] answer = ("{\"jsonrpc\":\"2.0\",\"id\":" + id.group(1) + ",\"result\":null}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        nullResultDouble.start();
        try {
            MonitoredServer server = remote("http://127.0.0.1:" + nullResultDouble.getAddress().getPort() + "/mcp",
                    Map.of(), false);

            ProbeReport report = probe.probe(server, CheckDepth.BASIC);

            ProbeOutcome.Failed f = failed(report);
            assertEquals("an answer of the server during connect could not be read as an MCP message (a response has"
                    + " a result or an error, one of them)", f.message());
            assertTrue(f.elapsed().compareTo(Duration.ofSeconds(4)) < 0, "at once, not after the 5 s timeout: " + f);
        } finally {
            nullResultDouble.stop(0);
        }
    }
}
