package dev.mcphealth.application.orchestrator;

import dev.mcphealth.application.port.in.RunAsTaskUseCase.Step;
import dev.mcphealth.application.port.in.RunAsTaskUseCase.Synthesis;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationStatus;
import dev.mcphealth.application.port.out.OrchestratorIntegrationLogPort.IntegrationType;
import dev.mcphealth.application.port.out.OrchestratorPort;
import dev.mcphealth.application.port.out.OrchestratorRequest;
import dev.mcphealth.application.port.out.OrchestratorTool;
import dev.mcphealth.domain.orchestrator.OrchestratorAnswer;
import dev.mcphealth.domain.orchestrator.OrchestratorReply;
import dev.mcphealth.domain.model.Faults;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * How a run with steps is closed (see {@link RunAsTaskService}): query_tasks for the subtasks' progress and
 * synthesize_results, each recorded in the integration log; the contract says query_tasks errors whenever its result
 * is non-empty and synthesize_results answers "not found", so the synthesis falls back on MCP Health's own count of
 * its steps and says so. A log that cannot be written is told to the run ({@code trouble}), never thrown.
 */
final class RunClosing {
    /** How many of the run's subtasks query_tasks is asked for (a run has far fewer steps). */
    static final int SUBTASKS_ASKED = 100;

    private final OrchestratorPort port;
    private final OrchestratorIntegrationLogPort log;
    private final Clock clock;
    private final Consumer<String> trouble;

    RunClosing(OrchestratorPort port, OrchestratorIntegrationLogPort log, Clock clock, Consumer<String> trouble) {
        this.port = port;
        this.log = log;
        this.clock = clock;
        this.trouble = trouble;
    }

    /**
     * Closes a run with steps: query_tasks for the subtasks' progress, then synthesize_results; neither is asked
     * while the run's calls wait in the outbox (they read what the orchestrator has not been told yet).
     */
    Synthesis close(Optional<String> taskId, boolean waiting, List<Step> done) {
        int completed = (int) done.stream().filter(s -> !s.failed()).count();
        int failedSteps = done.size() - completed;
        if (taskId.isEmpty() || waiting) {
            String why = "not asked: " + (waiting ? "the run's calls wait in the outbox"
                    : "the run has no task in the orchestrator");
            return new Synthesis(RunAsTaskService.BY_MCP_HEALTH, done.size(), completed, failedSteps, why, why);
        }
        String parent = taskId.get();
        OrchestratorReply progressReply = port.call(new OrchestratorRequest.QueryTasks(parent, SUBTASKS_ASKED));
        String progress;
        if (progressReply instanceof OrchestratorReply.Answered a) {
            progress = progressOf(a.answer());
        } else {
            progress = "query_tasks gave none (" + progressReply.describe() + ")"
                    + (progressReply instanceof OrchestratorReply.Refused
                    && done.stream().anyMatch(s -> s.taskId().isPresent())
                    ? "; it errors whenever its result is non-empty, a known quirk of the orchestrator" : "");
        }
        record(OrchestratorTool.QUERY_TASKS, progressReply, parent, Map.of("progress", progress));
        OrchestratorReply synthesized = port.call(new OrchestratorRequest.SynthesizeResults(parent));
        Optional<Synthesis> theirs = synthesized instanceof OrchestratorReply.Answered a
                ? theirs(a.answer(), progress) : Optional.empty();
        Synthesis synthesis = theirs.orElseGet(() -> new Synthesis(RunAsTaskService.BY_MCP_HEALTH, done.size(), completed,
                failedSteps, progress, "synthesize_results gave none (" + synthesized.describe()
                + "); the steps are counted by MCP Health"));
        record(OrchestratorTool.SYNTHESIZE_RESULTS, synthesized, parent, Map.of("by", synthesis.by(),
                "subtasks", synthesis.subtasks(), "completed", synthesis.completed(), "failed",
                synthesis.failed(), "note", synthesis.note()));
        return synthesis;
    }

    /** Records one closing call; a log that cannot be written is said in the run's message, never thrown. */
    private void record(OrchestratorTool tool, OrchestratorReply reply, String parent,
                        Map<String, Object> found) {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("parentTaskId", parent);
        results.put("reply", reply.code());
        if (!(reply instanceof OrchestratorReply.Answered)) {
            results.put("error", reply.describe());
        }
        results.putAll(found);
        try {
            log.record(new OrchestratorIntegrationLogPort.Entry(IntegrationType.EXTERNAL_MONITORING, tool,
                    reply instanceof OrchestratorReply.Answered ? IntegrationStatus.ACTIVE
                            : IntegrationStatus.FAILED, clock.instant(), results));
        } catch (RuntimeException e) {
            trouble.accept(tool.shortName() + " could not be recorded: " + Faults.describe(e));
        }
    }

    /** "N subtask(s): 2 completed, 1 failed" from query_tasks' tasks. */
    private static String progressOf(OrchestratorAnswer answer) {
        if (!(answer instanceof OrchestratorAnswer.Subtasks subtasks) || subtasks.statuses().isEmpty()) {
            return "query_tasks answered without tasks";
        }
        List<String> statuses = subtasks.statuses().get();
        Map<String, Long> byStatus = statuses.stream()
                .collect(Collectors.groupingBy(s -> s, java.util.TreeMap::new, Collectors.counting()));
        return statuses.size() + " subtask(s) in the orchestrator" + (byStatus.isEmpty() ? "" : ": " + byStatus
                .entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
    }

    /** synthesize_results' own counts, when it answered with them. */
    private static Optional<Synthesis> theirs(OrchestratorAnswer answer, String progress) {
        if (!(answer instanceof OrchestratorAnswer.Synthesized synthesized) || synthesized.counts().isEmpty()) {
            return Optional.empty();
        }
        OrchestratorAnswer.Synthesized.Counts c = synthesized.counts().get();
        return Optional.of(new Synthesis(RunAsTaskService.BY_ORCHESTRATOR, c.total(), c.completed(), c.failed(), progress,
                "synthesized by the orchestrator (" + synthesized.keyOutcomes() + " key outcome(s))"));
    }

    /** The run's steps and synthesis, as told in its detailed work. */
    static String stepsText(List<Step> steps, Synthesis s) {
        return "Steps (" + steps.size() + "):\n" + steps.stream()
                .map(st -> "- [" + (st.failed() ? "failed" : "completed") + "] " + st.title()
                        + st.taskId().map(t -> " (" + t + ")").orElse("") + ": " + st.summary())
                .collect(Collectors.joining("\n"))
                + "\nSynthesis (" + s.by() + "): " + s.completed() + " of " + s.subtasks() + " completed, "
                + s.failed() + " failed; progress: " + s.progress() + "; " + s.note();
    }
}
