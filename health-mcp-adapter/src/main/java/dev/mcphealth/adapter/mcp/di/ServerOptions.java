package dev.mcphealth.adapter.mcp.di;

import dev.mcphealth.adapter.mcp.Gateway;
import dev.mcphealth.adapter.mcp.McpHealthServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code bin/mcp-health-server}'s flags (a picocli mixin of {@link ServerMain}) and what is wrong with them together:
 * the HTTP-only flags without {@code --http}, the limits, the token file.
 */
final class ServerOptions {
    static final String LOOPBACK = "127.0.0.1";

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "MCP client config (Claude Desktop/Code mcpServers or VS Code servers) naming the servers")
    Path config;

    @Option(names = "--db", paramLabel = "FILE|URL",
            description = "SQLite file, or PostgreSQL as postgresql://user@host:port/database (password from"
                    + " $PGPASSWORD or ~/.pgpass); default: $MCP_HEALTH_DB, else $XDG_STATE_HOME/mcp-health/health.db")
    String database;

    @Option(names = "--http", paramLabel = "PORT",
            description = "serve streamable HTTP on PORT (0: any free port; the URL is printed on stderr)")
    Integer httpPort;

    @Option(names = "--bind", paramLabel = "ADDR", description = "address to listen on with --http "
            + "(default: 127.0.0.1); anything but loopback requires --token-file")
    String bind;

    @Option(names = "--token-file", paramLabel = "FILE", description = "file holding the bearer token every HTTP "
            + "request must carry (Authorization: Bearer ...)")
    Path tokenFile;

    @Option(names = "--allow-host", paramLabel = "NAME[:PORT]", description = "another name clients may use in the "
            + "Host header with --http (repeatable; e.g. the machine's name behind --bind 0.0.0.0)")
    List<String> allowHosts = List.of();

    @Option(names = "--max-body", paramLabel = "BYTES", description = "largest HTTP request body accepted "
            + "(default: 1048576)")
    Integer maxBody;

    @Option(names = "--max-sessions", paramLabel = "N", description = "HTTP sessions held at once at most; a new "
            + "one beyond it is refused with 503 (default: " + McpHealthServer.DEFAULT_MAX_SESSIONS + ")")
    Integer maxSessions;

    @Option(names = "--session-idle", paramLabel = "SECONDS", description = "an HTTP session with no request and no "
            + "open stream for this long is closed (default: 1800)")
    Integer sessionIdle;

    @Option(names = "--gateway", description = "also serve every configured server type's tools, each once, named "
            + "TYPE__TOOL, each call through the resilient path: balancing, breakers, failover (docs/gateway.md)")
    boolean gateway;

    @Option(names = "--tools-refresh", paramLabel = "SECONDS", description = "with --gateway: list the upstreams'"
            + " tools again this often, and tell the clients what changed (default: 60; 1..86400)")
    Integer toolsRefresh;

    @Option(names = "--interval", paramLabel = "SECONDS",
            description = "probe every server this often instead of each one's intervalSeconds (1..86400)")
    Integer interval;

    /** How often the gateway lists the upstreams' tools again. */
    Duration toolsRefresh() {
        return toolsRefresh == null ? Gateway.REFRESH_EVERY : Duration.ofSeconds(toolsRefresh);
    }

    /** Whether it serves over stdio (no {@code --http}). */
    boolean stdio() {
        return httpPort == null;
    }

    /** The address it listens on with {@code --http}. */
    String address() {
        return bind == null ? LOOPBACK : bind;
    }

    /** What is wrong with the flags together, in one line; empty when nothing is. */
    Optional<String> usageProblem() {
        if (httpPort == null) {
            for (Object[] o : new Object[][] {{"--bind", bind}, {"--token-file", tokenFile},
                {"--max-body", maxBody}, {"--max-sessions", maxSessions}, {"--session-idle", sessionIdle}}) {
                if (o[1] != null) {
                    return Optional.of(o[0] + " needs --http PORT (stdio has no address, token, body limit or "
                            + "sessions)");
                }
            }
            if (!allowHosts.isEmpty()) {
                return Optional.of("--allow-host needs --http PORT");
            }
        } else if (httpPort < 0 || httpPort > 65535) {
            return Optional.of("--http must be a port from 0 to 65535, got " + httpPort);
        }
        if (maxBody != null && maxBody < 1024) {
            return Optional.of("--max-body must be at least 1024 bytes, got " + maxBody);
        }
        if (maxSessions != null && maxSessions < 1) {
            return Optional.of("--max-sessions must be at least 1, got " + maxSessions);
        }
        if (sessionIdle != null && (sessionIdle < 2 || sessionIdle > 86_400)) {
            return Optional.of("--session-idle must be 2..86400 seconds, got " + sessionIdle);
        }
        if (toolsRefresh != null && !gateway) {
            return Optional.of("--tools-refresh needs --gateway (only the gateway serves the upstreams' tools)");
        }
        if (toolsRefresh != null && (toolsRefresh < 1 || toolsRefresh > 86_400)) {
            return Optional.of("--tools-refresh must be 1..86400 seconds, got " + toolsRefresh);
        }
        if (interval != null && (interval < 1 || interval > 86_400)) {
            return Optional.of("--interval must be 1..86400 seconds, got " + interval);
        }
        return Optional.empty();
    }

    /** The HTTP server's settings from the flags, with {@code token}. */
    McpHealthServer.Http http(Optional<String> token) {
        return new McpHealthServer.Http(address(), httpPort, token,
                maxBody == null ? McpHealthServer.DEFAULT_MAX_BODY : maxBody, allowHosts,
                maxSessions == null ? McpHealthServer.DEFAULT_MAX_SESSIONS : maxSessions,
                sessionIdle == null ? McpHealthServer.DEFAULT_SESSION_IDLE : Duration.ofSeconds(sessionIdle));
    }

    /**
     * The token, trimmed; the file must exist, hold one non-empty line, and should not be readable by others (a
     * warning on {@code err} when it is).
     *
     * @throws IllegalArgumentException saying what is wrong with the file, in one line
     */
    Optional<String> readToken(PrintStream err) {
        if (tokenFile == null) {
            return Optional.empty();
        }
        return Optional.of(dev.mcphealth.adapter.web.WebServer.readToken(tokenFile,
                warning -> err.println("mcp-health-server: warning: " + warning)));
    }
}
