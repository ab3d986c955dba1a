package dev.mcphealth.adapter.mcp;

import dev.mcphealth.application.port.in.AdviseTuningUseCase;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.TuningAdvice;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code orchestrator_performance_optimizer}: tuning proposals for timeouts, intervals and breakers from the measured
 * data, each with its current value, the proposal and the evidence. Applying them to the running monitor is not built
 * yet: {@code apply: true} is refused with a message saying so, and the proposals are still returned.
 */
final class PerformanceOptimizerTool implements HealthTool {
    static final String NAME = "orchestrator_performance_optimizer";
    static final List<String> TARGETS = Arrays.stream(TuningAdvice.Target.values()).map(TuningAdvice.Target::code)
            .toList();
    static final List<String> LEVELS = Arrays.stream(TuningAdvice.Level.values()).map(TuningAdvice.Level::code)
            .toList();
    static final String NOT_APPLIED = "apply is not supported yet: MCP Health cannot change a running monitor's "
            + "settings; set the proposed values in the config file (see docs/configuration.md) and restart it";

    private final AdviseTuningUseCase advice;
    private final InputSchema input;

    PerformanceOptimizerTool(AdviseTuningUseCase advice, List<String> serverTypes) {
        this.advice = advice;
        this.input = new InputSchema(List.of(
                Arg.oneOf("optimization_target", "what to optimize for: latency (timeouts against p99), throughput, "
                        + "reliability (faster detection, breakers, instances), cost (fewer probes)", TARGETS)
                        .required(),
                Arg.listOf("server_types", "server types to cover (default: all configured)", serverTypes),
                Arg.oneOf("optimization_level", "how far a proposal may move a setting", LEVELS)
                        .byDefault("balanced"),
                Arg.flag("apply", "apply the proposals to the running monitor (not supported yet: refused with a "
                        + "clear message)").byDefault(false),
                Orchestration.sessionArg()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "Propose performance tuning for MCP servers";
    }

    @Override
    public String description() {
        return "Proposes timeouts, probe intervals and circuit-breaker settings for the watched MCP servers from their "
                + "measured latency, errors and failure history, with the current value, the proposal and the "
                + "evidence for each.";
    }

    @Override
    public InputSchema input() {
        return input;
    }

    @Override
    public Map<String, Object> outputSchema() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("target", Schemas.oneOf(TARGETS, "what was optimized for"));
        p.put("level", Schemas.oneOf(LEVELS, "how far proposals may move a setting"));
        p.put("applied", Schemas.type("boolean", "whether the proposals were applied (never, yet)"));
        p.put("recommendations", Schemas.arrayOfObjects("setting, current, proposed, reason, evidence per server"));
        p.put("notes", Schemas.type("array", "what could not be judged and why"));
        p.put("orchestrator", Schemas.orchestrator());
        return Schemas.object(p, List.of("target", "level", "applied", "recommendations"));
    }

    @Override
    public Reply call(Args args) {
        TuningAdvice a = advice.advise(new AdviseTuningUseCase.Query(
                args.list("server_types").stream().map(ServerType::of).collect(Collectors.toSet()),
                Optional.of(TuningAdvice.Target.fromCode(args.textOr("optimization_target", "latency"))),
                TuningAdvice.Level.fromCode(args.textOr("optimization_level", "balanced"))));
        Map<String, Object> advised = Views.advice(a).map();
        Obj out = Obj.of()
                .put("target", a.target())
                .put("level", a.level())
                .put("applied", false)
                .put("recommendations", advised.get("recommendations"))
                .put("notes", a.notes());
        Orchestration.note(args).ifPresent(o -> out.put("orchestrator", o));
        String text = a.recommendations().isEmpty()
                ? "No changes proposed for " + a.target().map(t -> t.code()).orElse("") + " ("
                        + a.level().code() + ")" + (a.notes().isEmpty() ? "." : ": " + String.join("; ", a.notes()) + ".")
                : a.recommendations().size() + " proposal(s) for " + a.target().map(t -> t.code()).orElse("") + " ("
                        + a.level().code() + "): " + a.recommendations().stream()
                        .map(r -> r.server().value() + " " + r.setting().code() + " " + r.current() + " -> "
                                + r.proposed() + " (" + r.reason() + ")")
                        .collect(Collectors.joining("; ")) + ".";
        if (args.flag("apply")) {
            return new Reply(Orchestration.summary(NOT_APPLIED + ". " + text, args), out.map(), true);
        }
        return Reply.ok(Orchestration.summary(text, args), out.map());
    }
}
