package dev.mcphealth.adapter.mcp;

import dev.mcphealth.adapter.web.Obj;
import dev.mcphealth.application.port.in.CoordinateFailoverUseCase;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.ServerType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code orchestrator_failover_coordinator}: restart, reconnect or fail over one server type now. */
final class FailoverCoordinatorTool implements HealthTool {
    static final String NAME = "orchestrator_failover_coordinator";
    static final List<String> STRATEGIES = Arrays.stream(CoordinateFailoverUseCase.Strategy.values())
            .map(CoordinateFailoverUseCase.Strategy::code).toList();
    static final List<String> FAILURE_TYPES = Arrays.stream(FailureType.values()).map(FailureType::code).toList();

    private final CoordinateFailoverUseCase coordinator;
    private final InputSchema input;

    FailoverCoordinatorTool(CoordinateFailoverUseCase coordinator, List<String> serverTypes) {
        this.coordinator = coordinator;
        this.input = new InputSchema(List.of(
                Arg.oneOf("server_type", "the server type to act on (a type from the config)", serverTypes)
                        .required(),
                Arg.oneOf("failure_type", "what went wrong, as the caller sees it (recorded with the run)",
                        FAILURE_TYPES).required(),
                Arg.oneOf("recovery_strategy", "auto: restart (stdio) or reconnect (HTTP) the instances that are down, "
                        + "then report where calls go; restart; reconnect; failover: move calls to another healthy "
                        + "instance or the fallback type; manual: change nothing, report what a person could do",
                        STRATEGIES).byDefault("auto"),
                Orchestration.sessionArg()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "Coordinate failover of an MCP server type";
    }

    @Override
    public String description() {
        return "Recovers or fails over one configured server type now: restarts stdio servers, reconnects remote "
                + "ones, or moves calls to a healthy instance or the configured fallback type, and reports each step.";
    }

    @Override
    public boolean destructive() {
        return true;
    }

    @Override
    public InputSchema input() {
        return input;
    }

    @Override
    public Map<String, Object> outputSchema() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("serverType", Schemas.type("string", "the type acted on"));
        p.put("strategy", Schemas.oneOf(STRATEGIES, "the strategy run"));
        p.put("failureType", Schemas.oneOf(FAILURE_TYPES, "the failure type given"));
        p.put("steps", Schemas.arrayOfObjects("what was done to each instance and how it went"));
        p.put("servingNow", Schemas.type("string", "the instance calls go to now, if any can serve"));
        p.put("summary", Schemas.type("string", "one line on the outcome"));
        p.put("orchestrator", Schemas.orchestrator());
        return Schemas.object(p, List.of("serverType", "strategy", "failureType", "steps", "summary"));
    }

    @Override
    public Reply call(Args args) {
        return call(args, java.util.Optional.empty());
    }

    @Override
    public Reply call(Args args, dev.mcphealth.application.port.in.RunAsTaskUseCase.Context link) {
        return call(args, java.util.Optional.of(link));
    }

    private Reply call(Args args, java.util.Optional<dev.mcphealth.application.port.in.RunAsTaskUseCase.Context> link) {
        CoordinateFailoverUseCase.Report r = coordinator.coordinate(new CoordinateFailoverUseCase.Command(
                ServerType.of(args.textOr("server_type", "")),
                FailureType.fromCode(args.textOr("failure_type", "")),
                CoordinateFailoverUseCase.Strategy.fromCode(args.textOr("recovery_strategy", "auto")), link));
        Obj out = Obj.of()
                .put("serverType", r.serverType().value())
                .put("strategy", r.strategy())
                .put("failureType", args.textOr("failure_type", ""))
                .put("steps", r.steps().stream().map(s -> Obj.of()
                        .put("server", s.server().value())
                        .put("action", s.action())
                        .put("succeeded", s.succeeded())
                        .put("detail", s.detail())
                        .put("tookMs", s.took())).toList())
                .put("servingNow", r.servingNow().map(id -> id.value()))
                .put("summary", r.summary());
        boolean failed = !r.steps().isEmpty() && r.steps().stream().noneMatch(CoordinateFailoverUseCase.Step::succeeded)
                && r.servingNow().isEmpty();
        String text = r.summary() + (r.steps().isEmpty() ? "" : " Steps: " + r.steps().stream()
                .map(s -> s.server().value() + " " + s.action().code() + (s.succeeded() ? " ok" : " failed: "
                        + s.detail()))
                .collect(Collectors.joining("; ")) + ".");
        return new Reply(text, out.map(), failed);
    }
}
