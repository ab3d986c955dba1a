package dev.mcphealth.application.port.in;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The MCP Task Orchestrator's status for dashboards ({@code orchestrator_get_status} without completed tasks): whether
 * it says it is healthy or in maintenance mode, its open and failed tasks, and how fast it answered. Each reading is recorded
 * as an external_monitoring integration row. Never throws for anything the orchestrator does.
 */
@FunctionalInterface
public interface ReadOrchestratorStatusUseCase {

    Status status();

    /** One reading: {@link Retrieved} or {@link Unavailable}; {@code storageProblem} if it could not be recorded. */
    sealed interface Status permits Retrieved, Unavailable {
        Instant at();

        Optional<String> storageProblem();
    }

    /**
     * What it answered. {@code serverHealthy} and {@code maintenanceMode} are its {@code system_status}, empty when it
     * left them out. The counts are its task lists' ({@code active_tasks}: active and in_progress,
     * {@code pending_tasks}, {@code failed_tasks}; completed tasks are not asked for): {@code tasksByStatus} has each
     * list's {@code total_count} under {@code active}, {@code pending}, {@code failed}, {@code totalTasks} their sum and
     * {@code openTasks} the active and pending ones. (Its {@code task_summary} is wrong, so it is never read.)
     * {@code responseTimeMs} is its own measure, when given.
     */
    record Retrieved(Optional<Boolean> serverHealthy, Optional<Boolean> maintenanceMode, long totalTasks,
                     Map<String, Long> tasksByStatus, long openTasks, Optional<Double> responseTimeMs, Instant at,
                     Optional<String> storageProblem) implements Status {
        public Retrieved {
            Objects.requireNonNull(serverHealthy, "serverHealthy");
            Objects.requireNonNull(maintenanceMode, "maintenanceMode");
            if (totalTasks < 0 || openTasks < 0) {
                throw new IllegalArgumentException("task counts cannot be negative");
            }
            tasksByStatus = Collections.unmodifiableMap(new LinkedHashMap<>(tasksByStatus));
            Objects.requireNonNull(responseTimeMs, "responseTimeMs");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(storageProblem, "storageProblem");
        }
    }

    /** No status: {@code why} in one line ("not delivered: ...", "refused: ...", "no answer: ..."). */
    record Unavailable(String why, Instant at, Optional<String> storageProblem) implements Status {
        public Unavailable {
            if (why == null || why.isBlank()) {
                throw new IllegalArgumentException("why must not be blank");
            }
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(storageProblem, "storageProblem");
        }
    }
}
