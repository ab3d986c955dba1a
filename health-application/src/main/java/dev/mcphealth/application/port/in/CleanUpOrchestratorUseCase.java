package dev.mcphealth.application.port.in;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The maintenance cleanup after a performance optimization ({@code orchestrator_maintenance_coordinator}: action
 * scan_cleanup, scope current_session, validation_level comprehensive), recorded as an external_monitoring
 * integration row. Never throws for anything the orchestrator does.
 */
@FunctionalInterface
public interface CleanUpOrchestratorUseCase {

    Cleanup cleanupAfterOptimization();

    /** The one step (its answer holds maintenance_results and summary), when it ran, and any storage problem. */
    record Cleanup(OrchestratorStep step, Instant at, Optional<String> storageProblem) {
        public Cleanup {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(storageProblem, "storageProblem");
        }

        /** Whether the orchestrator did the cleanup (it answered without an error). */
        public boolean done() {
            return step.outcome() == OrchestratorStep.Outcome.ANSWERED;
        }
    }
}
