package dev.mcphealth.adapter.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over stdio, driven by the SDK's client: the five tools, each called, and logging notifications. */
class StdioServerIT {
    @TempDir
    Path dir;

    @Test
    void servesTheToolsOverStdioAndNotifiesTheClientOfEvents() throws Exception {
        List<String> cmd = ServerProcess.command(List.of("--config", ServerProcess.config(dir).toString(),
                "--db", dir.resolve("health.db").toString(), "--interval", "1"));
        StdioClientTransport transport = new StdioClientTransport(ServerParameters.builder(cmd.get(0))
                .args(cmd.subList(1, cmd.size())).build(), McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> { });
        BlockingQueue<McpSchema.LoggingMessageNotification> logs = new LinkedBlockingQueue<>();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(60)).loggingConsumer(logs::add).build();
        try {
            McpSchema.InitializeResult init = client.initialize();
            assertEquals("mcp-health", init.serverInfo().name());
            assertTrue(init.capabilities().logging() != null, "declares logging");

            ToolCalls.listsTheFiveTools(client);
            client.setLoggingLevel(McpSchema.LoggingLevel.DEBUG);
            ToolCalls.callsEachTool(client);
            ToolCalls.readsTheResources(client);

            // the recover and restart calls above raised recovery events: they reach the client as notifications
            McpSchema.LoggingMessageNotification n = Notifications.within(logs, Duration.ofSeconds(30), x -> true)
                    .orElseThrow(() -> new AssertionError("no logging notification arrived"));
            assertEquals(ClientNotifier.LOGGER, n.logger());
            assertTrue(n.data().contains("\"event\":"), n.data());

            // at level error, the info and notice of a restart are not sent; back at info, they are
            client.setLoggingLevel(McpSchema.LoggingLevel.ERROR);
            logs.clear();
            ToolCalls.call(client, RecoverySystemTool.NAME, Map.of("action", "recover", "server", "memory"));
            Notifications.assertNoneBelow(logs, McpSchema.LoggingLevel.ERROR, Duration.ofSeconds(3));
            client.setLoggingLevel(McpSchema.LoggingLevel.INFO);
            ToolCalls.call(client, RecoverySystemTool.NAME, Map.of("action", "recover", "server", "memory"));
            assertTrue(Notifications.within(logs, Duration.ofSeconds(30),
                    x -> x.data().contains("recovery_")).isPresent(), "back at info, restarts are heard of");
        } finally {
            client.closeGracefully();
        }
    }
}
