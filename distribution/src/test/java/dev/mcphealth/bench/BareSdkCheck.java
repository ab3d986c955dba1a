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
 * JVM's own start and exit). Exit 0 when the server answered.
 */
public final class BareSdkCheck {
    private BareSdkCheck() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("noop")) {
            return;
        }
        McpClientTransport transport;
        if (args[0].equals("http")) {
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
        System.exit(0);
    }
}
