package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.testkit.EverythingServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway mode over stdio, driven by the SDK's client: beside the five tools, the tools of server-everything and
 * server-memory (real processes), each named TYPE__TOOL and called through MCP Health; a server that cannot start
 * leaves the others' tools listed and working.
 */
class GatewayIT {
    @TempDir
    Path dir;

    private static String text(McpSchema.CallToolResult r) {
        return r.content().stream().filter(McpSchema.TextContent.class::isInstance)
                .map(c -> ((McpSchema.TextContent) c).text()).collect(Collectors.joining("\n"));
    }

    /** The SDK's client of a gateway started over stdio with {@code args} (and a database in the test's folder, unless
     * they name one). */
    private McpSyncClient stdioGateway(List<String> args,
                                       java.util.function.UnaryOperator<McpClient.SyncSpec> consumers) {
        return stdioGateway(args, Map.of(), consumers);
    }

    /** As above, the gateway's process given {@code env} besides the SDK's default environment. */
    private McpSyncClient stdioGateway(List<String> args, Map<String, String> env,
                                       java.util.function.UnaryOperator<McpClient.SyncSpec> consumers) {
        List<String> all = new java.util.ArrayList<>(args);
        if (!args.contains("--db")) {
            all.addAll(List.of("--db", dir.resolve("health.db").toString()));
        }
        List<String> cmd = ServerProcess.command(all);
        StdioClientTransport transport = new StdioClientTransport(ServerParameters.builder(cmd.get(0))
                .args(cmd.subList(1, cmd.size())).env(env).build(), McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> { });
        return consumers.apply(McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(90))).build();
    }

    @Test
    void aServerDownAtTheStartHasItsToolsAddedOnceItIsUpAndTheClientIsTold() throws Exception {
        int port = EverythingServer.freeLoopbackPort();
        Path config = dir.resolve("mcp.json");
        Files.writeString(config, "{\"mcpServers\": {"
                + "\"everything\": {\"command\": \"node\", \"args\": [\"" + EverythingServer.entryPoint()
                + "\", \"stdio\"]},"
                + "\"later\": {\"type\": \"http\", \"url\": \"http://127.0.0.1:" + port + "/mcp\"}},"
                + "\"health\": {\"defaults\": {\"timeoutMs\": 5000, \"retryDelaySeconds\": 1},"
                + " \"servers\": {\"everything\": {\"serverType\": \"demo\"}, \"later\": {\"serverType\": \"late\"}}}}");
        java.util.concurrent.BlockingQueue<List<McpSchema.Tool>> changed =
                new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.BlockingQueue<List<McpSchema.Prompt>> prompts =
                new java.util.concurrent.LinkedBlockingQueue<>();
        McpSyncClient client = stdioGateway(List.of("--config", config.toString(), "--gateway", "--tools-refresh",
                "2"), spec -> spec.toolsChangeConsumer(changed::add).promptsChangeConsumer(prompts::add));
        try {
            McpSchema.InitializeResult init = client.initialize();
            assertTrue(init.capabilities().tools() != null && Boolean.TRUE.equals(init.capabilities().tools()
                    .listChanged()), "a gateway says its tools may change");
            Set<String> before = client.listTools().tools().stream().map(McpSchema.Tool::name)
                    .collect(Collectors.toSet());
            assertTrue(before.contains("demo__echo") && before.stream().noneMatch(n -> n.startsWith("late__")),
                    before.toString());

            try (EverythingServer later = EverythingServer.streamableHttpOn(port)) {
                List<McpSchema.Tool> now = changed.poll(60, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(now != null, "tools/list_changed came once the server was up");
                Set<String> names = now.stream().map(McpSchema.Tool::name).collect(Collectors.toSet());
                assertTrue(names.containsAll(Set.of("demo__echo", "late__echo")), names.toString());

                McpSchema.CallToolResult echoed = client.callTool(new McpSchema.CallToolRequest("late__echo",
                        Map.of("message", "late but here")));
                assertTrue(text(echoed).contains("late but here"), text(echoed));

                // its prompts too, and the client told (prompts/list_changed)
                List<McpSchema.Prompt> listed = prompts.poll(30, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(listed != null && listed.stream().anyMatch(p -> p.name().equals("late__simple-prompt")),
                        "prompts/list_changed with late's prompts: " + listed);
                assertFalse(client.getPrompt(new McpSchema.GetPromptRequest("late__simple-prompt", Map.of()))
                        .messages().isEmpty());
            }
            // late is gone: its prompts stay listed from memory through refreshes, and a get fails fast, saying when
            // to retry
            Thread.sleep(5000); // two refreshes of the gateway's own clock (--tools-refresh 2): no test clock here
            assertTrue(client.listPrompts().prompts().stream().anyMatch(p -> p.name().equals("late__simple-prompt")),
                    "late's prompts stay listed");
            io.modelcontextprotocol.spec.McpError down = org.junit.jupiter.api.Assertions.assertThrows(
                    io.modelcontextprotocol.spec.McpError.class, () -> client.getPrompt(
                            new McpSchema.GetPromptRequest("late__simple-prompt", Map.of())));
            assertTrue(down.getMessage().contains("retry after"), down.getMessage());
        } finally {
            client.closeGracefully();
        }
    }

    /**
     * server-everything asks its client for a completion (sampling), for the user's input (elicitation) or for its
     * roots during a tool call: through the gateway the request reaches the client of that call, when it declared the
     * capability, and its answer goes back upstream; a client that did not declare it gets the upstream's error
     * saying so.
     */
    @Test
    void anUpstreamsSamplingElicitationAndRootsRequestsReachTheClientOfTheCall() throws Exception {
        Path config = ServerProcess.config(dir);
        List<McpSchema.CreateMessageRequest> sampled = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<McpSchema.ElicitFormRequest> elicited = new java.util.concurrent.CopyOnWriteArrayList<>();
        McpSyncClient client = stdioGateway(List.of("--config", config.toString(), "--gateway"), spec -> spec
                .capabilities(McpSchema.ClientCapabilities.builder().sampling().elicitation().roots(false).build())
                .roots(new McpSchema.Root("file:///tmp/gateway-roots-test", "the test's project"))
                .sampling(request -> {
                    sampled.add(request);
                    return McpSchema.CreateMessageResult.builder().role(McpSchema.Role.ASSISTANT)
                            .content(new McpSchema.TextContent("sampled by the test client")).model("test-model")
                            .stopReason(McpSchema.CreateMessageResult.StopReason.END_TURN).build();
                })
                .elicitation(request -> {
                    elicited.add(request);
                    return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null);
                }));
        try {
            client.initialize();
            McpSchema.CallToolResult sampling = client.callTool(new McpSchema.CallToolRequest(
                    "demo__trigger-sampling-request", Map.of("prompt", "say hi", "maxTokens", 10)));
            assertFalse(Boolean.TRUE.equals(sampling.isError()), text(sampling));
            assertEquals(1, sampled.size(), "the client was asked once");
            assertTrue(String.valueOf(sampled.get(0).messages()).contains("say hi"), sampled.toString());
            assertTrue(text(sampling).contains("sampled by the test client"), "its answer went back upstream: "
                    + text(sampling));

            McpSchema.CallToolResult elicitation = client.callTool(new McpSchema.CallToolRequest(
                    "demo__trigger-elicitation-request", Map.of()));
            assertEquals(1, elicited.size(), "the user was asked once");
            assertTrue(text(elicitation).contains("declined"), text(elicitation));

            // server-everything asked for roots 350 ms after the gateway's session opened, with no call under way
            // (refused: there was nobody to ask), and asks again within its get-roots-list call: this client answers
            McpSchema.CallToolResult roots = client.callTool(new McpSchema.CallToolRequest("demo__get-roots-list",
                    Map.of()));
            assertFalse(Boolean.TRUE.equals(roots.isError()), text(roots));
            assertTrue(text(roots).contains("file:///tmp/gateway-roots-test") && text(roots).contains("1 total"),
                    "the client's roots reached the upstream: " + text(roots));
        } finally {
            client.closeGracefully();
        }

        // a client that cannot sample: the upstream is told so, and its tool says it failed
        McpSyncClient plain = stdioGateway(List.of("--config", config.toString(), "--gateway", "--db",
                dir.resolve("plain.db").toString()), spec -> spec);
        try {
            plain.initialize();
            McpSchema.CallToolResult refused = plain.callTool(new McpSchema.CallToolRequest(
                    "demo__trigger-sampling-request", Map.of("prompt", "say hi", "maxTokens", 10)));
            assertTrue(Boolean.TRUE.equals(refused.isError()), text(refused));
            assertTrue(text(refused).contains("declared sampling"), "the upstream was told why: " + text(refused));
            McpSchema.CallToolResult noRoots = plain.callTool(new McpSchema.CallToolRequest("demo__get-roots-list",
                    Map.of()));
            assertTrue(text(noRoots).contains("no roots"), "refused upstream, so the upstream knows none: "
                    + text(noRoots));
        } finally {
            plain.closeGracefully();
        }
    }

    @Test
    void anUpstreamThatSaysItsToolsChangedHasThemServedAnewAndTheClientIsTold() throws Exception {
        Path dbl = dev.mcphealth.testkit.RepoPaths.root()
                .resolve("health-infrastructure/src/test/resources/doubles/latency-server-double.mjs");
        Path config = dir.resolve("mcp.json");
        Files.writeString(config, "{\"mcpServers\": {"
                + "\"upgraded\": {\"command\": \"node\", \"args\": [\"" + dbl + "\", \"--swap-after\", \"4000\"]}},"
                + "\"health\": {\"defaults\": {\"timeoutMs\": 5000}, \"servers\": {\"upgraded\": {\"serverType\":"
                + " \"up\"}}}}");
        java.util.concurrent.BlockingQueue<List<McpSchema.Tool>> changed =
                new java.util.concurrent.LinkedBlockingQueue<>();
        McpSyncClient client = stdioGateway(List.of("--config", config.toString(), "--gateway", "--tools-refresh",
                "3600"), spec -> spec.toolsChangeConsumer(changed::add));
        try {
            client.initialize();
            Set<String> before = client.listTools().tools().stream().map(McpSchema.Tool::name)
                    .collect(Collectors.toSet());
            assertTrue(before.contains("up__echo") && !before.contains("up__echo_later"), before.toString());

            Set<String> after = Set.of();
            for (int i = 0; i < 6 && !after.contains("up__echo_later"); i++) {
                List<McpSchema.Tool> now = changed.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                if (now != null) {
                    after = now.stream().map(McpSchema.Tool::name).collect(Collectors.toSet());
                }
            }
            assertTrue(after.contains("up__echo_later") && !after.contains("up__echo"),
                    "on the upstream's tools/list_changed (not the hourly refresh): the new tool served, the old one"
                            + " gone, the client told: " + after);
            McpSchema.CallToolResult echoed = client.callTool(new McpSchema.CallToolRequest("up__echo_later",
                    Map.of("message", "after the upgrade")));
            assertTrue(text(echoed).contains("after the upgrade"), text(echoed));
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void overHttpTheServersToolsAreListedAndCalledToo() throws Exception {
        try (ServerProcess server = ServerProcess.start(List.of("--config", ServerProcess.config(dir).toString(),
                "--db", dir.resolve("health.db").toString(), "--http", "0", "--gateway"))) {
            java.net.URI u = java.net.URI.create(server.url());
            McpSyncClient client = McpClient.sync(io.modelcontextprotocol.client.transport
                    .HttpClientStreamableHttpTransport.builder("http://" + u.getHost() + ":" + u.getPort())
                    .endpoint("/mcp").jsonMapper(McpJsonDefaults.getMapper()).build())
                    .requestTimeout(Duration.ofSeconds(60)).build();
            try {
                client.initialize();
                Set<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name)
                        .collect(Collectors.toSet());
                assertTrue(names.containsAll(Set.of("demo__echo", "kv__read_graph")), names.toString());

                McpSchema.CallToolResult echoed = client.callTool(new McpSchema.CallToolRequest("demo__echo",
                        Map.of("message", "over http")));
                assertFalse(Boolean.TRUE.equals(echoed.isError()), text(echoed));
                assertTrue(text(echoed).contains("over http"), text(echoed));

                McpSchema.CallToolResult tools = client.callTool(new McpSchema.CallToolRequest(
                        HealthDashboardsTool.NAME, Map.of("view", "tools")));
                assertFalse(Boolean.TRUE.equals(tools.isError()), text(tools));
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> rows = (List<Map<String, Object>>) ((Map<String, Object>) tools
                        .structuredContent()).get("tools");
                Map<String, Object> echo = rows.stream().filter(r -> "demo".equals(r.get("type"))
                        && "echo".equals(r.get("tool"))).findFirst().orElseThrow(() -> new AssertionError(rows));
                assertEquals(1, ((Number) echo.get("requests")).intValue(), echo.toString());
                assertTrue(((Number) echo.get("p95Ms")).doubleValue() > 0, echo.toString());
            } finally {
                client.closeGracefully();
            }
            assertEquals(0, server.stop(), "a SIGTERM stops it cleanly");
        }
        // the call's minute, written at the stop for the usage-learning issue (tool_usage, V11)
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("health.db"));
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT server_type, tool_name, calls, failures,"
                     + " p50_ms FROM tool_usage ORDER BY id")) {
            assertTrue(rs.next(), "a row of tool usage");
            assertEquals("demo|echo|1|0", rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getLong(3) + "|"
                    + rs.getLong(4));
            assertTrue(rs.getDouble(5) > 0, "its p50");
            assertFalse(rs.next(), "one call: one tool in one minute");
        }
        // and learned: the tool's profile and its type's, saved at the stop (usage_profiles, V12)
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("health.db"));
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT p.server_type, p.tool_name,"
                     + " COUNT(x.slot) FROM usage_profiles p JOIN usage_profile_cells x ON x.server_type ="
                     + " p.server_type AND x.tool_name = p.tool_name WHERE x.figure = 'rate'"
                     + " GROUP BY p.server_type, p.tool_name ORDER BY p.tool_name")) {
            assertTrue(rs.next(), "the type's profile");
            assertEquals("demo|", rs.getString(1) + "|" + rs.getString(2));
            assertTrue(rs.getLong(3) >= 3, "its rate in its hour of the week, of the day, and of all hours: "
                    + rs.getLong(3));
            assertTrue(rs.next(), "the tool's profile");
            assertEquals("demo|echo", rs.getString(1) + "|" + rs.getString(2));
            assertTrue(rs.getLong(3) >= 3);
        }
    }

    @Test
    void theServersToolsAreListedOnceEachAndCalledThroughTheGatewayWhileOneServerCannotStart() throws Exception {
        Path config = ServerProcess.config(dir, "{\"command\": \"node\", \"args\": [\""
                + dir.resolve("no-such-server.js") + "\"]}", ", \"connectTimeoutMs\": 10000");
        List<McpSchema.ProgressNotification> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch threeSteps = new java.util.concurrent.CountDownLatch(3);
        // MCP Health's own database address (its password in it) is not passed on to the servers it starts (they
        // inherit the rest); --db names the database this run uses
        McpSyncClient client = stdioGateway(List.of("--config", config.toString(), "--gateway"),
                Map.of("MCP_HEALTH_DB", "postgresql://monitor:pg-secret-of-mcp-health@127.0.0.1:9/none",
                        "MCP_HEALTH_GATEWAY_IT", "inherited"),
                spec -> spec.progressConsumer(n -> {
                    progress.add(n);
                    threeSteps.countDown();
                }));
        try {
            client.initialize();
            Set<String> names = client.listTools().tools().stream().map(McpSchema.Tool::name)
                    .collect(Collectors.toSet());

            assertTrue(names.containsAll(ToolCalls.TOOLS), "its own five tools: " + names);
            assertTrue(names.containsAll(Set.of("demo__echo", "demo__get-sum", "kv__create_entities",
                    "kv__read_graph")), "each upstream's tools, named TYPE__TOOL: " + names);
            assertTrue(names.stream().noneMatch(n -> n.startsWith("extra__")), "a server that cannot start: " + names);
            McpSchema.Tool echo = client.listTools().tools().stream().filter(t -> t.name().equals("demo__echo"))
                    .findFirst().orElseThrow();
            assertTrue(echo.description().startsWith("[demo] "), echo.description());
            assertEquals("object", echo.inputSchema().get("type"));
            assertTrue(String.valueOf(echo.inputSchema().get("properties")).contains("message"),
                    echo.inputSchema().toString());

            assertEquals(Boolean.TRUE, echo.annotations().readOnlyHint(), "the upstream's annotations: " + echo);
            McpSchema.Tool structured = client.listTools().tools().stream()
                    .filter(t -> t.name().equals("demo__get-structured-content")).findFirst().orElseThrow();
            assertTrue(structured.outputSchema() != null && !structured.outputSchema().isEmpty(),
                    "the upstream's output schema: " + structured);
            McpSchema.CallToolResult weather = client.callTool(new McpSchema.CallToolRequest(
                    "demo__get-structured-content", Map.of("location", "New York")));
            assertFalse(Boolean.TRUE.equals(weather.isError()), text(weather));
            assertTrue(weather.structuredContent() != null, "its structured content, as the upstream sent it");

            McpSchema.CallToolResult echoed = client.callTool(new McpSchema.CallToolRequest("demo__echo",
                    Map.of("message", "through the gateway")));
            assertFalse(Boolean.TRUE.equals(echoed.isError()), text(echoed));
            assertTrue(text(echoed).contains("through the gateway"), text(echoed));

            McpSchema.CallToolResult created = client.callTool(new McpSchema.CallToolRequest("kv__create_entities",
                    Map.of("entities", List.of(Map.of("name", "gateway-test", "entityType", "note",
                            "observations", List.of("made through mcp-health"))))));
            assertFalse(Boolean.TRUE.equals(created.isError()), text(created));
            McpSchema.CallToolResult graph = client.callTool(new McpSchema.CallToolRequest("kv__read_graph",
                    Map.of()));
            assertTrue(text(graph).contains("gateway-test"), text(graph));

            // the upstream's progress reaches the client under the client's own token
            McpSchema.CallToolResult longOne = client.callTool(new McpSchema.CallToolRequest("demo__trigger-long"
                    + "-running-operation", Map.of("duration", 1, "steps", 3), Map.of("progressToken", "mine-7")));
            assertFalse(Boolean.TRUE.equals(longOne.isError()), text(longOne));
            // the client hands notifications to its consumer on a thread of its own: they may come after the answer
            threeSteps.await(10, java.util.concurrent.TimeUnit.SECONDS);
            List<McpSchema.ProgressNotification> seen = List.copyOf(progress);
            assertEquals(3, seen.size(), "one per step: " + seen);
            assertTrue(seen.stream().allMatch(n -> "mine-7".equals(n.progressToken())), seen.toString());
            assertEquals(List.of(1.0, 2.0, 3.0), seen.stream().map(McpSchema.ProgressNotification::progress)
                    .toList());
            assertEquals(3.0, seen.get(2).total());

            McpSchema.CallToolResult refused = client.callTool(new McpSchema.CallToolRequest("demo__get-sum",
                    Map.of("a", "one")));
            assertTrue(Boolean.TRUE.equals(refused.isError()), "the upstream's own error comes back: "
                    + text(refused));

            String env = text(client.callTool(new McpSchema.CallToolRequest("demo__get-env", Map.of())));
            assertTrue(env.contains("MCP_HEALTH_GATEWAY_IT"), "the environment is inherited: " + env);
            assertFalse(env.contains("pg-secret-of-mcp-health"), "but not MCP Health's own secrets: " + env);

            promptsAndResourcesOfDemoAreServedToo(client);
        } finally {
            client.closeGracefully();
        }
    }

    /**
     * server-everything's prompts (named TYPE__PROMPT), resources and templates (their own URIs) are served and got or
     * read through the gateway; server-memory offers neither, and a refusal comes back as the upstream's error.
     */
    private static void promptsAndResourcesOfDemoAreServedToo(McpSyncClient client) {
        assertTrue(client.getServerCapabilities().prompts() != null, "the gateway offers prompts");
        Set<String> prompts = client.listPrompts().prompts().stream().map(McpSchema.Prompt::name)
                .collect(Collectors.toSet());
        assertTrue(prompts.containsAll(Set.of("demo__simple-prompt", "demo__args-prompt")), prompts.toString());
        assertTrue(prompts.stream().allMatch(p -> p.startsWith("demo__")), "only demo offers prompts: " + prompts);
        McpSchema.Prompt args = client.listPrompts().prompts().stream()
                .filter(p -> p.name().equals("demo__args-prompt")).findFirst().orElseThrow();
        assertTrue(args.description().startsWith("[demo] "), args.description());
        assertTrue(args.arguments().stream().anyMatch(a -> a.name().equals("city") && Boolean.TRUE.equals(a.required())),
                "its arguments as the upstream lists them: " + args.arguments());
        McpSchema.GetPromptResult got = client.getPrompt(new McpSchema.GetPromptRequest("demo__args-prompt",
                Map.of("city", "Lisbon")));
        assertTrue(String.valueOf(got.messages()).contains("What's weather in Lisbon?"), got.toString());

        List<McpSchema.Resource> resources = client.listResources().resources();
        assertTrue(resources.stream().anyMatch(r -> r.uri().equals("health://servers")), "its own resource stays");
        McpSchema.Resource doc = resources.stream().filter(r -> r.uri().startsWith("demo://resource/static/"))
                .findFirst().orElseThrow(() -> new AssertionError("demo's documents: " + resources));
        McpSchema.ReadResourceResult read = client.readResource(new McpSchema.ReadResourceRequest(doc.uri()));
        assertEquals(doc.uri(), read.contents().get(0).uri());
        assertTrue(client.listResourceTemplates().resourceTemplates().stream()
                .anyMatch(t -> t.uriTemplate().equals("demo://resource/dynamic/text/{resourceId}")), "its templates");
        McpSchema.ReadResourceResult dynamic = client.readResource(new McpSchema.ReadResourceRequest(
                "demo://resource/dynamic/text/7"));
        assertTrue(((McpSchema.TextResourceContents) dynamic.contents().get(0)).text().startsWith("Resource 7:"),
                dynamic.toString());

        io.modelcontextprotocol.spec.McpError noSuch = org.junit.jupiter.api.Assertions.assertThrows(
                io.modelcontextprotocol.spec.McpError.class, () -> client.getPrompt(new McpSchema.GetPromptRequest(
                        "demo__args-prompt", Map.of())));
        assertTrue(noSuch.getMessage().startsWith("demo: "), "the upstream's refusal, said as demo's: "
                + noSuch.getMessage());
    }
}
