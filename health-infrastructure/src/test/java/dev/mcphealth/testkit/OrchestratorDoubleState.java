package dev.mcphealth.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the {@link OrchestratorDouble} holds: process starts, sessions, tasks and the ordered log of every tool call,
 * all kept in the state file (see {@link OrchestratorDoubleProcess} for the format) and loaded again by the next process
 * that is started on the same file; plus what lives only as long as the process, like the real server's in-memory
 * maintenance mode. Not thread-safe: the double calls it under one lock. One process per state file at a time: a
 * process writes the whole file from its own memory, so a second live process on the same file would overwrite the
 * first one's calls (a replaced double must be gone first, as it is once its stdin closes or it is killed).
 */
final class OrchestratorDoubleState {
    static final String FORMAT = "mcp-health/orchestrator-double-state/1";
    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Path file;
    final List<Map<String, Object>> starts = new ArrayList<>();
    final Map<String, Map<String, Object>> sessions = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> tasks = new LinkedHashMap<>();
    final List<Map<String, Object>> calls = new ArrayList<>();
    /** Whether an earlier process already ran on this state file. */
    final boolean restarted;

    // process-local, like the real server's ShutdownCoordinator: lost when the process ends
    boolean maintenanceMode;
    String shutdownPhase = "idle";
    double shutdownProgress = 0.0;
    String shutdownMessage = "Ready for shutdown";
    String shutdownStartedAt;
    final List<String> shutdownErrors = new ArrayList<>();
    int callsThisProcess;

    private OrchestratorDoubleState(Path file, boolean restarted) {
        this.file = file;
        this.restarted = restarted;
    }

    /** A state with nothing persisted. */
    static OrchestratorDoubleState inMemory() {
        return new OrchestratorDoubleState(null, false);
    }

    /** Loads {@code file} if it exists (tasks, sessions, calls and starts carry over), else starts empty. */
    @SuppressWarnings("unchecked")
    static OrchestratorDoubleState open(Path file) {
        if (file == null || !Files.exists(file)) {
            return new OrchestratorDoubleState(file, false);
        }
        Map<String, Object> root;
        try {
            root = MAPPER.readValue(Files.readAllBytes(file), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state file " + file, e);
        } catch (JacksonException e) {
            throw new IllegalStateException("the state file " + file + " is not JSON: " + e.getOriginalMessage(), e);
        }
        if (!FORMAT.equals(root.get("format"))) {
            throw new IllegalStateException("the state file " + file + " is not of format " + FORMAT);
        }
        List<Map<String, Object>> oldStarts = (List<Map<String, Object>>) root.getOrDefault("starts", List.of());
        OrchestratorDoubleState s = new OrchestratorDoubleState(file, !oldStarts.isEmpty());
        s.starts.addAll(oldStarts);
        for (Map<String, Object> x : (List<Map<String, Object>>) root.getOrDefault("sessions", List.of())) {
            s.sessions.put((String) x.get("session_id"), new LinkedHashMap<>(x));
        }
        for (Map<String, Object> x : (List<Map<String, Object>>) root.getOrDefault("tasks", List.of())) {
            s.tasks.put((String) x.get("task_id"), new LinkedHashMap<>(x));
        }
        for (Map<String, Object> x : (List<Map<String, Object>>) root.getOrDefault("calls", List.of())) {
            s.calls.add(new LinkedHashMap<>(x));
        }
        return s;
    }

    /** Appends one call to the log, not yet answered; returns its entry, to be marked answered later. */
    Map<String, Object> recordCall(String tool, Map<String, Object> arguments, long pid, String receivedAt) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("seq", calls.size() + 1);
        call.put("pid", pid);
        call.put("tool", tool);
        call.put("arguments", arguments);
        call.put("received_at", receivedAt);
        call.put("answered", false);
        calls.add(call);
        callsThisProcess++;
        return call;
    }

    /** Rewrites the whole file: written beside it, then renamed over it, so a reader never sees half of it. */
    void save() {
        if (file == null) {
            return;
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("starts", starts);
        root.put("maintenance_mode", maintenanceMode);
        root.put("sessions", List.copyOf(sessions.values()));
        root.put("tasks", List.copyOf(tasks.values()));
        root.put("calls", calls);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                Files.write(tmp, MAPPER.writeValueAsBytes(root));
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state file " + file, e);
        }
    }
}
