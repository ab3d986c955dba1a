package dev.mcphealth.adapter.mcp;

import java.util.List;

/** Use cases that fail the test if a tool reaches them: for calls that must be refused before any work. */
final class UnusedUseCases {
    private UnusedUseCases() {
    }

    static ToolUseCases of(List<String> names, List<String> types) {
        return new ToolUseCases(
                q -> fail("assess"), c -> fail("stress"), () -> fail("monitor"), q -> fail("analyzeFailures"),
                q -> fail("adviseTuning"), c -> fail("applyTuning"), () -> fail("trials"),
                c -> fail("coordinator"), q -> fail("history"), q -> fail("failures"),
                s -> fail("recoveryStatus"), s -> fail("recoverServer"), () -> fail("prepareShutdown"),
                new dev.mcphealth.application.port.in.RunAsTaskUseCase() {
                    @Override
                    public <T> Linked<T> run(Request request, java.util.function.Function<Context, Work<T>> work) {
                        return fail("runAsTask");
                    }
                }, ToolUseCases.Orchestrator.NONE,
                names, types);
    }

    private static <T> T fail(String what) {
        throw new AssertionError("a refused call reached the use case " + what);
    }
}
