package dev.mcphealth.infrastructure.probe;

import dev.mcphealth.infrastructure.config.Endpoint;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.net.URI;
import java.time.Duration;

/** Opens connections: our own stdio transport, or the SDK's streamable HTTP and SSE transports. */
final class Transports {
    private final McpJsonMapper mapper;

    Transports(McpJsonMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @throws ServerStartException when a stdio command cannot start
     */
    @SuppressWarnings("deprecation") // HTTP+SSE is deprecated by the protocol, and still what some servers speak
    Connection open(Endpoint endpoint, Duration connectTimeout) {
        if (endpoint instanceof Endpoint.Stdio stdio) {
            ProcessStdioTransport transport = new ProcessStdioTransport(stdio, mapper);
            transport.start();
            return Connection.over(transport);
        }
        if (endpoint instanceof Endpoint.Http http) {
            URI url = http.url();
            String base = url.getScheme() + "://" + url.getRawAuthority();
            String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                    + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
            McpSyncHttpClientRequestCustomizer headers = (builder, method, uri, body, context) ->
                    http.headers().forEach(builder::setHeader);
            if (http.sse()) {
                return Connection.over(HttpClientSseClientTransport.builder(base).sseEndpoint(path).jsonMapper(mapper)
                        .connectTimeout(connectTimeout).customizeClient(Transports::http11)
                        .addHttpRequestCustomizer(headers).build());
            }
            // A fresh transport per connection: the SDK's keeps a failed first POST's (null) session id.
            return Connection.over(HttpClientStreamableHttpTransport.builder(base).endpoint(path).jsonMapper(mapper)
                    .connectTimeout(connectTimeout).customizeClient(Transports::http11)
                    .addHttpRequestCustomizer(headers).build());
        }
        throw new IllegalArgumentException("unknown endpoint " + endpoint);
    }

    /**
     * HTTP/1.1 only: the JDK client otherwise offers an h2c upgrade on cleartext connections, which Node servers
     * answer by closing the connection under an open SSE stream ("header parser received no bytes").
     */
    private static void http11(java.net.http.HttpClient.Builder builder) {
        builder.version(java.net.http.HttpClient.Version.HTTP_1_1);
    }
}
