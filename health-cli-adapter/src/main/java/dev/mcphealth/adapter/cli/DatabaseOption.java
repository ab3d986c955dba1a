package dev.mcphealth.adapter.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --db FILE}: the SQLite database, the same flag and default for every command. */
public final class DatabaseOption {

    @Option(names = "--db", paramLabel = "FILE",
            description = "SQLite database; default: $MCP_HEALTH_DB, else $XDG_STATE_HOME/mcp-health/health.db")
    private Path file;

    /** The file given, or empty for the default the session resolves from the environment. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }
}
