package dev.mcphealth.infrastructure.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.EverythingServer;
import dev.mcphealth.testkit.RepoPaths;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    @Test
    void theProbeSpeaksTheRevisionToAServerThatAnswersDiscover() throws Exception {
        int port = EverythingServer.freeLoopbackPort();
        Process p = python(port, false);
        java.util.Map<dev.mcphealth.domain.model.ServerId, dev.mcphealth.infrastructure.config.Endpoint> endpoints =
                new java.util.HashMap<>();
        McpProbe probe = new McpProbe(id -> java.util.Optional.ofNullable(endpoints.get(id)),
                java.time.Clock.systemUTC(), System::nanoTime, McpJsonDefaults.getMapper(), "test");
        try {
            dev.mcphealth.domain.model.MonitoredServer server = dev.mcphealth.application.testkit.TestServers
                    .aServer().named("python").over(dev.mcphealth.domain.model.TransportKind.STREAMABLE_HTTP)
                    .withTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(10)).build();
            endpoints.put(server.id(), new dev.mcphealth.infrastructure.config.Endpoint.Http(
                    URI.create("http://127.0.0.1:" + port + "/mcp"), Map.of(), false));
            for (int i = 0; i < 3; i++) {
                dev.mcphealth.domain.model.ProbeReport r = probe.probe(server,
                        dev.mcphealth.domain.model.CheckDepth.COMPREHENSIVE);
                dev.mcphealth.domain.model.ProbeOutcome.Answered a = org.junit.jupiter.api.Assertions.assertInstanceOf(
                        dev.mcphealth.domain.model.ProbeOutcome.Answered.class, r.outcome(), () -> String.valueOf(r));
                assertEquals(dev.mcphealth.domain.model.ProbeMethod.SERVER_DISCOVER, a.method());
                assertEquals("2026-07-28", r.handshake().orElseThrow().protocolVersion());
                assertEquals("python-dual-era", r.handshake().orElseThrow().serverInfo().name());
                assertEquals(1, a.tools().orElseThrow().count(), String.valueOf(a));
                assertEquals(false, r.sessionOpened(), "no session in this revision");
            }
        } finally {
            probe.close();
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
        java.util.Map<dev.mcphealth.domain.model.ServerId, dev.mcphealth.infrastructure.config.Endpoint> endpoints =
                new java.util.HashMap<>();
        try (EverythingServer everything = EverythingServer.streamableHttp();
             McpProbe probe = new McpProbe(id -> java.util.Optional.ofNullable(endpoints.get(id)),
                     java.time.Clock.systemUTC(), System::nanoTime, McpJsonDefaults.getMapper(), "test")) {
            dev.mcphealth.domain.model.MonitoredServer server = dev.mcphealth.application.testkit.TestServers
                    .aServer().named("everything").over(dev.mcphealth.domain.model.TransportKind.STREAMABLE_HTTP)
                    .withTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(10)).build();
            endpoints.put(server.id(), new dev.mcphealth.infrastructure.config.Endpoint.Http(
                    URI.create(everything.mcpUrl()), Map.of(), false));
            for (int i = 0; i < 2; i++) {
                dev.mcphealth.domain.model.ProbeReport r = probe.probe(server,
                        dev.mcphealth.domain.model.CheckDepth.BASIC);
                dev.mcphealth.domain.model.ProbeOutcome.Answered a = org.junit.jupiter.api.Assertions.assertInstanceOf(
                        dev.mcphealth.domain.model.ProbeOutcome.Answered.class, r.outcome(), () -> String.valueOf(r));
                assertEquals(dev.mcphealth.domain.model.ProbeMethod.PING, a.method());
                assertEquals("2025-11-25", r.handshake().orElseThrow().protocolVersion());
                assertEquals(i == 0, r.sessionOpened(), "one session, kept");
            }
        }
    }

    @Test
    void theProbeSpeaksTheRevisionToAStdioServerThatAnswersDiscoverAndCallsItsToolsInIt() throws Exception {
        java.util.Map<dev.mcphealth.domain.model.ServerId, dev.mcphealth.infrastructure.config.Endpoint> endpoints =
                new java.util.HashMap<>();
        try (McpProbe probe = new McpProbe(id -> java.util.Optional.ofNullable(endpoints.get(id)),
                java.time.Clock.systemUTC(), System::nanoTime, McpJsonDefaults.getMapper(), "test")) {
            dev.mcphealth.domain.model.MonitoredServer server = dev.mcphealth.application.testkit.TestServers
                    .aServer().named("python-stdio").over(dev.mcphealth.domain.model.TransportKind.STDIO)
                    .withTimeout(Duration.ofSeconds(5)).withConnectTimeout(Duration.ofSeconds(20)).build();
            endpoints.put(server.id(), new dev.mcphealth.infrastructure.config.Endpoint.Stdio(
                    RepoPaths.root().resolve(".test-python/bin/python").toString(), List.of(RepoPaths.root().resolve(
                    "health-infrastructure/src/test/resources/servers/python_dual_era_server.py").toString(), "stdio"),
                    Map.of(), java.util.Optional.empty()));
            for (int i = 0; i < 2; i++) {
                dev.mcphealth.domain.model.ProbeReport r = probe.probe(server,
                        dev.mcphealth.domain.model.CheckDepth.COMPREHENSIVE);
                dev.mcphealth.domain.model.ProbeOutcome.Answered a = org.junit.jupiter.api.Assertions.assertInstanceOf(
                        dev.mcphealth.domain.model.ProbeOutcome.Answered.class, r.outcome(), () -> String.valueOf(r));
                assertEquals(dev.mcphealth.domain.model.ProbeMethod.SERVER_DISCOVER, a.method());
                assertEquals("2026-07-28", r.handshake().orElseThrow().protocolVersion());
                assertEquals("python-dual-era", r.handshake().orElseThrow().serverInfo().name());
                assertEquals(1, a.tools().orElseThrow().count(), String.valueOf(a));
                assertEquals(i == 0, r.sessionOpened(), "one process, kept");
            }
            dev.mcphealth.domain.model.CallOutcome call = probe.callTool(server, "add", Map.of("a", 2, "b", 3),
                    Duration.ofSeconds(10), false);
            assertTrue(String.valueOf(call).contains("5"), String.valueOf(call));
        }
    }
}
