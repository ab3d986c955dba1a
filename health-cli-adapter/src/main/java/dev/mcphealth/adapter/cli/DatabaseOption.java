package dev.mcphealth.adapter.cli;

import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --db FILE|URL}: the database, the same flag and default for every command. */
public final class DatabaseOption {

    @Option(names = "--db", paramLabel = "FILE|URL",
            description = "SQLite file, or PostgreSQL as postgresql://user@host:port/database (password from"
                    + " $PGPASSWORD or ~/.pgpass; docs/storage.md); default: $MCP_HEALTH_DB, else"
                    + " $XDG_STATE_HOME/mcp-health/health.db")
    private String location;

    /** The database given, or empty for the default the session resolves from the environment. */
    public Optional<String> file() {
        return Optional.ofNullable(location);
    }
}
