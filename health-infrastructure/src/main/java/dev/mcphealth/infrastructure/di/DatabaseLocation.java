package dev.mcphealth.infrastructure.di;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the database lives when no --db is given: $MCP_HEALTH_DB, else the XDG state directory
 * ($XDG_STATE_HOME, default ~/.local/state) under mcp-health/health.db.
 */
public final class DatabaseLocation {
    public static final String ENV = "MCP_HEALTH_DB";

    private DatabaseLocation() {
    }

    public static Path resolve(Optional<Path> flag, Map<String, String> env, String userHome) {
        if (flag.isPresent()) {
            return flag.get();
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        String state = env.get("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() && Path.of(state).isAbsolute()
                ? Path.of(state) : Path.of(userHome, ".local", "state");
        return base.resolve("mcp-health").resolve("health.db");
    }
}
