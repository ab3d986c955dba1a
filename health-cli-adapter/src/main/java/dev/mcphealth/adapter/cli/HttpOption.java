package dev.mcphealth.adapter.cli;

import dev.mcphealth.adapter.web.WebServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --http PORT [--bind ADDRESS] [--token-file FILE]}: where a command serves the web dashboard (docs/dashboard.md),
 * declared once for {@code watch} and {@code dashboard}.
 */
public final class HttpOption {
    static final String LOOPBACK = "127.0.0.1";

    @Option(names = "--http", paramLabel = "PORT",
            description = "serve the dashboard, the read API (/api/v1) and badges on this port (0: any free one), and /metrics from a running monitor; see docs/dashboard.md")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = LOOPBACK,
            description = "with --http: the address to listen on; any but loopback needs --token-file (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "with --http: a file holding the bearer token every request must carry (a browser gets it once as ?token=, then a cookie)")
    Path tokenFile;

    /**
     * Where to serve, checked before anything starts; empty without {@code --http}. {@code --bind} or
     * {@code --token-file} without it, a port outside 0..65535 and a token file that cannot be used are one sentence
     * each.
     */
    Optional<WebServer.Settings> settings(CommandSpec spec, PrintWriter err) {
        if (port == null) {
            if (tokenFile != null || !LOOPBACK.equals(bind)) {
                throw new ParameterException(spec.commandLine(), (tokenFile != null ? "--token-file" : "--bind")
                        + " needs --http PORT");
            }
            return Optional.empty();
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--http must be a port 0..65535, got " + port);
        }
        Optional<String> token = Optional.empty();
        if (tokenFile != null) {
            try {
                token = Optional.of(WebServer.readToken(tokenFile, w -> err.println("mcp-health: warning: " + w)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage()); // it names the flag
            }
        }
        return Optional.of(new WebServer.Settings(bind, port, token, List.of()));
    }
}
