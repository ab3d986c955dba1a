package dev.mcphealth.application.port.out;

import dev.mcphealth.domain.model.Coded;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where MCP Health records each use it makes of the MCP Task Orchestrator's own health tools (the design's
 * orchestrator_health_integration): which kind of integration, the tool, how it stands, when it was validated and
 * what the validation found.
 *
 * <p>Storage failures are {@link StorageUnavailableException}s.
 */
public interface OrchestratorIntegrationLogPort {

    /** Stores one entry. */
    void record(Entry entry);

    /** The latest {@code limit} entries of {@code type}, newest first (by validation time, then by arrival). */
    List<Entry> recent(IntegrationType type, int limit);

    /**
     * One validation. {@code results} is a JSON object of plain values (maps, lists, strings, numbers, booleans; no
     * nulls), copied deeply.
     */
    record Entry(IntegrationType type, OrchestratorTool tool, IntegrationStatus status, Instant validatedAt,
                 Map<String, Object> results) {
        public Entry {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(validatedAt, "validatedAt");
            results = JsonValues.object(results, "results");
        }
    }

    /** How MCP Health uses the orchestrator's tools. */
    enum IntegrationType implements Coded {
        /** The orchestrator's health check as part of MCP Health's own health (health_check results). */
        SELF_MONITORING("self_monitoring"),
        /** Reading or maintaining the orchestrator from outside: its status for dashboards, its cleanup. */
        EXTERNAL_MONITORING("external_monitoring"),
        /** Testing its restart and recovery. */
        RECOVERY_TESTING("recovery_testing");

        private final String code;

        IntegrationType(String code) {
            this.code = code;
        }

        @Override
        public String code() {
            return code;
        }

        public static IntegrationType fromCode(String code) {
            return Coded.parse(IntegrationType.class, code, "integration type");
        }
    }

    /** How the integration stood at the validation. */
    enum IntegrationStatus implements Coded {
        /** It worked: the orchestrator answered and said it was well. */
        ACTIVE("active"),
        /** Being tested (the design's; the workflows record their verdicts, active or failed). */
        TESTING("testing"),
        /** It did not work: no answer, an error, or the orchestrator said it was unhealthy. */
        FAILED("failed"),
        /** Turned off (the design's; with no orchestrator configured nothing is recorded at all). */
        DISABLED("disabled");

        private final String code;

        IntegrationStatus(String code) {
            this.code = code;
        }

        @Override
        public String code() {
            return code;
        }

        public static IntegrationStatus fromCode(String code) {
            return Coded.parse(IntegrationStatus.class, code, "integration status");
        }
    }
}
