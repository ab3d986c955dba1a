package dev.mcphealth.testkit;

import io.modelcontextprotocol.client.transport.ServerParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client side of the {@link OrchestratorDouble}: the command line that starts it as its own process (this JVM's
 * {@code java}, this JVM's class path), a config entry for MCP Health ({@code mcpServers.<name>}), and its state file
 * read back. Immutable: each control returns a new instance.
 * <pre>
 * OrchestratorDoubleProcess orch = OrchestratorDoubleProcess.withState(dir.resolve("orch.json")).dieAfter(3);
 * List&lt;String&gt; cmd = orch.command();        // java -XX:... -cp ... dev.mcphealth.testkit.OrchestratorDouble --state ...
 * orch.writeConfig(dir.resolve("mcp.json"), "orchestrator", "orchestrator");
 * ... later ...
 * OrchestratorDoubleProcess.State s = orch.state();   // s.calls(), s.tasks(), s.starts()
 * </pre>
 *
 * <p>The state file ({@value OrchestratorDoubleState#FORMAT}), rewritten whole and atomically after every change:
 * <pre>
 * {
 *   "format" : "mcp-health/orchestrator-double-state/1",
 *   "starts" : [ { "pid" : 4242, "started_at" : "2026-01-01T10:00:00.123456+00:00", "args" : [ ... ],
 *                  "faults_active" : true } ],
 *   "maintenance_mode" : false,                       (the newest process's view; not loaded at start)
 *   "sessions" : [ { "session_id" : "session_1a2b3c4d_1767261600", "working_directory" : "...", "created_at" : "..." } ],
 *   "tasks" : [ { "task_id" : "task_9f8e7d6c", "title" : "...", "description" : "...", "task_type" : "standard",
 *                 "status" : "completed", "complexity" : "moderate", "specialist_type" : "generic",
 *                 "parent_task_id" : null, "estimated_effort" : null, "due_date" : null, "context" : { },
 *                 "dependencies" : [ ], "created_at" : "...", "updated_at" : "...", "completed_at" : "...",
 *                 "summary" : "...", "detailed_work" : "...", "next_action" : "complete", "artifacts" : [ "artifact_..." ],
 *                 "artifact_type" : "general", "file_paths" : [ ] } ],
 *   "calls" : [ { "seq" : 1, "pid" : 4242, "tool" : "orchestrator_plan_task", "arguments" : { ... },
 *                 "received_at" : "...", "answered" : true } ]
 * }
 * </pre>
 * {@code calls} holds every tool call received, in order, across restarts ({@code seq} goes on, {@code pid} tells the
 * process); a call is logged when it arrives, so one the double died on is there with {@code answered: false}.
 * Timestamps are the real server's (naive UTC for tasks; {@code +00:00} for starts and calls).
 */
public final class OrchestratorDoubleProcess {
    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    /** Small and quick JVM flags: the double does little, and the machines have two cores. */
    private static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xshare:auto");

    private final OrchestratorDouble.Options options;

    private OrchestratorDoubleProcess(OrchestratorDouble.Options options) {
        this.options = options;
    }

    /** A double that keeps its state in {@code stateFile} (created on the first call, loaded when present). */
    public static OrchestratorDoubleProcess withState(Path stateFile) {
        return new OrchestratorDoubleProcess(copy(OrchestratorDouble.Options.DEFAULTS, stateFile, null, null, null,
                null, null, null, null));
    }

    /** A double with no state file (nothing to read back). */
    public static OrchestratorDoubleProcess inMemory() {
        return new OrchestratorDoubleProcess(OrchestratorDouble.Options.DEFAULTS);
    }

    /** Starts in maintenance mode: health_check says healthy=false. */
    public OrchestratorDoubleProcess unhealthy() {
        return with(copy(options, null, true, null, null, null, null, null, null));
    }

    /** Answers {@code n} tool calls, then dies on receiving the next one. */
    public OrchestratorDoubleProcess dieAfter(int n) {
        return with(copy(options, null, null, n, null, null, null, null, null));
    }

    /** Dies on receiving a call to {@code tool}. */
    public OrchestratorDoubleProcess dieOn(String tool) {
        return with(copy(options, null, null, null, tool, null, null, null, null));
    }

    /** Answers tool calls {@code delay} late: all of them, or only {@code tools}. */
    public OrchestratorDoubleProcess slow(Duration delay, String... tools) {
        return with(copy(options, null, null, null, null, delay.toMillis(), Set.of(tools), null, null));
    }

    /** Holds each ping (and whatever follows it) for {@code delay}: a hung server. */
    public OrchestratorDoubleProcess slowPings(Duration delay) {
        return with(copy(options, null, null, null, null, null, null, delay.toMillis(), null));
    }

    /** The faults apply to the first process on the state file only: a restarted double is well. */
    public OrchestratorDoubleProcess firstStartOnly() {
        return with(copy(options, null, null, null, null, null, null, null, true));
    }

    public OrchestratorDouble.Options options() {
        return options;
    }

    public Optional<Path> stateFile() {
        return Optional.ofNullable(options.state());
    }

    /** {@code <java.home>/bin/java <flags> -cp <java.class.path> dev.mcphealth.testkit.OrchestratorDouble <args>}. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(OrchestratorDouble.class.getName());
        cmd.addAll(options.toArgs());
        return cmd;
    }

    /** The command as the SDK's stdio client takes it. */
    public ServerParameters serverParameters() {
        List<String> cmd = command();
        return ServerParameters.builder(cmd.get(0)).args(cmd.subList(1, cmd.size())).build();
    }

    /** An {@code mcpServers} entry: {@code {"command": ..., "args": [...]}}. */
    public Map<String, Object> configEntry() {
        List<String> cmd = command();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("command", cmd.get(0));
        entry.put("args", cmd.subList(1, cmd.size()));
        return entry;
    }

    /**
     * Writes an MCP Health config with this double as the one server {@code name} of {@code serverType}:
     * {@code {"mcpServers": {name: entry}, "health": {"servers": {name: {"serverType": serverType}}}}}.
     */
    public Path writeConfig(Path file, String name, String serverType) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("mcpServers", Map.of(name, configEntry()));
        root.put("health", Map.of("servers", Map.of(name, Map.of("serverType", serverType))));
        try {
            Files.write(file, MAPPER.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The state file as it is now (empty state if the double has not written it yet). */
    public State state() {
        return readState(stateFile().orElseThrow(() -> new IllegalStateException("this double keeps no state file")));
    }

    /** Polls the state file until {@code condition} holds; fails with the last state seen after {@code timeout}. */
    public State awaitState(Predicate<State> condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        State s = state();
        while (!condition.test(s)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the orchestrator double's state did not get there within " + timeout
                        + "; calls: " + s.described() + ", starts: " + s.starts().size());
            }
            Thread.sleep(50);
            s = state();
        }
        return s;
    }

    /** Reads a state file. */
    @SuppressWarnings("unchecked")
    public static State readState(Path file) {
        if (!Files.exists(file)) {
            return new State(List.of(), false, List.of(), List.of(), List.of());
        }
        Map<String, Object> root;
        try {
            root = MAPPER.readValue(Files.readAllBytes(file), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JacksonException e) {
            throw new IllegalStateException(file + " is not JSON: " + e.getOriginalMessage(), e);
        }
        List<Start> starts = new ArrayList<>();
        for (Map<String, Object> s : (List<Map<String, Object>>) root.getOrDefault("starts", List.of())) {
            starts.add(new Start(((Number) s.get("pid")).longValue(), (String) s.get("started_at"),
                    (List<String>) s.getOrDefault("args", List.of()), Boolean.TRUE.equals(s.get("faults_active"))));
        }
        List<Task> tasks = new ArrayList<>();
        for (Map<String, Object> t : (List<Map<String, Object>>) root.getOrDefault("tasks", List.of())) {
            tasks.add(new Task((String) t.get("task_id"), (String) t.get("title"), (String) t.get("status"),
                    (String) t.get("summary"), (String) t.get("detailed_work"),
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(t))));
        }
        List<Call> calls = new ArrayList<>();
        for (Map<String, Object> c : (List<Map<String, Object>>) root.getOrDefault("calls", List.of())) {
            calls.add(new Call(((Number) c.get("seq")).intValue(), ((Number) c.get("pid")).longValue(),
                    (String) c.get("tool"), (Map<String, Object>) c.getOrDefault("arguments", Map.of()),
                    (String) c.get("received_at"), Boolean.TRUE.equals(c.get("answered"))));
        }
        List<Map<String, Object>> sessions = (List<Map<String, Object>>) root.getOrDefault("sessions", List.of());
        return new State(starts, Boolean.TRUE.equals(root.get("maintenance_mode")), sessions, tasks, calls);
    }

    /** The whole state file. */
    public record State(List<Start> starts, boolean maintenanceMode, List<Map<String, Object>> sessions,
                        List<Task> tasks, List<Call> calls) {
        public State {
            starts = List.copyOf(starts);
            sessions = List.copyOf(sessions);
            tasks = List.copyOf(tasks);
            calls = List.copyOf(calls);
        }

        public Optional<Task> task(String taskId) {
            return tasks.stream().filter(t -> t.taskId().equals(taskId)).findFirst();
        }

        /** The tools called, in the order the calls arrived. */
        public List<String> toolNames() {
            return calls.stream().map(Call::tool).toList();
        }

        /** Each call's tool, and the status and description it carried, if any (cut): what a failure says. */
        public List<String> described() {
            return calls.stream().map(c -> {
                StringBuilder b = new StringBuilder(c.tool());
                for (String key : List.of("status", "summary", "description")) {
                    Object v = c.arguments() == null ? null : c.arguments().get(key);
                    if (v != null) {
                        String text = String.valueOf(v);
                        b.append(' ').append(key).append('=').append(text.length() > 120 ? text.substring(0, 120)
                                + "..." : text);
                    }
                }
                return b.toString();
            }).toList();
        }

        public List<Call> callsTo(String tool) {
            return calls.stream().filter(c -> c.tool().equals(tool)).toList();
        }
    }

    /** One process start. */
    public record Start(long pid, String startedAt, List<String> args, boolean faultsActive) {
    }

    /** One task; {@code fields} has all of them as stored. */
    public record Task(String taskId, String title, String status, String summary, String detailedWork,
                       Map<String, Object> fields) {
    }

    /** One tool call as received. */
    public record Call(int seq, long pid, String tool, Map<String, Object> arguments, String receivedAt,
                       boolean answered) {
    }

    private OrchestratorDoubleProcess with(OrchestratorDouble.Options o) {
        return new OrchestratorDoubleProcess(o);
    }

    private static OrchestratorDouble.Options copy(OrchestratorDouble.Options o, Path state, Boolean unhealthy,
                                                   Integer dieAfter, String dieOn, Long delayMs, Set<String> slowTools,
                                                   Long pingDelayMs, Boolean firstStartOnly) {
        return new OrchestratorDouble.Options(
                state != null ? state : o.state(),
                unhealthy != null ? unhealthy : o.unhealthy(),
                dieAfter != null ? dieAfter : o.dieAfter(),
                dieOn != null ? dieOn : o.dieOn(),
                delayMs != null ? delayMs : o.delayMs(),
                slowTools != null ? slowTools : o.slowTools(),
                pingDelayMs != null ? pingDelayMs : o.pingDelayMs(),
                firstStartOnly != null ? firstStartOnly : o.firstStartOnly());
    }
}
