package dev.mcphealth.infrastructure.orchestrator;

import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer.ListedTask;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer.TaskList;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.StringJoiner;

/**
 * Reads an orchestrator's JSON answer to one tool into what it says ({@link OrchestratorAnswer}), by its contract
 * (../shared/reference/orchestrator-contract.md): the one place that knows its keys. Pure: the same object always reads
 * the same, whether it just came or was read back from the outbox.
 */
public final class AnswerReader {
    /** The keys that say how a call went, in a one-line gist. */
    private static final List<String> GIST_KEYS = List.of("status", "success", "task_id", "session_id", "healthy");

    private AnswerReader() {
    }

    /** {@code json}, answered to {@code tool}, as a reply that says what it read. */
    public static OrchestratorReply.Answered answered(OrchestratorTool tool, Map<String, Object> json) {
        return new OrchestratorReply.Answered(read(tool, json), gist(json), json);
    }

    /** What {@code json} says as an answer to {@code tool}. */
    static OrchestratorAnswer read(OrchestratorTool tool, Map<String, Object> json) {
        return switch (tool) {
            case PLAN_TASK -> new OrchestratorAnswer.Planned(text(json.get("task_id")));
            case INITIALIZE_SESSION -> new OrchestratorAnswer.SessionOpened(text(json.get("session_id")));
            case QUERY_TASKS -> new OrchestratorAnswer.Subtasks(statuses(json.get("tasks")));
            case SYNTHESIZE_RESULTS -> synthesized(json);
            case HEALTH_CHECK -> {
                Map<String, Object> checks = object(json.get("checks"));
                yield new OrchestratorAnswer.HealthReport(bool(json.get("healthy")), checks,
                        checks.get("reboot_readiness") instanceof Map<?, ?> readiness
                                ? texts(readiness.get("issues")) : List.of(), text(json.get("server_version")));
            }
            case GET_STATUS -> status(json);
            case MAINTENANCE_COORDINATOR -> {
                Map<String, Object> summary = object(json.get("summary"));
                yield new OrchestratorAnswer.CleanupReport(whole(summary.get("total_tasks_scanned")),
                        whole(summary.get("issues_found")));
            }
            case SHUTDOWN_PREPARE -> new OrchestratorAnswer.ShutdownReadiness(
                    Boolean.TRUE.equals(json.get("ready_for_shutdown")), texts(json.get("blocking_issues")));
            case RESTART_SERVER -> new OrchestratorAnswer.RestartRequested(scalar(json.get("phase")));
            case RESTART_STATUS -> new OrchestratorAnswer.RestartProgress(json.get("current_status")
                    instanceof Map<?, ?> current ? Optional.of(current(stringKeys(current))) : Optional.empty());
            case RECONNECT_TEST -> new OrchestratorAnswer.ReconnectReport(scalar(json.get("overall_status")));
            case EXECUTE_TASK, COMPLETE_TASK, UPDATE_TASK -> new OrchestratorAnswer.Taken(text(json.get("task_id")));
        };
    }

    /** The keys that say how it went ({@code status=…, task_id=…}), or {@code answered} when it has none. */
    static String gist(Map<String, Object> json) {
        StringJoiner j = new StringJoiner(", ");
        for (String key : GIST_KEYS) {
            Object v = json.get(key);
            if (v instanceof String || v instanceof Boolean) {
                j.add(key + "=" + v);
            }
        }
        return j.length() == 0 ? "answered" : j.toString();
    }

    private static Optional<List<String>> statuses(Object tasks) {
        if (!(tasks instanceof List<?> list)) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (Object t : list) {
            out.add(t instanceof Map<?, ?> m ? String.valueOf(m.get("status")) : "unknown");
        }
        return Optional.of(out);
    }

    private static OrchestratorAnswer.Synthesized synthesized(Map<String, Object> json) {
        if (!(json.get("synthesis_results") instanceof Map<?, ?> results)
                || !(results.get("metrics") instanceof Map<?, ?> metrics)) {
            return new OrchestratorAnswer.Synthesized(Optional.empty(), 0);
        }
        Optional<Integer> total = count(metrics.get("total_subtasks"));
        Optional<Integer> completed = count(metrics.get("completed_count"));
        Optional<Integer> failed = count(metrics.get("failed_count"));
        int outcomes = results.get("key_outcomes") instanceof List<?> l ? l.size() : 0;
        if (total.isEmpty() || completed.isEmpty() || failed.isEmpty()) {
            return new OrchestratorAnswer.Synthesized(Optional.empty(), outcomes);
        }
        return new OrchestratorAnswer.Synthesized(Optional.of(new OrchestratorAnswer.Synthesized.Counts(
                total.get(), completed.get(), failed.get())), outcomes);
    }

    private static OrchestratorAnswer.StatusReport status(Map<String, Object> json) {
        Map<String, Object> system = object(json.get("system_status"));
        Map<String, Object> metrics = object(json.get("metrics"));
        // the counts are in its lists; its task_summary is wrong (the contract: each count is 12, or null) and is
        // never read
        Map<String, TaskList> lists = new LinkedHashMap<>();
        // each list under <name>_tasks
        for (String name : OrchestratorAnswer.StatusReport.LISTS) {
            taskList(json.get(name + "_tasks")).ifPresent(l -> lists.put(name, l));
        }
        Optional<Double> responseMs = metrics.get("response_time_ms") instanceof Number n
                ? Optional.of(n.doubleValue()) : Optional.empty();
        return new OrchestratorAnswer.StatusReport(bool(system.get("server_healthy")),
                bool(system.get("maintenance_mode")), lists, responseMs);
    }

    /**
     * One of get_status's task lists, {@code {success, tasks[], total_count, page_count, current_page, page_size,
     * has_more, ...}}: its count is {@code total_count}, else the tasks it holds; {@code more} when it has further
     * pages. An older shape is the list itself.
     */
    static Optional<TaskList> taskList(Object list) {
        if (list instanceof List<?> plain) {
            return Optional.of(new TaskList(plain.size(), false, tasks(plain)));
        }
        if (!(list instanceof Map<?, ?> m)) {
            return Optional.empty();
        }
        List<ListedTask> tasks = m.get("tasks") instanceof List<?> l ? tasks(l) : List.of();
        long count = m.get("total_count") instanceof Number n && n.longValue() >= 0 ? n.longValue() : tasks.size();
        return Optional.of(new TaskList(Math.max(count, tasks.size()), Boolean.TRUE.equals(m.get("has_more")),
                tasks));
    }

    private static List<ListedTask> tasks(List<?> items) {
        List<ListedTask> out = new ArrayList<>();
        for (Object o : items) {
            if (o instanceof Map<?, ?> t) {
                boolean textFields = java.util.stream.Stream.of("title", "description", "parent_task_id")
                        .map(t::get).allMatch(v -> v == null || v instanceof String);
                out.add(new ListedTask(string(t.get("task_id")), string(t.get("title")),
                        string(t.get("description")), string(t.get("parent_task_id")), naiveUtc(t.get("created_at")),
                        textFields));
            }
        }
        return out;
    }

    private static OrchestratorAnswer.RestartProgress.Current current(Map<String, Object> c) {
        return new OrchestratorAnswer.RestartProgress.Current(scalar(c.get("phase")),
                c.get("progress") instanceof Number p ? Optional.of(String.valueOf(p)) : Optional.empty(),
                Boolean.TRUE.equals(c.get("maintenance_mode")), texts(c.get("errors")));
    }

    /** The orchestrator's timestamps: naive UTC ISO strings (an offset is read too). */
    static Optional<Instant> naiveUtc(Object value) {
        if (!(value instanceof String s) || s.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(OffsetDateTime.parse(s).toInstant());
            } catch (DateTimeParseException again) {
                return Optional.empty();
            }
        }
    }

    /** A non-blank string. */
    private static Optional<String> text(Object v) {
        return v instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }

    /** Any string, blank included (as the task list's fields are compared as given). */
    private static Optional<String> string(Object v) {
        return v instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** A string, number or boolean, as text. */
    private static Optional<String> scalar(Object v) {
        return v instanceof String || v instanceof Number || v instanceof Boolean ? Optional.of(String.valueOf(v))
                : Optional.empty();
    }

    private static Optional<Boolean> bool(Object v) {
        return v instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }

    private static OptionalLong whole(Object v) {
        return v instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    }

    private static Optional<Integer> count(Object value) {
        return value instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() == Math.rint(n.doubleValue())
                ? Optional.of(n.intValue()) : Optional.empty();
    }

    /** The non-null items of a list, as text; none when it is not a list. */
    private static List<String> texts(Object v) {
        return v instanceof List<?> l ? l.stream().filter(Objects::nonNull).map(String::valueOf).toList() : List.of();
    }

    /** A JSON object with its keys as strings; empty when it is not an object. */
    private static Map<String, Object> object(Object v) {
        return v instanceof Map<?, ?> m ? stringKeys(m) : Map.of();
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
