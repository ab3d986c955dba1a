package dev.mcphealth.adapter.mcp;

import dev.mcphealth.adapter.web.Obj;
import dev.mcphealth.application.port.in.RunAsTaskUseCase;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A tool whose call, when it carries {@code orchestrator_session_id}, runs as a task of the MCP Task Orchestrator:
 * planned with the title, description and complexity the design gives, executed, then completed with the reply's
 * summary and its structured content as the detailed work. The reply gains an {@code orchestrator} block: the session,
 * the task, how the run is linked, and why when it is not; for a multi-step run its steps (subtasks) and how it closed
 * (progress from query_tasks, synthesis from synthesize_results or MCP Health's own count).
 */
final class OrchestratedTool implements HealthTool {
    /** The detailed work sent to complete_task is cut to this many characters. */
    static final int MAX_LOG = 20_000;

    private final HealthTool inner;
    private final RunAsTaskUseCase runs;
    private final Function<Args, TaskSpec> task;

    /** How the design names the task of one call. */
    record TaskSpec(String title, String description, RunAsTaskUseCase.Complexity complexity) {
    }

    OrchestratedTool(HealthTool inner, RunAsTaskUseCase runs, Function<Args, TaskSpec> task) {
        this.inner = inner;
        this.runs = runs;
        this.task = task;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String title() {
        return inner.title();
    }

    @Override
    public String description() {
        return inner.description();
    }

    @Override
    public boolean readOnly() {
        return inner.readOnly();
    }

    @Override
    public boolean destructive() {
        return inner.destructive();
    }

    @Override
    public InputSchema input() {
        return inner.input();
    }

    @Override
    public Map<String, Object> outputSchema() {
        return inner.outputSchema();
    }

    @Override
    public Reply call(Args args) {
        Optional<String> session = args.text("orchestrator_session_id");
        if (session.isEmpty()) {
            return inner.call(args);
        }
        TaskSpec spec = task.apply(args);
        RunAsTaskUseCase.Linked<Reply> linked = runs.run(new RunAsTaskUseCase.Request(session.get(), spec.title(),
                spec.description(), spec.complexity()), context -> {
                    Reply r = inner.call(args, context);
                    return new RunAsTaskUseCase.Work<>(r, r.summary(), log(r), r.error());
                });
        RunAsTaskUseCase.Link link = linked.link();
        Map<String, Object> structured = new LinkedHashMap<>(linked.result().structured());
        structured.put("orchestrator", Obj.of()
                .put("sessionId", link.sessionId())
                .put("taskId", link.taskId())
                .put("state", link.state().name().toLowerCase(java.util.Locale.ROOT))
                .put("configured", link.state() != RunAsTaskUseCase.State.NOT_CONFIGURED)
                .put("message", link.message())
                .put("steps", link.steps().stream().map(st -> Obj.of()
                        .put("title", st.title())
                        .put("taskId", st.taskId())
                        .put("outcome", st.failed() ? "failed" : "completed")
                        .put("summary", st.summary()).map()).toList())
                .put("synthesis", link.synthesis().map(syn -> Obj.of()
                        .put("by", syn.by())
                        .put("subtasks", syn.subtasks())
                        .put("completed", syn.completed())
                        .put("failed", syn.failed())
                        .put("successRate", syn.successRate())
                        .put("progress", syn.progress())
                        .put("note", syn.note()).map())).map());
        return new Reply(linked.result().summary() + " Orchestrator: " + link.message() + ".", structured,
                linked.result().error());
    }

    private static String log(Reply r) {
        try {
            String json = McpJsonDefaults.getMapper().writeValueAsString(r.structured());
            return json.length() <= MAX_LOG ? json : json.substring(0, MAX_LOG - 1) + "…";
        } catch (IOException e) {
            return r.summary();
        }
    }
}
