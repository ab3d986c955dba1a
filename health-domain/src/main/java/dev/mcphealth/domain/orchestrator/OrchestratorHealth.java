package dev.mcphealth.domain.orchestrator;

import dev.mcphealth.domain.model.Text;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the MCP Task Orchestrator's own {@code orchestrator_health_check} said about it at one moment: a report (its
 * {@code healthy} and its {@code checks}), or why there is none (it did not get the call, it refused it, no answer
 * came, or the answer held no {@code healthy}). Self-monitoring puts it beside MCP Health's own health.
 */
public sealed interface OrchestratorHealth permits OrchestratorHealth.Reported, OrchestratorHealth.Unknown {

    /** When the check was made (MCP Health's clock). */
    Instant checkedAt();

    /** True only for a report that says healthy. */
    boolean healthy();

    /**
     * The orchestrator answered: {@code healthy} as it said, its {@code checks} as answered (reboot_readiness,
     * database, connections; key order kept), the reasons it gave for being unhealthy ({@code issues}: its
     * reboot-readiness check's, the only check that makes it unhealthy, as in "Server already in maintenance mode";
     * empty when it gave none) and its {@code server_version} when given.
     */
    record Reported(boolean healthy, Map<String, Object> checks, List<String> issues, Optional<String> serverVersion,
                    Instant checkedAt) implements OrchestratorHealth {
        public Reported {
            checks = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(checks, "checks")));
            issues = List.copyOf(issues);
            Objects.requireNonNull(serverVersion, "serverVersion");
            Objects.requireNonNull(checkedAt, "checkedAt");
        }
    }

    /** No report: {@code why} in one line ("not delivered: ...", "refused: ...", "no answer: ..."). */
    record Unknown(String why, Instant checkedAt) implements OrchestratorHealth {
        public Unknown {
            Text.requireText(why, "why");
            Objects.requireNonNull(checkedAt, "checkedAt");
        }

        @Override
        public boolean healthy() {
            return false;
        }
    }
}
