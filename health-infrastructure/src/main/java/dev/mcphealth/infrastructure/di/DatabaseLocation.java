package dev.mcphealth.infrastructure.di;

import dev.mcphealth.infrastructure.persistence.DatabaseTarget;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which database a run uses: the one given (a SQLite file, or a {@code postgresql://} URL), else $MCP_HEALTH_DB (the
 * same two forms), else the SQLite file under the XDG state directory ($XDG_STATE_HOME, default ~/.local/state):
 * mcp-health/health.db.
 */
public final class DatabaseLocation {
    public static final String ENV = "MCP_HEALTH_DB";

    private DatabaseLocation() {
    }

    /**
     * The database {@code flag} names, else the environment's.
     *
     * @throws IllegalArgumentException with one sentence when the URL given cannot be used (never its password)
     */
    public static DatabaseTarget target(Optional<String> flag, Map<String, String> env, String userHome) {
        if (flag.isPresent()) {
            return DatabaseTarget.parse(flag.get(), env);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return DatabaseTarget.parse(fromEnv, env);
        }
        String state = env.get("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() && Path.of(state).isAbsolute()
                ? Path.of(state) : Path.of(userHome, ".local", "state");
        return new DatabaseTarget.SqliteFile(base.resolve("mcp-health").resolve("health.db"));
    }
}
