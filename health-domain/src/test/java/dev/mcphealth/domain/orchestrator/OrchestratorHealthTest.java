package dev.mcphealth.domain.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link OrchestratorHealth}: a report with its checks and issues, or why nothing is known. */
class OrchestratorHealthTest {
    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void anUnhealthyReportKeepsItsChecksInOrderAndItsReasons() {
        Map<String, Object> readiness = new HashMap<>();
        readiness.put("ready", false);
        readiness.put("issues", List.of("Server already in maintenance mode"));
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("reboot_readiness", readiness);
        checks.put("database", Map.of("connected", true));

        OrchestratorHealth.Reported r = new OrchestratorHealth.Reported(false, checks,
                List.of("Server already in maintenance mode"), Optional.of("1.4.1"), AT);
        checks.clear();

        assertFalse(r.healthy());
        assertEquals(List.of("Server already in maintenance mode"), r.issues());
        assertEquals(List.of("reboot_readiness", "database"), List.copyOf(r.checks().keySet()), "copied, in order");
        assertThrows(UnsupportedOperationException.class, () -> r.checks().put("x", 1));
    }

    @Test
    void unknownIsNeverHealthyAndSaysWhy() {
        OrchestratorHealth.Unknown u = new OrchestratorHealth.Unknown("not delivered: breaker open", AT);
        assertFalse(u.healthy());
        assertEquals(AT, u.checkedAt());
        assertEquals("why must not be blank", assertThrows(IllegalArgumentException.class,
                () -> new OrchestratorHealth.Unknown(" ", AT)).getMessage());
        assertTrue(new OrchestratorHealth.Reported(true, Map.of(), List.of(), Optional.empty(), AT).healthy());
    }
}
