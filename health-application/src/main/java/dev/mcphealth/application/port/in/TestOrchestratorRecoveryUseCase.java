package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.orchestrator.OrchestratorHealth;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Recovery testing on the MCP Task Orchestrator, by its tool contract: {@code orchestrator_shutdown_prepare} (active
 * tasks, database, client connections), then, only if it is ready, {@code orchestrator_restart_server} (graceful,
 * state preserved, reason {@code manual_request}), {@code orchestrator_restart_status},
 * {@code orchestrator_reconnect_test} (buffer status, reconnection stats) and {@code orchestrator_health_check}. A
 * restart request can leave the orchestrator in maintenance mode, unhealthy until its process restarts (the
 * contract's observed quirk): when the health check then says {@code healthy: false}, MCP Health restarts the
 * orchestrator's process itself (it started it over stdio) and checks again. Recorded as a recovery_testing
 * integration row. Never throws for anything the orchestrator does.
 */
@FunctionalInterface
public interface TestOrchestratorRecoveryUseCase {

    RecoveryTest testRecovery();

    /**
     * Every step in the order made (skipped ones included); the orchestrator's health at the end (the last health
     * check); whether a restart of its process by MCP Health is what made it healthy again; when the test ran; and why
     * it could not be recorded, if it could not.
     */
    record RecoveryTest(List<OrchestratorStep> steps, OrchestratorHealth health, boolean healedByProcessRestart,
                        Instant startedAt, Instant finishedAt, Optional<String> storageProblem) {
        public RecoveryTest {
            steps = List.copyOf(steps);
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(finishedAt, "finishedAt");
            Objects.requireNonNull(storageProblem, "storageProblem");
            if (healedByProcessRestart && !(health.healthy() && steps.stream().anyMatch(s ->
                    s.tool().equals(OrchestratorStep.PROCESS_RESTART)
                            && s.outcome() == OrchestratorStep.Outcome.RESTARTED))) {
                throw new IllegalArgumentException("healed by a process restart needs a restarted process and a "
                        + "healthy orchestrator at the end");
            }
        }

        /** Whether the orchestrator was healthy at the end (by itself, or after MCP Health restarted it). */
        public boolean recovered() {
            return health.healthy();
        }
    }
}
