package dev.mcphealth.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A TEST DOUBLE of an MCP server behind HTTP that answers every request with one fixed status (401, 403, 429, 500...)
 * and a JSON body that is not JSON-RPC and echoes the credential it was sent: conditions no real server here produces
 * on demand. Listens on 127.0.0.1 only.
 */
public final class StatusCodeServerDouble implements AutoCloseable {
    private final HttpServer server;
    private volatile String lastAuthorization;

    private StatusCodeServerDouble(HttpServer server) {
        this.server = server;
    }

    public static StatusCodeServerDouble answering(int status) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            StatusCodeServerDouble d = new StatusCodeServerDouble(server);
            server.createContext("/", exchange -> {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                d.lastAuthorization = authorization;
                try (InputStream in = exchange.getRequestBody()) {
                    in.readAllBytes();
                }
                // like careless real servers, it echoes the bare credential it was sent
                String bare = authorization == null ? "" : authorization.replaceFirst("^\\S+\\s+", "");
                byte[] body = ("{\"error\":\"status " + status + " from the test double\",\"seen\":\"" + bare + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                if (status == 429) {
                    exchange.getResponseHeaders().add("Retry-After", "12");
                }
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/mcp";
    }

    public String lastAuthorization() {
        return lastAuthorization;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
