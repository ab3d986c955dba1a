package dev.mcphealth.infrastructure.di;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.mcphealth.infrastructure.persistence.DatabaseTarget;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseLocationTest {
    private static final String HOME = "/home/me";

    private static Path file(Optional<String> flag, Map<String, String> env) {
        return assertInstanceOf(DatabaseTarget.SqliteFile.class, DatabaseLocation.target(flag, env, HOME)).file();
    }
    private static final Map<String, String> ALL = Map.of(
            "MCP_HEALTH_DB", "/env/health.db", "XDG_STATE_HOME", "/xdg/state");

    @Test
    void theFlagWinsOverEverything() {
        assertEquals(Path.of("/flag/h.db"), file(Optional.of("/flag/h.db"), ALL));
    }

    @Test
    void thenTheMcpHealthDbVariable() {
        assertEquals(Path.of("/env/health.db"), file(Optional.empty(), ALL));
        assertEquals(Path.of("relative.db"),
                file(Optional.empty(), Map.of("MCP_HEALTH_DB", "relative.db")));
    }

    @Test
    void thenAnAbsoluteXdgStateHome() {
        assertEquals(Path.of("/xdg/state/mcp-health/health.db"),
                file(Optional.empty(), Map.of("XDG_STATE_HOME", "/xdg/state")));
    }

    @Test
    void aRelativeOrBlankXdgStateHomeIsIgnored() {
        Path fallback = Path.of("/home/me/.local/state/mcp-health/health.db");
        assertEquals(fallback, file(Optional.empty(), Map.of("XDG_STATE_HOME", "state")));
        assertEquals(fallback, file(Optional.empty(), Map.of("XDG_STATE_HOME", " ")));
    }

    @Test
    void aBlankMcpHealthDbIsIgnored() {
        assertEquals(Path.of("/xdg/state/mcp-health/health.db"), file(Optional.empty(),
                Map.of("MCP_HEALTH_DB", "", "XDG_STATE_HOME", "/xdg/state")));
    }

    @Test
    void aPostgresqlUrlFromTheFlagOrTheVariableIsADatabaseOnAServer() {
        assertEquals(new DatabaseTarget.Postgres("db", 5432, "health", "mcp", Optional.empty(), Map.of()),
                DatabaseLocation.target(Optional.of("postgresql://mcp@db/health"), ALL, HOME));
        assertEquals(new DatabaseTarget.Postgres("db", 5432, "health", "mcp", Optional.empty(), Map.of()),
                DatabaseLocation.target(Optional.empty(), Map.of("MCP_HEALTH_DB", "postgres://mcp@db/health"), HOME));
    }

    @Test
    void otherwiseTheHomeDirectory() {
        assertEquals(Path.of("/home/me/.local/state/mcp-health/health.db"),
                file(Optional.empty(), Map.of()));
    }
}
