package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.RepoPaths;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcp-health-server} in the 2026-07-28 revision: the official MCP Python SDK 2.3.0's client in its default
 * ("auto") mode, which asks {@code server/discover} first and falls back to the handshake only when refused, lists
 * and calls the five tools over stdio and over streamable HTTP without a handshake; and the revision's requests sent
 * by hand get the answers and the refusals the revision gives (wrong headers, another version, a method not served).
 */
class RevisionClientsIT {
    private static final String VERSION = "2026-07-28";
    @TempDir
    Path dir;

    private static List<Map<String, Object>> plan() {
        return List.of(Map.of("list", true),
                Map.of("call", IntegrationMonitorTool.NAME, "arguments", Map.of("action", "health_check")),
                Map.of("call", FailoverCoordinatorTool.NAME, "arguments", Map.of("server_type", "demo",
                        "failure_type", "timeout", "recovery_strategy", "manual")),
                Map.of("call", PerformanceOptimizerTool.NAME, "arguments", Map.of("optimization_target", "latency")),
                Map.of("call", HealthDashboardsTool.NAME, "arguments", Map.of("view", "overview")),
                Map.of("call", RecoverySystemTool.NAME, "arguments", Map.of("action", "status")),
                Map.of("call", HealthDashboardsTool.NAME, "arguments", Map.of("view", "no-such-view")));
    }

    @SuppressWarnings("unchecked")
    private static void assertListedAndCalledStatelessly(List<Map<String, Object>> answers) {
        Map<String, Object> listed = answers.get(0);
        assertEquals(VERSION, listed.get("era"), "the revision, not the handshake: " + listed);
        assertEquals(true, listed.get("stateless"), String.valueOf(listed));
        assertEquals("mcp-health", listed.get("server"));
        assertEquals(ToolCalls.TOOLS, Set.copyOf((List<String>) listed.get("tools")));
        for (Map<String, Object> call : answers.subList(1, 6)) {
            assertEquals(false, call.get("isError"), String.valueOf(call));
            assertFalse(String.valueOf(call.get("text")).isBlank(), String.valueOf(call));
        }
        assertEquals(true, answers.get(6).get("isError"), "a bad argument is the tool's error: " + answers.get(6));
        assertTrue(String.valueOf(answers.get(6).get("text")).contains("no-such-view"), answers.get(6).toString());
    }

    @Test
    void thePythonSdksAutoClientListsAndCallsTheFiveToolsInTheRevisionOverStdio() throws Exception {
        List<String> transport = new ArrayList<>(List.of("stdio"));
        transport.addAll(ServerProcess.command(List.of("--config", ServerProcess.config(dir).toString(), "--db",
                dir.resolve("stdio.db").toString())));
        assertListedAndCalledStatelessly(python(transport, plan()));
    }

    @Test
    void thePythonSdksAutoClientListsAndCallsTheFiveToolsInTheRevisionOverHttp() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of("--config", ServerProcess.config(dir).toString(),
                "--db", dir.resolve("http.db").toString(), "--http", "0"))) {
            assertListedAndCalledStatelessly(python(List.of("http", server.url()), plan()));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void throughTheGatewayTheUpstreamsToolsAreListedAndCalledInTheRevision() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of("--config", ServerProcess.config(dir).toString(),
                "--db", dir.resolve("gateway.db").toString(), "--http", "0", "--gateway"))) {
            List<Map<String, Object>> answers = python(List.of("http", server.url()), List.of(Map.of("list", true),
                    Map.of("call", "demo__echo", "arguments", Map.of("message", "in the revision")),
                    Map.of("call", "kv__read_graph")));
            assertEquals(VERSION, answers.get(0).get("era"), String.valueOf(answers.get(0)));
            Set<String> names = Set.copyOf((List<String>) answers.get(0).get("tools"));
            assertTrue(names.containsAll(ToolCalls.TOOLS) && names.contains("demo__echo"), names.toString());
            assertEquals(Map.of("isError", false, "text", "Echo: in the revision"), answers.get(1));
            assertEquals(false, answers.get(2).get("isError"), String.valueOf(answers.get(2)));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRevisionsRequestsGetItsAnswersAndRefusals() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of("--config", ServerProcess.config(dir).toString(),
                "--db", dir.resolve("raw.db").toString(), "--http", "0"))) {
            String url = server.url();
            HttpResponse<String> discover = post(url, "server/discover", Map.of(), VERSION, null);
            assertEquals(200, discover.statusCode(), discover.body());
            assertTrue(discover.headers().firstValue("Mcp-Session-Id").isEmpty(), "no session");
            Map<String, Object> d = (Map<String, Object>) json(discover).get("result");
            assertEquals(List.of(VERSION), d.get("supportedVersions"));
            assertEquals("complete", d.get("resultType"));
            assertTrue(((Map<String, Object>) d.get("capabilities")).containsKey("tools"), d.toString());
            assertEquals("mcp-health", ((Map<String, Object>) ((Map<String, Object>) d.get("_meta"))
                    .get("io.modelcontextprotocol/serverInfo")).get("name"));

            HttpResponse<String> mismatch = post(url, "tools/list", Map.of(), VERSION, "2025-11-25");
            assertEquals(400, mismatch.statusCode(), mismatch.body());
            assertEquals(-32020, code(mismatch));

            HttpResponse<String> other = post(url, "tools/list", Map.of(), "2027-01-01", "2027-01-01");
            assertEquals(400, other.statusCode(), other.body());
            assertEquals(-32022, code(other));
            assertEquals(List.of(VERSION), ((Map<String, Object>) ((Map<String, Object>) json(other).get("error"))
                    .get("data")).get("supported"));

            HttpResponse<String> ping = post(url, "ping", Map.of(), VERSION, null);
            assertEquals(404, ping.statusCode(), ping.body());
            assertEquals(-32601, code(ping));
            assertTrue(ping.body().contains("initialize a session"), ping.body());

            HttpResponse<String> unknown = post(url, "tools/call", Map.of("name", "nope"), VERSION, null);
            assertEquals(-32602, code(unknown));

            HttpResponse<String> badParams = post(url, "tools/call", Map.of("name", 7), VERSION, null);
            assertEquals(400, badParams.statusCode(), badParams.body());
            assertTrue(badParams.body().contains("params.name"), badParams.body());
            assertFalse(badParams.body().contains("Exception"), badParams.body());

            HttpResponse<String> listed = post(url, "tools/list", Map.of(), VERSION, null);
            Map<String, Object> l = (Map<String, Object>) json(listed).get("result");
            assertEquals(5, ((List<?>) l.get("tools")).size(), l.toString());
            assertEquals(0, ((Number) l.get("ttlMs")).intValue());
            assertEquals("private", l.get("cacheScope"));
        }
    }

    private static HttpResponse<String> post(String url, String method, Map<String, Object> params,
                                             String metaVersion, String headerVersion) throws Exception {
        Map<String, Object> p = new java.util.LinkedHashMap<>(params);
        p.put("_meta", Map.of("io.modelcontextprotocol/protocolVersion", metaVersion,
                "io.modelcontextprotocol/clientCapabilities", Map.of()));
        String body = McpJsonDefaults.getMapper().writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1,
                "method", method, "params", p));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", headerVersion == null ? VERSION : headerVersion)
                .header("Mcp-Method", method);
        return HttpClient.newHttpClient().send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> r) throws Exception {
        return McpJsonDefaults.getMapper().readValue(r.body(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static int code(HttpResponse<String> r) throws Exception {
        return ((Number) ((Map<String, Object>) json(r).get("error")).get("code")).intValue();
    }

    /** Runs the plan in one Python SDK client in its default mode; one answer per step. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> python(List<String> transport, List<Map<String, Object>> plan)
            throws Exception {
        Path python = RepoPaths.root().resolve(".test-python/bin/python");
        assertTrue(Files.isExecutable(python), python + " is missing: run scripts/install-test-servers.sh");
        Path client = Path.of(Objects.requireNonNull(RevisionClientsIT.class.getResource(
                "/clients/python_sdk_client.py")).toURI());
        List<String> cmd = new ArrayList<>(List.of(python.toString(), client.toString(), "--mode", "auto",
                McpJsonDefaults.getMapper().writeValueAsString(plan)));
        cmd.addAll(transport);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("the Python client did not finish: " + Files.readString(err));
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), stdout + Files.readString(err, StandardCharsets.UTF_8));
        return McpJsonDefaults.getMapper().readValue(stdout.trim(), List.class);
    }
}
