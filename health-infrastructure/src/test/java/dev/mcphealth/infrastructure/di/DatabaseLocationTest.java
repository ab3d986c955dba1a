package dev.mcphealth.infrastructure.di;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseLocationTest {
    private static final String HOME = "/home/me";
    private static final Map<String, String> ALL = Map.of(
            "MCP_HEALTH_DB", "/env/health.db", "XDG_STATE_HOME", "/xdg/state");

    @Test
    void theFlagWinsOverEverything() {
        assertEquals(Path.of("/flag/h.db"), DatabaseLocation.resolve(Optional.of(Path.of("/flag/h.db")), ALL, HOME));
    }

    @Test
    void thenTheMcpHealthDbVariable() {
        assertEquals(Path.of("/env/health.db"), DatabaseLocation.resolve(Optional.empty(), ALL, HOME));
        assertEquals(Path.of("relative.db"),
                DatabaseLocation.resolve(Optional.empty(), Map.of("MCP_HEALTH_DB", "relative.db"), HOME));
    }

    @Test
    void thenAnAbsoluteXdgStateHome() {
        assertEquals(Path.of("/xdg/state/mcp-health/health.db"),
                DatabaseLocation.resolve(Optional.empty(), Map.of("XDG_STATE_HOME", "/xdg/state"), HOME));
    }

    @Test
    void aRelativeOrBlankXdgStateHomeIsIgnored() {
        Path fallback = Path.of("/home/me/.local/state/mcp-health/health.db");
        assertEquals(fallback, DatabaseLocation.resolve(Optional.empty(), Map.of("XDG_STATE_HOME", "state"), HOME));
        assertEquals(fallback, DatabaseLocation.resolve(Optional.empty(), Map.of("XDG_STATE_HOME", " "), HOME));
    }

    @Test
    void aBlankMcpHealthDbIsIgnored() {
        assertEquals(Path.of("/xdg/state/mcp-health/health.db"), DatabaseLocation.resolve(Optional.empty(),
                Map.of("MCP_HEALTH_DB", "", "XDG_STATE_HOME", "/xdg/state"), HOME));
    }

    @Test
    void otherwiseTheHomeDirectory() {
        assertEquals(Path.of("/home/me/.local/state/mcp-health/health.db"),
                DatabaseLocation.resolve(Optional.empty(), Map.of(), HOME));
    }
}
