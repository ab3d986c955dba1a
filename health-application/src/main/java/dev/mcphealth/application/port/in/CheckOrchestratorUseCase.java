package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.orchestrator.OrchestratorHealth;
import java.util.Objects;
import java.util.Optional;

/**
 * Self-monitoring through the MCP Task Orchestrator's own health check ({@code orchestrator_health_check} with the
 * connection, database and reboot-readiness checks): what it says about itself, or why nothing is known. Each check is
 * recorded as a self_monitoring integration row. Never throws for anything the orchestrator does.
 */
@FunctionalInterface
public interface CheckOrchestratorUseCase {

    Checked checkOrchestrator();

    /** The orchestrator's health, and why the check could not be recorded, if it could not. */
    record Checked(OrchestratorHealth health, Optional<String> storageProblem) {
        public Checked {
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(storageProblem, "storageProblem");
        }
    }
}
