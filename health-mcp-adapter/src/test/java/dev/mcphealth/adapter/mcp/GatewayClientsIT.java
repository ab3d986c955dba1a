package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.EverythingServer;
import dev.mcphealth.testkit.RepoPaths;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway driven by clients nobody here wrote: the MCP Inspector's CLI (npm) and the official MCP Python SDK 2.3.0
 * client (pip, scripts/install-test-servers.sh), over stdio and streamable HTTP. Through it the tools of
 * server-everything and server-memory (real processes) are listed and called; with one server down the others' tools
 * still list and work; and with two instances of a type, one SIGKILLed every 2 s, a client calling in a loop sees no
 * failed call.
 */
class GatewayClientsIT {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private static Set<String> theirTools() {
        return Set.of("demo__echo", "demo__get-sum", "kv__create_entities", "kv__read_graph");
    }

    /** everything (demo), memory (kv, sticky: one store) and a server nobody listens for (type extra: down). */
    private Path config() throws Exception {
        return ServerProcess.config(dir, "{\"type\": \"http\", \"url\": \"http://127.0.0.1:"
                + EverythingServer.freeLoopbackPort() + "/mcp\"}", "");
    }

    private Run run(List<String> cmd, int timeoutSeconds) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("did not finish in " + timeoutSeconds + " s: " + cmd + "\n"
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    // ---- the MCP Inspector's CLI ----

    private Run inspector(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node",
                RepoPaths.nodeModule("@modelcontextprotocol/inspector/clients/launcher/build/index.js").toString(),
                "--cli", "--format", "json"));
        cmd.addAll(args);
        return run(cmd, 120);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> result(Run r) throws Exception {
        assertEquals(0, r.exit(), r.out() + r.err());
        int start = r.out().indexOf('{');
        assertTrue(start >= 0, "JSON on stdout: " + r.out() + "\nstderr: " + r.err());
        Map<String, Object> m = McpJsonDefaults.getMapper().readValue(r.out().substring(start), Map.class);
        assertTrue(m.get("result") instanceof Map, "a result: " + r.out());
        return (Map<String, Object>) m.get("result");
    }

    @SuppressWarnings("unchecked")
    private static Set<String> names(Map<String, Object> listed) {
        List<Map<String, Object>> tools = (List<Map<String, Object>>) listed.get("tools");
        Set<String> names = new java.util.TreeSet<>();
        tools.forEach(t -> names.add((String) t.get("name")));
        return names;
    }

    @SuppressWarnings("unchecked")
    private static String text(Map<String, Object> called) {
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> c : (List<Map<String, Object>>) called.get("content")) {
            if ("text".equals(c.get("type"))) {
                b.append(c.get("text"));
            }
        }
        return b.toString();
    }

    @Test
    void theInspectorListsAndCallsTheServersToolsThroughTheGatewayOverStdioWhileOneServerIsDown() throws Exception {
        List<String> gateway = ServerProcess.command(List.of("--config", config().toString(), "--db",
                dir.resolve("stdio.db").toString(), "--gateway"));
        List<String> list = new ArrayList<>(List.of("--method", "tools/list", "--"));
        list.addAll(gateway);
        Set<String> names = names(result(inspector(list)));
        assertTrue(names.containsAll(ToolCalls.TOOLS) && names.containsAll(theirTools()), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.startsWith("extra__")), names.toString());

        List<String> echo = new ArrayList<>(List.of("--method", "tools/call", "--tool-name", "demo__echo",
                "--tool-arg", "message=inspected", "--"));
        echo.addAll(gateway);
        Map<String, Object> echoed = result(inspector(echo));
        assertFalse(Boolean.TRUE.equals(echoed.get("isError")), echoed.toString());
        assertTrue(text(echoed).contains("inspected"), echoed.toString());

        // the memory server's file outlives each gateway the inspector starts: what one call made, the next reads
        List<String> create = new ArrayList<>(List.of("--method", "tools/call", "--tool-name", "kv__create_entities",
                "--tool-arg", "entities=[{\"name\":\"inspector-made\",\"entityType\":\"note\",\"observations\":[]}]",
                "--"));
        create.addAll(gateway);
        Map<String, Object> created = result(inspector(create));
        assertFalse(Boolean.TRUE.equals(created.get("isError")), created.toString());
        List<String> read = new ArrayList<>(List.of("--method", "tools/call", "--tool-name", "kv__read_graph", "--"));
        read.addAll(gateway);
        assertTrue(text(result(inspector(read))).contains("inspector-made"));
    }

    @Test
    void theInspectorListsAndCallsTheServersToolsThroughTheGatewayOverHttp() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of("--config", config().toString(), "--db",
                dir.resolve("http.db").toString(), "--http", "0", "--gateway"))) {
            String url = server.url();
            Set<String> names = names(result(inspector(List.of(url, "--transport", "http", "--method",
                    "tools/list"))));
            assertTrue(names.containsAll(ToolCalls.TOOLS) && names.containsAll(theirTools()), names.toString());

            Map<String, Object> sum = result(inspector(List.of(url, "--transport", "http", "--method", "tools/call",
                    "--tool-name", "demo__get-sum", "--tool-arg", "a=2", "b=40")));
            assertTrue(text(sum).contains("42"), sum.toString());
            Map<String, Object> created = result(inspector(List.of(url, "--transport", "http", "--method",
                    "tools/call", "--tool-name", "kv__create_entities", "--tool-arg",
                    "entities=[{\"name\":\"over-http\",\"entityType\":\"note\",\"observations\":[\"x\"]}]")));
            assertFalse(Boolean.TRUE.equals(created.get("isError")), created.toString());
            assertTrue(text(result(inspector(List.of(url, "--transport", "http", "--method", "tools/call",
                    "--tool-name", "kv__read_graph")))).contains("over-http"));

            // the upstreams' prompts and resources, through the gateway
            Map<String, Object> prompt = result(inspector(List.of(url, "--transport", "http", "--method",
                    "prompts/get", "--prompt-name", "demo__args-prompt", "--prompt-args", "city=Porto")));
            assertTrue(String.valueOf(prompt.get("messages")).contains("What's weather in Porto?"), prompt.toString());
            Map<String, Object> resource = result(inspector(List.of(url, "--transport", "http", "--method",
                    "resources/read", "--uri", "demo://resource/dynamic/text/3")));
            assertTrue(String.valueOf(resource.get("contents")).contains("Resource 3:"), resource.toString());
        }
    }

    // ---- the official MCP Python SDK's client ----

    private static Path python() {
        Path python = RepoPaths.root().resolve(".test-python/bin/python");
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException(python + " is missing: run scripts/install-test-servers.sh (mvn verify"
                    + " does)");
        }
        return python;
    }

    private static Path pythonClient() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(GatewayClientsIT.class.getResource("/clients/python_sdk_client.py"))
                .toURI());
    }

    /** Runs the plan's steps in one session of the Python SDK's client; one answer per step. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> python(List<Map<String, Object>> plan, List<String> transport, int seconds)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python().toString(), pythonClient().toString(),
                McpJsonDefaults.getMapper().writeValueAsString(plan)));
        cmd.addAll(transport);
        Run r = run(cmd, seconds);
        assertEquals(0, r.exit(), r.out() + r.err());
        return McpJsonDefaults.getMapper().readValue(r.out().trim(), List.class);
    }

    private static List<Map<String, Object>> listCallCreateRead(String entity) {
        return List.of(Map.of("list", true),
                Map.of("call", "demo__echo", "arguments", Map.of("message", "from python")),
                Map.of("call", "kv__create_entities", "arguments", Map.of("entities", List.of(Map.of("name", entity,
                        "entityType", "note", "observations", List.of("made by the python sdk"))))),
                Map.of("call", "kv__read_graph"),
                Map.of("call", "demo__get-sum", "arguments", Map.of("a", "one")),
                Map.of("prompt", "demo__args-prompt", "arguments", Map.of("city", "Faro")),
                Map.of("read", "demo://resource/dynamic/text/5"));
    }

    @SuppressWarnings("unchecked")
    private static void assertListedAndCalled(List<Map<String, Object>> answers, String entity) {
        Set<String> names = Set.copyOf((List<String>) answers.get(0).get("tools"));
        assertTrue(names.containsAll(ToolCalls.TOOLS) && names.containsAll(theirTools()), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.startsWith("extra__")), names.toString());
        assertEquals(Map.of("isError", false, "text", "Echo: from python"), answers.get(1));
        assertEquals(false, answers.get(2).get("isError"), answers.get(2).toString());
        assertTrue(String.valueOf(answers.get(3).get("text")).contains(entity), answers.get(3).toString());
        assertEquals(true, answers.get(4).get("isError"), "the upstream's own refusal: " + answers.get(4));
        assertTrue(String.valueOf(answers.get(5).get("text")).contains("What's weather in Faro?"),
                "a prompt of the upstream's: " + answers.get(5));
        assertTrue(String.valueOf(answers.get(6).get("text")).startsWith("Resource 5:"),
                "a resource of the upstream's: " + answers.get(6));
    }

    @Test
    void thePythonSdkListsAndCallsTheServersToolsThroughTheGatewayOverStdioWhileOneServerIsDown() throws Exception {
        List<String> transport = new ArrayList<>(List.of("stdio"));
        transport.addAll(ServerProcess.command(List.of("--config", config().toString(), "--db",
                dir.resolve("stdio.db").toString(), "--gateway")));
        assertListedAndCalled(python(listCallCreateRead("python-stdio"), transport, 180), "python-stdio");
    }

    @Test
    void thePythonSdkListsAndCallsTheServersToolsThroughTheGatewayOverHttp() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of("--config", config().toString(), "--db",
                dir.resolve("http.db").toString(), "--http", "0", "--gateway"))) {
            assertListedAndCalled(python(listCallCreateRead("python-http"), List.of("http", server.url()), 180),
                    "python-http");
        }
    }

    /**
     * Two instances of one type, the victim SIGKILLed every 2 s for 20 s (and restarted by recovery each time): a
     * client calling a read-only tool in a loop through the gateway sees no failed call. A call in flight on the
     * victim when it dies is sent again to the other instance (echo is annotated read-only and idempotent); the
     * calls after go to the other one until the victim is back.
     */
    @Test
    @SuppressWarnings("unchecked")
    void withOneOfTwoInstancesKilledEveryTwoSecondsAClientCallingInALoopSeesNoFailedCall() throws Exception {
        Path entry = EverythingServer.entryPoint();
        Path victim = Files.createSymbolicLink(dir.resolve("victim-everything.js"), entry);
        Path config = dir.resolve("pool.json");
        Files.writeString(config, "{\"mcpServers\": {"
                + "\"victim\": {\"command\": \"node\", \"args\": [\"" + victim + "\", \"stdio\"]},"
                + "\"steady\": {\"command\": \"node\", \"args\": [\"" + entry + "\", \"stdio\"]}},"
                + "\"health\": {\"defaults\": {\"timeoutMs\": 5000, \"retryDelaySeconds\": 1,"
                + " \"maxRetryAttempts\": 100}, \"servers\": {\"victim\": {\"serverType\": \"demo\"},"
                + " \"steady\": {\"serverType\": \"demo\"}}}}");
        int seconds = 20;
        try (ServerProcess server = ServerProcess.start(List.of("--config", config.toString(), "--db",
                dir.resolve("kill.db").toString(), "--http", "0", "--gateway"))) {
            String url = server.url();
            python(List.of(Map.of("call", "demo__echo", "arguments", Map.of("message", "warm"))),
                    List.of("http", url), 120);
            AtomicInteger kills = new AtomicInteger();
            Thread killer = new Thread(() -> {
                try {
                    for (int i = 0; i < seconds / 2; i++) {
                        Thread.sleep(2000); // the fault's own cadence, in real time: real processes die
                        server.process.descendants().filter(p -> p.info().arguments().map(a -> List.of(a)
                                .contains(victim.toString())).orElse(false)).forEach(p -> {
                                    if (p.destroyForcibly()) {
                                        kills.incrementAndGet();
                                    }
                                });
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "killer");
            killer.start();
            List<Map<String, Object>> answers = python(List.of(Map.of("loop", "demo__echo", "arguments",
                    Map.of("message", "again"), "seconds", seconds)), List.of("http", url), seconds + 120);
            killer.join();
            Map<String, Object> loop = answers.get(0);
            int calls = ((Number) loop.get("calls")).intValue();
            System.out.printf("[gateway] kill loop: %d calls in %d s, %d failed, victim SIGKILLed %d times%n",
                    calls, seconds, ((Number) loop.get("failed")).intValue(), kills.get());
            assertEquals(0, ((Number) loop.get("failed")).intValue(), loop.toString());
            assertTrue(calls >= 100, "the client kept calling: " + loop);
            assertTrue(kills.get() >= 5, "the victim was restarted and killed again, " + kills.get() + " times");
        }
    }
}
