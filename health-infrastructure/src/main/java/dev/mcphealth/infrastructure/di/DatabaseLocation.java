package dev.mcphealth.infrastructure.di;

import dev.mcphealth.infrastructure.probe.ChildEnvironment;
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
            return own(DatabaseTarget.parse(flag.get(), env));
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return own(DatabaseTarget.parse(fromEnv, env));
        }
        String state = env.get("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() && Path.of(state).isAbsolute()
                ? Path.of(state) : Path.of(userHome, ".local", "state");
        return new DatabaseTarget.SqliteFile(base.resolve("mcp-health").resolve("health.db"));
    }

    /**
     * {@code target}, and when it is PostgreSQL, its password in the environment ({@code PGPASSWORD}) is MCP Health's
     * own: the servers it starts do not inherit it ({@link ChildEnvironment#keepFromServers}). On SQLite they inherit
     * it as any other variable (a PostgreSQL MCP server may rely on it).
     */
    private static DatabaseTarget own(DatabaseTarget target) {
        if (!(target instanceof DatabaseTarget.SqliteFile)) {
            ChildEnvironment.keepFromServers("PGPASSWORD");
        }
        return target;
    }
}
