package dev.mcphealth.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The fourteen tools of the MCP Task Orchestrator 2.0.0 as the {@link OrchestratorDouble} serves them: their input
 * schemas (required fields, enums, the timeout's range) and their answers, quirks included. Every answer is one text:
 * {@code json.dumps(..., indent=2)}, or the router's catch-all, a Python dict repr.
 */
final class OrchestratorTools {
    static final String INITIALIZE_SESSION = "orchestrator_initialize_session";
    static final String PLAN_TASK = "orchestrator_plan_task";
    static final String EXECUTE_TASK = "orchestrator_execute_task";
    static final String COMPLETE_TASK = "orchestrator_complete_task";
    static final String UPDATE_TASK = "orchestrator_update_task";
    static final String QUERY_TASKS = "orchestrator_query_tasks";
    static final String SYNTHESIZE_RESULTS = "orchestrator_synthesize_results";
    static final String GET_STATUS = "orchestrator_get_status";
    static final String MAINTENANCE_COORDINATOR = "orchestrator_maintenance_coordinator";
    static final String HEALTH_CHECK = "orchestrator_health_check";
    static final String RESTART_SERVER = "orchestrator_restart_server";
    static final String RECONNECT_TEST = "orchestrator_reconnect_test";
    static final String RESTART_STATUS = "orchestrator_restart_status";
    static final String SHUTDOWN_PREPARE = "orchestrator_shutdown_prepare";

    /** The real health check reports this literal, not the package's 2.0.0. */
    static final String HEALTH_CHECK_SERVER_VERSION = "1.4.1";

    private static final List<String> TASK_TYPES = List.of("standard", "breakdown", "milestone", "review", "approval",
            "research", "implementation", "testing", "documentation", "deployment", "custom");
    private static final List<String> COMPLEXITIES = List.of("trivial", "simple", "moderate", "complex",
            "very_complex");
    private static final List<String> SPECIALISTS = List.of("analyst", "coder", "tester", "documenter", "reviewer",
            "architect", "devops", "researcher", "coordinator", "generic");
    private static final List<String> STATUSES = List.of("pending", "active", "in_progress", "blocked", "completed",
            "failed", "cancelled", "archived");
    private static final List<String> NEXT_ACTIONS = List.of("continue", "needs_revision", "blocked", "complete");
    private static final List<String> ARTIFACT_TYPES = List.of("code", "documentation", "analysis", "design", "test",
            "config", "general");
    private static final List<String> RESTART_REASONS = List.of("configuration_update", "schema_migration",
            "error_recovery", "manual_request", "emergency_shutdown");
    /** What the restart's shutdown sequence fails with here (the real one fails too; its exact text varies). */
    static final String RESTART_FAILURE = "state serialization did not complete: the server cannot restart itself";

    /**
     * The tools the real router wraps in its catch-all ({@code tool_router.py}): an exception escaping their handler
     * becomes {@code str({'status': 'error', 'error': 'Handler error: ...', 'tool': ..., 'error_type': ...})}.
     */
    private static final Set<String> ROUTED = Set.of(EXECUTE_TASK, COMPLETE_TASK, UPDATE_TASK, QUERY_TASKS);

    /** One tool: its name, description and JSON schema. */
    record Definition(String name, String description, Map<String, Object> inputSchema) {
    }

    /** One answer: a single text content, and whether the MCP result says isError (validation errors only). */
    record Answer(String text, boolean isError) {
        static Answer json(Map<String, Object> body) {
            return new Answer(PythonText.json(body), false);
        }
    }

    /** A Python exception escaping a handler: its type name and {@code str(e)}. */
    static final class PythonError extends RuntimeException {
        private final String type;

        PythonError(String type, String message) {
            super(message);
            this.type = type;
        }

        String type() {
            return type;
        }
    }

    static final List<Definition> DEFINITIONS = List.of(
            new Definition(INITIALIZE_SESSION, "Starts an orchestration session in a working directory.",
                    schema(List.of(), "working_directory",
                            string("Directory to hold .task_orchestrator; the current directory if omitted"))),
            new Definition(PLAN_TASK, "Creates a task with its metadata.",
                    schema(List.of("title", "description"),
                            "title", string("Task title"),
                            "description", string("What the task is about"),
                            "task_type", oneOf(TASK_TYPES, "Kind of task", "standard"),
                            "parent_task_id", string("Parent task, for a hierarchy"),
                            "complexity", oneOf(COMPLEXITIES, "How hard it is", "moderate"),
                            "specialist_type", oneOf(SPECIALISTS, "Specialist to assign", null),
                            "estimated_effort", string("For example '2 hours'"),
                            "due_date", string("ISO date"),
                            "context", object("Extra context"),
                            "dependencies", arrayOf(Map.of("type", "string"), "Prerequisite task IDs"))),
            new Definition(EXECUTE_TASK, "Gives the specialist context and prompts to execute a task.",
                    schema(List.of("task_id"), "task_id", string("Task to execute"))),
            new Definition(COMPLETE_TASK, "Marks a task complete and stores its detailed work as an artifact.",
                    schema(List.of("task_id", "summary", "detailed_work", "next_action"),
                            "task_id", string("Task completed"),
                            "summary", string("Short summary of what was done"),
                            "detailed_work", string("Full work, stored as an artifact"),
                            "file_paths", arrayOf(Map.of("type", "string"), "Files referenced or created"),
                            "artifact_type", oneOf(ARTIFACT_TYPES, "Kind of artifact", "general"),
                            "next_action", oneOf(NEXT_ACTIONS, "What happens next", null))),
            new Definition(UPDATE_TASK, "Updates a task's properties.",
                    schema(List.of("task_id"),
                            "task_id", string("Task to update"),
                            "title", string("New title"),
                            "description", string("New description"),
                            "status", oneOf(STATUSES, "New status", null),
                            "specialist_type", oneOf(SPECIALISTS, "New specialist", null),
                            "complexity", oneOf(COMPLEXITIES, "New complexity", null),
                            "estimated_effort", string("New estimated effort"),
                            "due_date", string("New due date, ISO"),
                            "context", object("New context"))),
            new Definition(QUERY_TASKS, "Finds tasks by filters.",
                    schema(List.of(),
                            "status", arrayOf(oneOf(STATUSES, null, null), "Statuses"),
                            "task_type", arrayOf(oneOf(TASK_TYPES, null, null), "Task types"),
                            "specialist_type", arrayOf(oneOf(SPECIALISTS, null, null), "Specialist types"),
                            "complexity", arrayOf(oneOf(COMPLEXITIES, null, null), "Complexities"),
                            "parent_task_id", string("Parent task"),
                            "search_text", string("Text in title or description"),
                            "created_after", string("ISO timestamp"),
                            "created_before", string("ISO timestamp"),
                            "include_children", bool("Include child tasks", false),
                            "include_artifacts", bool("Include artifacts", false),
                            "limit", integer("Most results", 100, null, null),
                            "offset", integer("Results to skip", 0, null, null))),
            new Definition(SYNTHESIZE_RESULTS, "Combines the completed subtasks of a parent task.",
                    schema(List.of("parent_task_id"), "parent_task_id", string("Parent task"))),
            new Definition(GET_STATUS, "Status of the tasks and of the server.",
                    schema(List.of(), "include_completed", bool("Include completed tasks", false))),
            new Definition(MAINTENANCE_COORDINATOR, "Cleanup, validation and handover maintenance.",
                    schema(List.of("action"),
                            "action", oneOf(List.of("scan_cleanup", "validate_structure", "update_documentation",
                                    "prepare_handover"), "Maintenance action", null),
                            "scope", oneOf(List.of("current_session", "full_project", "specific_subtask"), "Scope",
                                    "current_session"),
                            "validation_level", oneOf(List.of("basic", "comprehensive", "full_audit"),
                                    "Validation depth", "basic"),
                            "target_task_id", string("Task, for scope specific_subtask"))),
            new Definition(HEALTH_CHECK, "Server health and readiness.",
                    schema(List.of(),
                            "include_reboot_readiness", bool("Check restart readiness", true),
                            "include_connection_status", bool("Check connections", true),
                            "include_database_status", bool("Check the database", true))),
            new Definition(RESTART_SERVER, "Graceful restart with state preservation.",
                    schema(List.of(),
                            "graceful", bool("Graceful shutdown", true),
                            "preserve_state", bool("Keep state across the restart", true),
                            "timeout", integer("Seconds to wait for the restart", 30, 10, 300),
                            "reason", oneOf(RESTART_REASONS, "Why", "manual_request"))),
            new Definition(RECONNECT_TEST, "Tests client reconnection.",
                    schema(List.of(),
                            "session_id", string("Session to test"),
                            "include_buffer_status", bool("Include request buffer status", true),
                            "include_reconnection_stats", bool("Include reconnection statistics", true))),
            new Definition(RESTART_STATUS, "Status of the current restart.",
                    schema(List.of(),
                            "include_history", bool("Include restart history", false),
                            "include_error_details", bool("Include error details", true))),
            new Definition(SHUTDOWN_PREPARE, "Readiness for a graceful shutdown.",
                    schema(List.of(),
                            "check_active_tasks", bool("Check active tasks", true),
                            "check_database_state", bool("Check the database", true),
                            "check_client_connections", bool("Check client connections", true))));

    private final OrchestratorDoubleState state;
    private final Clock clock;

    OrchestratorTools(OrchestratorDoubleState state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    static Optional<Definition> definition(String name) {
        return DEFINITIONS.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /**
     * Answers one call. As the Python SDK's low-level server (mcp >= 1.10) does, arguments are first validated against
     * the input schema: a violation is an isError result {@code Input validation error: <jsonschema message>}.
     */
    Answer call(String name, Map<String, Object> args) {
        Definition def = definition(name).orElseThrow(() -> new IllegalArgumentException("Unknown tool: " + name));
        Optional<String> invalid = SchemaCheck.violation(def.inputSchema(), args);
        if (invalid.isPresent()) {
            return new Answer("Input validation error: " + invalid.get(), true);
        }
        try {
            return dispatch(name, args);
        } catch (RuntimeException e) {
            String type = e instanceof PythonError p ? p.type() : e.getClass().getSimpleName();
            if (ROUTED.contains(name)) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("status", "error");
                error.put("error", "Handler error: " + e.getMessage());
                error.put("tool", name);
                error.put("error_type", type);
                return new Answer(PythonText.repr(error), false);
            }
            // elsewhere an escaping exception reaches the SDK, which answers isError with str(e)
            return new Answer(String.valueOf(e.getMessage()), true);
        }
    }

    private Answer dispatch(String name, Map<String, Object> a) {
        switch (name) {
            case INITIALIZE_SESSION:
                return initializeSession(a);
            case PLAN_TASK:
                return planTask(a);
            case EXECUTE_TASK:
                return executeTask(a);
            case COMPLETE_TASK:
                return completeTask(a);
            case UPDATE_TASK:
                return updateTask(a);
            case QUERY_TASKS:
                return queryTasks(a);
            case SYNTHESIZE_RESULTS:
                return synthesizeResults(a);
            case GET_STATUS:
                return getStatus(a);
            case MAINTENANCE_COORDINATOR:
                return maintenance(a);
            case HEALTH_CHECK:
                return healthCheck(a);
            case RESTART_SERVER:
                return restartServer(a);
            case RECONNECT_TEST:
                return reconnectTest(a);
            case RESTART_STATUS:
                return restartStatus(a);
            case SHUTDOWN_PREPARE:
                return shutdownPrepare(a);
            default:
                throw new IllegalArgumentException("Unknown tool: " + name);
        }
    }

    // ---- the tools ----

    private Answer initializeSession(Map<String, Object> a) {
        String requested = str(a, "working_directory", Path.of("").toAbsolutePath().toString());
        Path dir;
        try {
            dir = Path.of(requested).toAbsolutePath().normalize();
            Files.createDirectories(dir); // the real one creates it (mkdir parents=True, exist_ok=True)
            dir = dir.toRealPath();
        } catch (Exception e) {
            return Answer.json(m("status", "initialization_failed",
                    "error", "Failed to initialize session: " + e.getMessage(),
                    "working_directory", requested));
        }
        Instant now = clock.instant();
        String sessionId = "session_" + hex8() + "_" + now.getEpochSecond();
        Map<String, Object> session = m("session_id", sessionId, "working_directory", dir.toString(),
                "created_at", PythonText.naiveUtc(now));
        state.sessions.put(sessionId, session);
        return Answer.json(m("status", "session_initialized",
                "session_id", sessionId,
                "working_directory", dir.toString(),
                "capabilities", m("hot_reload", false, "task_orchestration", true, "domain_services", true,
                        "database_persistence", true, "template_system", true),
                "database_status", "connected",
                "message", "Task orchestration session initialized",
                "next_steps", List.of("Plan a task with orchestrator_plan_task",
                        "Execute it with orchestrator_execute_task",
                        "Complete it with orchestrator_complete_task")));
    }

    private Answer planTask(Map<String, Object> a) {
        String now = PythonText.naiveUtc(clock.instant());
        String id = "task_" + hex8();
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("task_id", id);
        task.put("title", a.get("title"));
        task.put("description", a.get("description"));
        task.put("task_type", str(a, "task_type", "standard"));
        task.put("status", "pending");
        task.put("complexity", str(a, "complexity", "moderate"));
        task.put("specialist_type", str(a, "specialist_type", "generic"));
        task.put("parent_task_id", a.get("parent_task_id"));
        task.put("estimated_effort", a.get("estimated_effort"));
        task.put("due_date", a.get("due_date"));
        task.put("context", a.getOrDefault("context", Map.of()));
        task.put("dependencies", a.getOrDefault("dependencies", List.of()));
        task.put("created_at", now);
        task.put("updated_at", now);
        task.put("completed_at", null);
        task.put("summary", null);
        task.put("detailed_work", null);
        task.put("next_action", null);
        task.put("artifacts", new ArrayList<>());
        state.tasks.put(id, task);
        return Answer.json(m("success", true,
                "task_id", id,
                "title", task.get("title"),
                "status", "pending",
                "task_type", task.get("task_type"),
                "complexity", task.get("complexity"),
                "specialist_type", task.get("specialist_type"),
                "created_at", now,
                "message", "Task '" + task.get("title") + "' created successfully"));
    }

    private Answer executeTask(Map<String, Object> a) {
        String id = (String) a.get("task_id");
        Map<String, Object> task = state.tasks.get(id);
        if (task == null) {
            return Answer.json(m("error", "Task execution failed",
                    "details", "Task execution failed: Task " + id + " not found",
                    "tool", EXECUTE_TASK));
        }
        String specialist = (String) task.get("specialist_type");
        return Answer.json(m("status", "ready_for_execution",
                "task_id", id,
                "task_title", task.get("title"),
                "task_description", task.get("description"),
                "specialist_type", specialist,
                "specialist_context", task.get("context"),
                "specialist_prompts", List.of("Apply " + specialist + " specialist knowledge to this task"),
                "execution_instructions", List.of("Task: " + task.get("title"),
                        "Description: " + task.get("description"),
                        "Specialist Role: " + specialist,
                        "",
                        "Execute this task using your specialist expertise.",
                        "Provide detailed work artifacts when completing the task.",
                        "Use orchestrator_complete_task to store your results."),
                "dependencies_completed", true,
                "estimated_effort", task.get("estimated_effort") == null ? "Unknown" : task.get("estimated_effort"),
                "next_steps", List.of("Review the task details and specialist context",
                        "Execute the task according to the instructions",
                        "Complete the task using orchestrator_complete_task")));
    }

    @SuppressWarnings("unchecked")
    private Answer completeTask(Map<String, Object> a) {
        String id = (String) a.get("task_id");
        Map<String, Object> task = state.tasks.get(id);
        if (task == null) {
            return Answer.json(m("error", "Task completion failed",
                    "details", "Task completion failed: Failed to complete task " + id,
                    "tool", COMPLETE_TASK));
        }
        String now = PythonText.naiveUtc(clock.instant());
        String artifactType = str(a, "artifact_type", "general");
        String detailed = (String) a.get("detailed_work");
        String artifactId = "artifact_" + hex8();
        // like the real one: completed whatever next_action says
        task.put("status", "completed");
        task.put("completed_at", now);
        task.put("updated_at", now);
        task.put("summary", a.get("summary"));
        task.put("detailed_work", detailed);
        task.put("next_action", a.get("next_action"));
        task.put("artifact_type", artifactType);
        task.put("file_paths", a.getOrDefault("file_paths", List.of()));
        ((List<Object>) task.computeIfAbsent("artifacts", k -> new ArrayList<>())).add(artifactId);
        Map<String, Object> ref = m("id", artifactId, "type", artifactType,
                "path", ".task_orchestrator/artifacts/" + id + "/" + artifactId + ".md",
                "size", detailed.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        return Answer.json(m("status", "success",
                "task_id", id,
                "message", "Task " + id + " completed successfully",
                "summary", a.get("summary"),
                "artifact_count", 1,
                "artifact_references", List.of(ref),
                "next_action", a.get("next_action"),
                "completion_time", now,
                "next_steps", List.of("Task completed successfully",
                        "Artifacts have been stored for future reference",
                        "Check dependent tasks for new availability")));
    }

    /** The row IS updated; then formatting the answer fails, and the router answers its dict repr. */
    private Answer updateTask(Map<String, Object> a) {
        String id = (String) a.get("task_id");
        Map<String, Object> task = state.tasks.get(id);
        if (task == null) {
            throw new PythonError("OrchestrationError", "Task " + id + " not found");
        }
        for (String field : List.of("title", "description", "status", "specialist_type", "complexity",
                "estimated_effort", "due_date", "context")) {
            if (a.containsKey(field)) {
                task.put(field, a.get(field));
            }
        }
        task.put("updated_at", PythonText.naiveUtc(clock.instant()));
        throw new PythonError("TypeError", "'str' object is not a mapping");
    }

    /** Any non-empty result fails while being serialized (its timestamps are already strings); empty ones succeed. */
    private Answer queryTasks(Map<String, Object> a) {
        List<String> filters = new ArrayList<>();
        List<Map<String, Object>> found = new ArrayList<>();
        for (String key : List.of("status", "task_type", "specialist_type", "complexity", "parent_task_id",
                "search_text", "created_after", "created_before")) {
            if (a.containsKey(key)) {
                filters.add(key);
            }
        }
        for (Map<String, Object> t : state.tasks.values()) {
            if (matches(t, a)) {
                found.add(t);
            }
        }
        int offset = intArg(a, "offset", 0);
        int limit = intArg(a, "limit", 100);
        int from = Math.max(0, Math.min(offset, found.size()));
        List<Map<String, Object>> page = found.subList(from, Math.min(found.size(), from + Math.max(limit, 0)));
        if (!page.isEmpty()) {
            return Answer.json(m("error", "Query execution error",
                    "details", "'str' object has no attribute 'isoformat'",
                    "tool", QUERY_TASKS));
        }
        return Answer.json(m("status", "success",
                "message", "Found 0 tasks matching query criteria",
                "query_summary", m("filters_applied", filters,
                        "pagination", m("total_count", 0, "page_count", 1, "has_more", false)),
                "tasks", List.of(),
                "next_steps", List.of("Review the returned tasks",
                        "Use orchestrator_update_task to modify any tasks as needed",
                        "Use task_id values for further operations")));
    }

    private static boolean matches(Map<String, Object> t, Map<String, Object> a) {
        for (String key : List.of("status", "task_type", "specialist_type", "complexity")) {
            if (a.get(key) instanceof List<?> wanted && !wanted.isEmpty() && !wanted.contains(t.get(key))) {
                return false;
            }
        }
        if (a.containsKey("parent_task_id") && !a.get("parent_task_id").equals(t.get("parent_task_id"))) {
            return false;
        }
        if (a.get("search_text") instanceof String text) {
            String needle = text.toLowerCase(Locale.ROOT);
            String hay = (t.get("title") + " " + t.get("description")).toLowerCase(Locale.ROOT);
            if (!hay.contains(needle)) {
                return false;
            }
        }
        String created = String.valueOf(t.get("created_at"));
        if (a.get("created_after") instanceof String after && created.compareTo(after) <= 0) {
            return false;
        }
        return !(a.get("created_before") instanceof String before && created.compareTo(before) >= 0);
    }

    /** It reads another store than plan_task writes: the parent is never found. */
    private Answer synthesizeResults(Map<String, Object> a) {
        String parent = (String) a.get("parent_task_id");
        return Answer.json(m("status", "synthesis_failed",
                "error", "Parent task " + parent + " not found",
                "parent_task_id", parent,
                "recovery_suggestions", List.of("Verify the parent task ID exists",
                        "Use orchestrator_query_tasks to find valid tasks")));
    }

    /** How many tasks of each list get_status pages at most, as the real handler queries them. */
    static final int OPEN_PAGE = 100;
    static final int FAILED_PAGE = 50;

    /**
     * The real shape: the tasks are in {@code active_tasks} (active and in_progress), {@code pending_tasks},
     * {@code failed_tasks} and, only with include_completed, {@code completed_tasks} (else null), each the whole answer
     * of its query ({@link #taskList}). Its {@code task_summary} is wrong as the real one's is: the handler takes
     * {@code len()} of each list's object, that is its number of keys (12), never the number of tasks.
     */
    private Answer getStatus(Map<String, Object> a) {
        long started = System.nanoTime();
        boolean includeCompleted = Boolean.TRUE.equals(a.get("include_completed"));
        Map<String, Object> active = taskList(List.of("active", "in_progress"), OPEN_PAGE);
        Map<String, Object> pending = taskList(List.of("pending"), OPEN_PAGE);
        Map<String, Object> failed = taskList(List.of("failed"), FAILED_PAGE);
        Map<String, Object> completed = includeCompleted ? taskList(List.of("completed"), FAILED_PAGE) : null;
        Map<String, Object> summary = m("total_active", active.size(), "total_pending", pending.size(),
                "total_completed", completed == null ? null : completed.size(), "total_failed", failed.size());
        int tracked = active.size() + pending.size() + failed.size() + (completed == null ? 0 : completed.size());
        double ms = Math.round((System.nanoTime() - started) / 10_000.0) / 100.0;
        Map<String, Object> body = m("status", "status_retrieved",
                "timestamp", (double) (System.nanoTime() / 1_000_000) / 1000.0,
                "include_completed", includeCompleted,
                "active_tasks", active,
                "pending_tasks", pending,
                "completed_tasks", completed,
                "failed_tasks", failed,
                "task_summary", summary,
                "database_status", "connected",
                "system_status", m("server_healthy", !state.maintenanceMode, "maintenance_mode", state.maintenanceMode,
                        "capabilities", m("hot_reload", false, "task_orchestration", true,
                                "database_persistence", true)),
                "metrics", m("response_time_ms", ms, "session_active", false, "query_scope", "all_tasks"),
                "message", "System status retrieved - " + tracked + " total tasks tracked");
        List<String> next = new ArrayList<>();
        next.add("Use orchestrator_execute_task to work on active tasks");
        next.add("Use orchestrator_execute_task to start pending tasks");
        next.add("Review failed tasks and use orchestrator_update_task to fix issues");
        body.put("next_steps", next);
        return Answer.json(body);
    }

    /**
     * One of get_status's lists: the answer of its task query, twelve keys (which is what its task_summary counts), the
     * tasks with {@code status} in {@code statuses}, oldest first, at most {@code pageSize} of them.
     */
    private Map<String, Object> taskList(List<String> statuses, int pageSize) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> t : state.tasks.values()) {
            if (statuses.contains(String.valueOf(t.get("status")))) {
                all.add(listed(t));
            }
        }
        List<Map<String, Object>> page = all.subList(0, Math.min(all.size(), pageSize));
        int pages = Math.max(1, (all.size() + pageSize - 1) / pageSize);
        return m("success", true,
                "tasks", List.copyOf(page),
                "total_count", all.size(),
                "page_count", pages,
                "current_page", 1,
                "page_size", pageSize,
                "has_more", all.size() > page.size(),
                "has_previous", false,
                "filters_applied", m("status", statuses),
                "sort_by", "created_at",
                "sort_order", "asc",
                "message", "Found " + all.size() + " tasks");
    }

    /** A task as the lists show it: its stored fields, without the work it was completed with. */
    private static Map<String, Object> listed(Map<String, Object> t) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : List.of("task_id", "title", "description", "task_type", "status", "complexity",
                "specialist_type", "parent_task_id", "estimated_effort", "due_date", "context", "dependencies",
                "created_at", "updated_at", "completed_at")) {
            out.put(key, t.get(key));
        }
        return out;
    }

    private Answer maintenance(Map<String, Object> a) {
        String action = (String) a.get("action");
        String scope = str(a, "scope", "current_session");
        String level = str(a, "validation_level", "basic");
        return Answer.json(m("status", "maintenance_completed",
                "action", action,
                "maintenance_results", m("action", action, "scope", scope, "validation_level", level,
                        "target_task_id", a.get("target_task_id"),
                        "tasks_scanned", state.tasks.size(), "issues_found", 0, "items_cleaned", 0),
                "summary", m("total_tasks_scanned", state.tasks.size(), "issues_found", 0,
                        "actions_taken", List.of(), "recommendations", List.of())));
    }

    private Map<String, Object> readiness() {
        List<String> issues = new ArrayList<>();
        if (state.maintenanceMode) {
            issues.add("Server already in maintenance mode");
        }
        return m("ready", issues.isEmpty(), "issues", issues,
                "details", m("maintenance_mode", state.maintenanceMode, "shutdown_in_progress", false,
                        "state_manager_initialized", true, "state_manager_accessible", true));
    }

    /** Only the reboot-readiness check can make it unhealthy; without that check it says healthy even then. */
    private Answer healthCheck(Map<String, Object> a) {
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean healthy = true;
        if (bool(a, "include_reboot_readiness", true)) {
            Map<String, Object> r = readiness();
            checks.put("reboot_readiness", r);
            healthy = (Boolean) r.get("ready");
        }
        if (bool(a, "include_database_status", true)) {
            checks.put("database", m("connected", true, "status", "operational"));
        }
        if (bool(a, "include_connection_status", true)) {
            checks.put("connections", m("active_connections", 0, "status", "operational"));
        }
        return Answer.json(m("healthy", healthy,
                "timestamp", PythonText.awareUtc(clock.instant()),
                "server_version", HEALTH_CHECK_SERVER_VERSION,
                "checks", checks));
    }

    /** Fails, and its shutdown sequence has entered maintenance mode for good: only a new process leaves it. */
    private Answer restartServer(Map<String, Object> a) {
        boolean graceful = bool(a, "graceful", true);
        boolean preserve = bool(a, "preserve_state", true);
        int timeout = intArg(a, "timeout", 30);
        String reason = str(a, "reason", "manual_request");
        if (!graceful) {
            return Answer.json(m("success", false, "error", "Emergency restart not yet implemented",
                    "graceful", false, "preserve_state", preserve, "reason", reason));
        }
        if (state.maintenanceMode) {
            List<String> issues = List.of("Server already in maintenance mode");
            return Answer.json(m("success", false,
                    "error", "Server not ready for restart: " + String.join(", ", issues),
                    "phase", "preparation_failed", "issues", issues,
                    "graceful", true, "preserve_state", preserve, "timeout", timeout));
        }
        String now = PythonText.naiveUtc(clock.instant());
        state.maintenanceMode = true;
        state.shutdownPhase = "failed";
        state.shutdownProgress = 0.0;
        state.shutdownMessage = "Shutdown failed: " + RESTART_FAILURE;
        state.shutdownStartedAt = now;
        state.shutdownErrors.add(RESTART_FAILURE);
        return Answer.json(m("success", false,
                "phase", state.shutdownPhase,
                "progress", state.shutdownProgress,
                "message", state.shutdownMessage,
                "errors", List.copyOf(state.shutdownErrors),
                "restart_reason", reason,
                "completed_at", now,
                "graceful", true, "preserve_state", preserve, "timeout", timeout));
    }

    /** Hard-coded, as in the real one (a TODO there). */
    private Answer reconnectTest(Map<String, Object> a) {
        Map<String, Object> results = new LinkedHashMap<>();
        if (a.get("session_id") instanceof String session) {
            results.put("session_test", m("session_id", session, "reachable", true, "reconnect_capable", true,
                    "status", "pass"));
        } else {
            results.put("all_sessions", m("total_sessions", 0, "reachable_sessions", 0, "reconnect_capable", 0,
                    "status", "pass"));
        }
        if (bool(a, "include_buffer_status", true)) {
            results.put("buffer_status", m("total_buffered_requests", 0, "sessions_with_buffers", 0,
                    "status", "operational"));
        }
        if (bool(a, "include_reconnection_stats", true)) {
            results.put("reconnection_stats", m("successful_reconnections", 0, "failed_reconnections", 0,
                    "average_reconnection_time", 0.0, "status", "operational"));
        }
        return Answer.json(m("test_completed", true,
                "timestamp", PythonText.awareUtc(clock.instant()),
                "overall_status", "pass",
                "results", results));
    }

    private Answer restartStatus(Map<String, Object> a) {
        Map<String, Object> current = m("phase", state.shutdownPhase,
                "progress", state.shutdownProgress,
                "message", state.shutdownMessage,
                "started_at", state.shutdownStartedAt,
                "estimated_completion", null,
                "errors", List.copyOf(state.shutdownErrors),
                "maintenance_mode", state.maintenanceMode);
        if (!bool(a, "include_error_details", true)) {
            current.put("error_count", state.shutdownErrors.size());
            current.remove("errors");
        }
        Map<String, Object> body = m("current_status", current, "timestamp", PythonText.awareUtc(clock.instant()));
        if (bool(a, "include_history", false)) {
            body.put("history", m("recent_restarts", List.of(), "total_restarts", 0, "last_successful_restart", null));
        }
        return Answer.json(body);
    }

    private Answer shutdownPrepare(Map<String, Object> a) {
        Map<String, Object> r = readiness();
        Map<String, Object> checks = new LinkedHashMap<>();
        Map<String, Object> body = m("ready_for_shutdown", r.get("ready"), "blocking_issues", r.get("issues"),
                "checks", checks, "details", r.get("details"), "timestamp", PythonText.awareUtc(clock.instant()));
        if (bool(a, "check_active_tasks", true)) {
            checks.put("active_tasks", m("count", 0, "suspendable", true, "status", "ready"));
        }
        if (bool(a, "check_database_state", true)) {
            checks.put("database", m("transactions_pending", 0, "connections_open", 1, "status", "ready"));
        }
        if (bool(a, "check_client_connections", true)) {
            checks.put("client_connections", m("active_connections", 0, "notifiable", true, "status", "ready"));
        }
        return Answer.json(body);
    }

    // ---- helpers ----

    /** {@code uuid.uuid4().hex[:8]}. */
    private static String hex8() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private static String str(Map<String, Object> a, String key, String otherwise) {
        return a.get(key) instanceof String s ? s : otherwise;
    }

    private static boolean bool(Map<String, Object> a, String key, boolean otherwise) {
        return a.get(key) instanceof Boolean b ? b : otherwise;
    }

    private static int intArg(Map<String, Object> a, String key, int otherwise) {
        return a.get(key) instanceof Number n ? n.intValue() : otherwise;
    }

    /** An ordered map, nulls allowed (Python's None). */
    static Map<String, Object> m(Object... kv) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put((String) kv[i], kv[i + 1]);
        }
        return map;
    }

    private static Map<String, Object> schema(List<String> required, Object... props) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "object");
        s.put("properties", m(props));
        if (!required.isEmpty()) {
            s.put("required", required);
        }
        return s;
    }

    private static Map<String, Object> string(String description) {
        return m("type", "string", "description", description);
    }

    private static Map<String, Object> object(String description) {
        return m("type", "object", "description", description);
    }

    private static Map<String, Object> bool(String description, boolean dflt) {
        return m("type", "boolean", "description", description, "default", dflt);
    }

    private static Map<String, Object> integer(String description, int dflt, Integer min, Integer max) {
        Map<String, Object> s = m("type", "integer", "description", description, "default", dflt);
        if (min != null) {
            s.put("minimum", min);
        }
        if (max != null) {
            s.put("maximum", max);
        }
        return s;
    }

    private static Map<String, Object> oneOf(List<String> values, String description, String dflt) {
        Map<String, Object> s = m("type", "string", "enum", values);
        if (description != null) {
            s.put("description", description);
        }
        if (dflt != null) {
            s.put("default", dflt);
        }
        return s;
    }

    private static Map<String, Object> arrayOf(Map<String, Object> items, String description) {
        return m("type", "array", "items", items, "description", description);
    }

    /** The part of jsonschema the schemas above use, with its messages. */
    static final class SchemaCheck {
        private SchemaCheck() {
        }

        @SuppressWarnings("unchecked")
        static Optional<String> violation(Map<String, Object> schema, Map<String, Object> args) {
            for (String r : (List<String>) schema.getOrDefault("required", List.of())) {
                if (!args.containsKey(r)) {
                    return Optional.of(PythonText.repr(r) + " is a required property");
                }
            }
            Map<String, Object> props = (Map<String, Object>) schema.get("properties");
            for (Map.Entry<String, Object> p : props.entrySet()) {
                if (args.containsKey(p.getKey())) {
                    Optional<String> v = value((Map<String, Object>) p.getValue(), args.get(p.getKey()));
                    if (v.isPresent()) {
                        return v;
                    }
                }
            }
            return Optional.empty();
        }

        @SuppressWarnings("unchecked")
        private static Optional<String> value(Map<String, Object> s, Object v) {
            String type = (String) s.get("type");
            if (!hasType(type, v)) {
                return Optional.of(PythonText.repr(v) + " is not of type " + PythonText.repr(type));
            }
            if (s.get("enum") instanceof List<?> allowed && !allowed.contains(v)) {
                return Optional.of(PythonText.repr(v) + " is not one of " + PythonText.repr(allowed));
            }
            if (v instanceof Number n && s.get("minimum") instanceof Number min
                    && n.doubleValue() < min.doubleValue()) {
                return Optional.of(PythonText.repr(v) + " is less than the minimum of " + min);
            }
            if (v instanceof Number n && s.get("maximum") instanceof Number max
                    && n.doubleValue() > max.doubleValue()) {
                return Optional.of(PythonText.repr(v) + " is greater than the maximum of " + max);
            }
            if (v instanceof List<?> items && s.get("items") instanceof Map<?, ?> itemSchema) {
                for (Object item : items) {
                    Optional<String> bad = value((Map<String, Object>) itemSchema, item);
                    if (bad.isPresent()) {
                        return bad;
                    }
                }
            }
            return Optional.empty();
        }

        private static boolean hasType(String type, Object v) {
            if (type == null) {
                return true;
            }
            return switch (type) {
                case "string" -> v instanceof String;
                case "boolean" -> v instanceof Boolean;
                case "integer" -> v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger
                        || v instanceof Number n && !(v instanceof Boolean) && n.doubleValue() == Math.rint(n.doubleValue());
                case "object" -> v instanceof Map;
                case "array" -> v instanceof List;
                default -> true;
            };
        }
    }
}
