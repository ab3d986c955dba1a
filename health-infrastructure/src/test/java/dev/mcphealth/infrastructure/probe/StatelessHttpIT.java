package dev.mcphealth.infrastructure.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.testkit.TestServers;
import dev.mcphealth.domain.model.CallOutcome;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.ProbeMethod;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.TransportKind;
import dev.mcphealth.infrastructure.config.Endpoint;
import dev.mcphealth.testkit.EverythingServer;
import dev.mcphealth.testkit.RepoPaths;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The 2026-07-28 revision's stateless requests, and the probe that sends them, against the official Python SDK's
 * server (2.3.0), which serves both eras, and against server-everything, which only knows the handshake.
 */
class StatelessHttpIT {
    private final StatelessHttp http = new StatelessHttp(McpJsonDefaults.getMapper(), "mcp-health", "test");

    @org.junit.jupiter.api.AfterEach
    void close() {
        http.close();
    }

    private static Process python(int port, boolean json) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(RepoPaths.root().resolve(".test-python/bin/python")
                .toString(), RepoPaths.root().resolve(
                "health-infrastructure/src/test/resources/servers/python_dual_era_server.py").toString(), "http",
                Integer.toString(port)));
        if (json) {
            cmd.add("json");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return p;
            } catch (java.io.IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(100); // the process's own start, which no test clock controls
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("the Python server did not listen on " + port);
    }

    @ParameterizedTest(name = "json bodies: {0}")
    @ValueSource(booleans = {false, true})
    void thePythonSdkServerAnswersDiscoverAndStatelessRequests(boolean json) throws Exception {
        int port = EverythingServer.freeLoopbackPort();
        Process p = python(port, json);
        try {
            URI url = URI.create("http://127.0.0.1:" + port + "/mcp");
            StatelessHttp.Answer discover = http.request(url, Map.of(), "server/discover", Map.of(),
                    Duration.ofSeconds(10));
            assertEquals(200, discover.status(), String.valueOf(discover));
            Map<String, Object> d = discover.result().orElseThrow();
            assertTrue(((List<?>) d.get("supportedVersions")).contains(StatelessHttp.VERSION), String.valueOf(d));
            assertEquals("python-dual-era", ((Map<?, ?>) ((Map<?, ?>) d.get("_meta"))
                    .get("io.modelcontextprotocol/serverInfo")).get("name"));

            Map<String, Object> tools = http.request(url, Map.of(), "tools/list", Map.of(), Duration.ofSeconds(10))
                    .result().orElseThrow();
            assertEquals(60000, ((Number) tools.get("ttlMs")).intValue(), String.valueOf(tools));
            Map<String, Object> call = http.request(url, Map.of(), "tools/call", Map.of("name", "add",
                    "arguments", Map.of("a", 2, "b", 3)), Duration.ofSeconds(10)).result().orElseThrow();
            assertTrue(String.valueOf(call.get("content")).contains("5"), String.valueOf(call));
        } finally {
            p.destroyForcibly();
        }
    }

    /** A probe of one server at {@code endpoint}. */
    private static McpProbe probeOf(MonitoredServer server, Endpoint endpoint) {
        return new McpProbe(id -> id.equals(server.id()) ? Optional.of(endpoint) : Optional.empty(),
                Clock.systemUTC(), System::nanoTime, McpJsonDefaults.getMapper(), "test");
    }

    private static MonitoredServer server(String name, TransportKind transport, Duration connectTimeout) {
        return TestServers.aServer().named(name).over(transport).withTimeout(Duration.ofSeconds(5))
                .withConnectTimeout(connectTimeout).build();
    }

    private static ProbeOutcome.Answered answered(ProbeReport r) {
        return assertInstanceOf(ProbeOutcome.Answered.class, r.outcome(), () -> String.valueOf(r));
    }

    /** The Python server's answer in the revision: discover, no handshake, its one tool. */
    private static void assertInTheRevision(ProbeReport r) {
        ProbeOutcome.Answered a = answered(r);
        assertEquals(ProbeMethod.SERVER_DISCOVER, a.method());
        assertEquals("2026-07-28", r.handshake().orElseThrow().protocolVersion());
        assertEquals("python-dual-era", r.handshake().orElseThrow().serverInfo().name());
        assertEquals(1, a.tools().orElseThrow().count(), String.valueOf(a));
    }

    @Test
    void theProbeSpeaksTheRevisionToAServerThatAnswersDiscover() throws Exception {
        int port = EverythingServer.freeLoopbackPort();
        Process p = python(port, false);
        MonitoredServer server = server("python", TransportKind.STREAMABLE_HTTP, Duration.ofSeconds(10));
        try (McpProbe probe = probeOf(server, new Endpoint.Http(URI.create("http://127.0.0.1:" + port + "/mcp"),
                Map.of(), false))) {
            for (int i = 0; i < 3; i++) {
                ProbeReport r = probe.probe(server, CheckDepth.COMPREHENSIVE);
                assertInTheRevision(r);
                assertEquals(false, r.sessionOpened(), "no session in this revision");
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aHandshakeOnlyServerRefusesDiscover() throws Exception {
        try (EverythingServer everything = EverythingServer.streamableHttp()) {
            StatelessHttp.Answer a = http.request(URI.create(everything.mcpUrl()), Map.of(), "server/discover",
                    Map.of(), Duration.ofSeconds(10));
            assertEquals(400, a.status(), String.valueOf(a));
            assertTrue(a.result().isEmpty(), String.valueOf(a));
        }
    }

    @Test
    void theProbeFallsBackToTheHandshakeForAServerThatRefusesDiscoverAndRemembersIt() throws Exception {
        MonitoredServer server = server("everything", TransportKind.STREAMABLE_HTTP, Duration.ofSeconds(10));
        try (EverythingServer everything = EverythingServer.streamableHttp();
             McpProbe probe = probeOf(server, new Endpoint.Http(URI.create(everything.mcpUrl()), Map.of(), false))) {
            for (int i = 0; i < 2; i++) {
                ProbeReport r = probe.probe(server, CheckDepth.BASIC);
                assertEquals(ProbeMethod.PING, answered(r).method());
                assertEquals("2025-11-25", r.handshake().orElseThrow().protocolVersion());
                assertEquals(i == 0, r.sessionOpened(), "one session, kept");
            }
        }
    }

    @Test
    void theProbeSpeaksTheRevisionToAStdioServerThatAnswersDiscoverAndCallsItsToolsInIt() throws Exception {
        MonitoredServer server = server("python-stdio", TransportKind.STDIO, Duration.ofSeconds(20));
        try (McpProbe probe = probeOf(server, new Endpoint.Stdio(
                RepoPaths.root().resolve(".test-python/bin/python").toString(), List.of(RepoPaths.root().resolve(
                "health-infrastructure/src/test/resources/servers/python_dual_era_server.py").toString(), "stdio"),
                Map.of(), Optional.empty()))) {
            for (int i = 0; i < 2; i++) {
                ProbeReport r = probe.probe(server, CheckDepth.COMPREHENSIVE);
                assertInTheRevision(r);
                assertEquals(i == 0, r.sessionOpened(), "one process, kept");
            }
            CallOutcome call = probe.callTool(server, "add", Map.of("a", 2, "b", 3), Duration.ofSeconds(10), false);
            assertTrue(String.valueOf(call).contains("5"), String.valueOf(call));
        }
    }

    /** The discover request to an {@code https://} URL goes over TLS (the cleartext client has none: NoTls). */
    @org.junit.jupiter.api.Test
    void anHttpsUrlIsAskedOverTls() throws Exception {
        try (FirstBytesListener listener = new FirstBytesListener()) {
            URI url = URI.create("https://127.0.0.1:" + listener.port() + "/mcp");
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> http.request(url,
                    Map.of(), "server/discover", Map.of(), Duration.ofSeconds(10)));
            assertTrue(listener.allTls(), "a TLS handshake: " + listener.firstBytes() + " " + e);
        }
    }
}
