package dev.mcphealth.bench;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.time.Duration;
import java.util.Arrays;

/**
 * The baseline of {@link ColdStartBench}: the MCP Java SDK's own client, as a program of a few lines would use it, in a
 * fresh JVM: initialize, ping, close. {@code http URL} or {@code stdio COMMAND ARGS...}; {@code noop} does nothing (the
 * JVM's own start and exit). Exit 0 when the server answered. {@code http-quick URL}: the same, then the exit MCP
 * Health's programs take ({@code ProcessDefaults.exit}: the HTTP client's selector thread stopped first, so that the
 * JVM does not wait 300 ms for it), to show what of the difference is that wait.
 */
public final class BareSdkCheck {
    private BareSdkCheck() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("noop")) {
            return;
        }
        McpClientTransport transport;
        if (args[0].startsWith("http")) {
            transport = HttpClientStreamableHttpTransport.builder(args[1]).build();
        } else {
            StdioClientTransport stdio = new StdioClientTransport(ServerParameters.builder(args[1])
                    .args(Arrays.asList(args).subList(2, args.length)).build(), McpJsonDefaults.getMapper());
            stdio.setStdErrorHandler(line -> { });
            transport = stdio;
        }
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(10))
                .initializationTimeout(Duration.ofSeconds(10)).build();
        client.initialize();
        client.ping();
        client.closeGracefully();
        if (args[0].equals("http-quick")) {
            dev.mcphealth.infrastructure.di.ProcessDefaults.exit(0);
        }
        System.exit(0);
    }
}
