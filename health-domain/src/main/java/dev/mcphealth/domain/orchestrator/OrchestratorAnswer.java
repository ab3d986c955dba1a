package dev.mcphealth.domain.orchestrator;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an orchestrator's answer says, as far as MCP Health reads it, one type per tool: the adapter reads the wire
 * format (its JSON keys, its naive timestamps, its quirks) into these, so the core never reads a key. What an answer
 * leaves out is empty here; a value of the wrong JSON type is as good as absent.
 */
public sealed interface OrchestratorAnswer permits OrchestratorAnswer.Taken, OrchestratorAnswer.Planned,
        OrchestratorAnswer.SessionOpened, OrchestratorAnswer.Subtasks, OrchestratorAnswer.Synthesized,
        OrchestratorAnswer.HealthReport, OrchestratorAnswer.StatusReport, OrchestratorAnswer.CleanupReport,
        OrchestratorAnswer.ShutdownReadiness, OrchestratorAnswer.RestartRequested, OrchestratorAnswer.RestartProgress,
        OrchestratorAnswer.ReconnectReport {

    /**
     * An answer to execute_task, complete_task or update_task: MCP Health reads nothing from it but the task it names,
     * if it names one (kept with the outbox's record, so that reconciliation knows the task).
     */
    record Taken(Optional<String> taskId) implements OrchestratorAnswer {
        /** An answer naming no task. */
        public static final Taken NONE = new Taken(Optional.empty());

        public Taken {
            Objects.requireNonNull(taskId, "taskId");
        }
    }

    /** plan_task: the id of the task it created, if it answered one. */
    record Planned(Optional<String> taskId) implements OrchestratorAnswer {
        public Planned {
            Objects.requireNonNull(taskId, "taskId");
        }
    }

    /** initialize_session: the session id it answered, if any. */
    record SessionOpened(Optional<String> sessionId) implements OrchestratorAnswer {
        public SessionOpened {
            Objects.requireNonNull(sessionId, "sessionId");
        }
    }

    /**
     * query_tasks: the status of each task it listed, in its order ({@code unknown} for an entry that is not a task;
     * {@code null} as text for one without a status); empty when it answered no task list.
     */
    record Subtasks(Optional<List<String>> statuses) implements OrchestratorAnswer {
        public Subtasks {
            statuses = Objects.requireNonNull(statuses, "statuses").map(List::copyOf);
        }
    }

    /** synthesize_results: its counts of the subtasks (when it gave all three) and how many key outcomes it named. */
    record Synthesized(Optional<Counts> counts, int keyOutcomes) implements OrchestratorAnswer {
        public Synthesized {
            Objects.requireNonNull(counts, "counts");
        }

        /** Whole, non-negative counts. */
        public record Counts(int total, int completed, int failed) {
        }
    }

    /**
     * health_check: whether it says it is healthy (empty when it answered no boolean), its checks as it gave them (key
     * order kept, nested values as answered), the reasons it gave for being unhealthy (its reboot-readiness check's
     * issues) and its version.
     */
    record HealthReport(Optional<Boolean> healthy, Map<String, Object> checks, List<String> issues,
                        Optional<String> version) implements OrchestratorAnswer {
        public HealthReport {
            Objects.requireNonNull(healthy, "healthy");
            checks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(checks));
            issues = List.copyOf(issues);
            Objects.requireNonNull(version, "version");
        }
    }

    /**
     * get_status: whether the server says it is healthy and in maintenance, its task lists by name ({@code active},
     * {@code pending}, {@code failed}, {@code completed}; a list it did not answer is missing) and its response time.
     */
    record StatusReport(Optional<Boolean> serverHealthy, Optional<Boolean> maintenance, Map<String, TaskList> lists,
                        Optional<Double> responseMs) implements OrchestratorAnswer {
        /**
         * Its task lists, in the order they are shown: active (active and in_progress), pending, failed; and
         * completed, which it answers only when asked.
         */
        public static final List<String> LISTS = List.of("active", "pending", "failed", "completed");

        public StatusReport {
            Objects.requireNonNull(serverHealthy, "serverHealthy");
            Objects.requireNonNull(maintenance, "maintenance");
            lists = Map.copyOf(lists);
            Objects.requireNonNull(responseMs, "responseMs");
        }
    }

    /** One task list: how many it holds in all ({@code count}), whether it has further pages, the tasks listed. */
    record TaskList(long count, boolean more, List<ListedTask> tasks) {
        public TaskList {
            tasks = List.copyOf(tasks);
        }
    }

    /**
     * A listed task as MCP Health matches it: its id, title, description, parent and when it was created, and whether
     * its title, description and parent are each text or absent ({@code textFields}): one with another type there (a
     * number, an object) is no plan of MCP Health's, which sends only text.
     */
    record ListedTask(Optional<String> taskId, Optional<String> title, Optional<String> description,
                      Optional<String> parentTaskId, Optional<Instant> createdAt, boolean textFields) {
        public ListedTask {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(parentTaskId, "parentTaskId");
            Objects.requireNonNull(createdAt, "createdAt");
        }
    }

    /** maintenance_coordinator's scan_cleanup: the tasks it scanned and the issues it found, when it said. */
    record CleanupReport(OptionalLong scanned, OptionalLong issuesFound) implements OrchestratorAnswer {
        public CleanupReport {
            Objects.requireNonNull(scanned, "scanned");
            Objects.requireNonNull(issuesFound, "issuesFound");
        }
    }

    /** shutdown_prepare: whether it said it is ready, and what blocks it. */
    record ShutdownReadiness(boolean ready, List<String> blocking) implements OrchestratorAnswer {
        public ShutdownReadiness {
            blocking = List.copyOf(blocking);
        }
    }

    /** restart_server: the phase it answered, as text. */
    record RestartRequested(Optional<String> phase) implements OrchestratorAnswer {
        public RestartRequested {
            Objects.requireNonNull(phase, "phase");
        }
    }

    /**
     * restart_status: its current status, when it answered one: the phase and progress as text, whether it is in
     * maintenance mode, its errors.
     */
    record RestartProgress(Optional<Current> current) implements OrchestratorAnswer {
        public RestartProgress {
            Objects.requireNonNull(current, "current");
        }

        public record Current(Optional<String> phase, Optional<String> progress, boolean maintenance,
                              List<String> errors) {
            public Current {
                Objects.requireNonNull(phase, "phase");
                Objects.requireNonNull(progress, "progress");
                errors = List.copyOf(errors);
            }
        }
    }

    /** reconnect_test: its overall status, as text. */
    record ReconnectReport(Optional<String> overallStatus) implements OrchestratorAnswer {
        public ReconnectReport {
            Objects.requireNonNull(overallStatus, "overallStatus");
        }
    }
}
