package dev.mcphealth.application.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.Entry;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationStatus;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link OrchestratorIntegrationLogPort} does: entries read back as recorded (results as JSON values),
 * by type, newest first, at most as many as asked. Run against {@link InMemoryOrchestratorIntegrationLog} and, in
 * health-infrastructure, against SQLite ({@code SqliteOrchestratorIntegrationLogIT}).
 */
public abstract class OrchestratorIntegrationLogContract {
    protected static final Instant T0 = Instant.parse("2026-11-23T10:00:00.125Z");

    /** A fresh, empty log. */
    protected abstract OrchestratorIntegrationLogPort log();

    protected static Map<String, Object> results() {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("tool", "orchestrator_health_check");
        step.put("outcome", "answered");
        step.put("detail", "unhealthy: Server already in maintenance mode");
        step.put("answer", Map.of("healthy", false, "checks", Map.of("reboot_readiness",
                Map.of("ready", false, "issues", List.of("Server already in maintenance mode"))),
                "progress", 0.5, "active_connections", 3));
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("steps", List.of(step));
        results.put("healthy", false);
        return results;
    }

    protected static Entry entry(IntegrationType type, IntegrationStatus status, Instant at) {
        return new Entry(type, OrchestratorTool.HEALTH_CHECK, status, at, Map.of("healthy",
                status == IntegrationStatus.ACTIVE));
    }

    @Test
    void anEntryComesBackAsRecorded() {
        OrchestratorIntegrationLogPort log = log();
        Entry entry = new Entry(IntegrationType.RECOVERY_TESTING, OrchestratorTool.RESTART_SERVER,
                IntegrationStatus.FAILED, T0, results());

        log.record(entry);

        assertEquals(List.of(entry), log.recent(IntegrationType.RECOVERY_TESTING, 10));
    }

    @Test
    void recentIsOneTypeNewestFirstAndAtMostTheLimit() {
        OrchestratorIntegrationLogPort log = log();
        Entry first = entry(IntegrationType.SELF_MONITORING, IntegrationStatus.ACTIVE, T0);
        Entry other = entry(IntegrationType.EXTERNAL_MONITORING, IntegrationStatus.ACTIVE, T0.plusSeconds(1));
        Entry second = entry(IntegrationType.SELF_MONITORING, IntegrationStatus.FAILED, T0.plusSeconds(2));
        Entry third = entry(IntegrationType.SELF_MONITORING, IntegrationStatus.ACTIVE, T0.plusSeconds(3));
        for (Entry e : List.of(first, other, second, third)) {
            log.record(e);
        }

        assertEquals(List.of(third, second, first), log.recent(IntegrationType.SELF_MONITORING, 10));
        assertEquals(List.of(third, second), log.recent(IntegrationType.SELF_MONITORING, 2));
        assertEquals(List.of(other), log.recent(IntegrationType.EXTERNAL_MONITORING, 10));
        assertEquals(List.of(), log.recent(IntegrationType.RECOVERY_TESTING, 10));
    }

    @Test
    void entriesOfOneMomentAreNewestFirstByArrival() {
        OrchestratorIntegrationLogPort log = log();
        Entry a = entry(IntegrationType.SELF_MONITORING, IntegrationStatus.ACTIVE, T0);
        Entry b = entry(IntegrationType.SELF_MONITORING, IntegrationStatus.FAILED, T0);
        log.record(a);
        log.record(b);

        assertEquals(List.of(b, a), log.recent(IntegrationType.SELF_MONITORING, 10));
    }

    @Test
    void theValidationTimeOrdersEntriesNotTheirArrival() {
        OrchestratorIntegrationLogPort log = log();
        Entry later = entry(IntegrationType.SELF_MONITORING, IntegrationStatus.ACTIVE, T0.plusSeconds(60));
        Entry earlier = entry(IntegrationType.SELF_MONITORING, IntegrationStatus.FAILED, T0);
        log.record(later);
        log.record(earlier);

        assertEquals(List.of(later, earlier), log.recent(IntegrationType.SELF_MONITORING, 10));
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> log().recent(IntegrationType.SELF_MONITORING, 0));
    }
}
