package dev.mcphealth.adapter.mcp;

import dev.mcphealth.adapter.web.Obj;
import dev.mcphealth.application.port.in.AdviseTuningUseCase;
import dev.mcphealth.application.port.in.ApplyTuningUseCase;
import dev.mcphealth.application.port.in.ReadTrialsUseCase;
import dev.mcphealth.domain.tuning.ChangeTrial;
import dev.mcphealth.application.port.in.ReportUsageUseCase;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.tuning.TuningAdvice;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code orchestrator_performance_optimizer}: tuning proposals for timeouts, intervals and breakers from the measured
 * data, each with its current value, the proposal and the evidence; with {@code apply: true} they are applied to the
 * running monitor at once (until it stops: the config file is not written) and each change is reported before/after:
 * the setting's value, and the server's figures over the trial window before it; once the window after it is over the
 * change is judged and kept or rolled back, and every reply lists the trials (running and ended) with both windows.
 */
final class PerformanceOptimizerTool implements HealthTool {
    static final String NAME = "orchestrator_performance_optimizer";
    static final List<String> TARGETS = Arrays.stream(TuningAdvice.Target.values()).map(TuningAdvice.Target::code)
            .toList();
    static final List<String> LEVELS = Arrays.stream(TuningAdvice.Level.values()).map(TuningAdvice.Level::code)
            .toList();
    private final AdviseTuningUseCase advice;
    private final ApplyTuningUseCase applier;
    private final ReadTrialsUseCase trials;
    private final Optional<dev.mcphealth.application.port.in.CleanUpOrchestratorUseCase> cleanup;
    private final Optional<ReportUsageUseCase> usage;
    private final InputSchema input;

    PerformanceOptimizerTool(AdviseTuningUseCase advice, ApplyTuningUseCase applier, ReadTrialsUseCase trials,
                             Optional<dev.mcphealth.application.port.in.CleanUpOrchestratorUseCase> cleanup,
                             Optional<ReportUsageUseCase> usage, List<String> serverTypes) {
        this.cleanup = cleanup;
        this.usage = usage;
        this.advice = advice;
        this.applier = applier;
        this.trials = trials;
        this.input = new InputSchema(List.of(
                Arg.oneOf("optimization_target", "what to optimize for: latency (timeouts against p99), throughput, "
                        + "reliability (faster detection, breakers, instances), cost (fewer probes)", TARGETS)
                        .required(),
                Arg.listOf("server_types", "server types to cover (default: all configured)", serverTypes),
                Arg.oneOf("optimization_level", "how far one proposal may move a setting: at most ÷/× 2 "
                        + "(conservative), 3 (balanced) or 5 (aggressive)", LEVELS)
                        .byDefault("balanced"),
                Arg.flag("apply", "apply the proposals to the running monitor now, until it stops (the config file "
                        + "is not changed); each is on trial: judged on the server's figures after it against those"
                        + " before it, and rolled back if worse; proposals that need a person are skipped")
                        .byDefault(false),
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
    public boolean readOnly() {
        return false;
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
        p.put("applied", Schemas.type("boolean", "whether any proposal was applied"));
        p.put("recommendations", Schemas.arrayOfObjects("setting, current, proposed, reason, evidence per server"));
        p.put("changes", Schemas.arrayOfObjects("with apply: per proposal, applied or skipped, before and after;"
                + " an applied one's trial: the window before it and when it will be judged"));
        p.put("trials", Schemas.arrayOfObjects("the changes applied since the monitor started, newest first:"
                + " before and after (setting and figures), status running, kept, rolled_back or overtaken, verdict"
                + " and evidence"));
        p.put("cleanup", Schemas.type("object", "after applying, with an orchestrator configured: its "
                + "maintenance_coordinator scan_cleanup"));
        p.put("notes", Schemas.type("array", "what could not be judged and why"));
        p.put("capacity", Schemas.arrayOfObjects("gateway mode: per pool, an instance's capacity, the instances each"
                + " hour of the week needs and the recommendation with its evidence (never applied: starting and"
                + " stopping instances is a person's or the orchestrator's)"));
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
                .put("recommendations", advised.get("recommendations"))
                .put("notes", a.notes());
        String proposals = a.recommendations().isEmpty()
                ? "No changes proposed for " + a.target().map(t -> t.code()).orElse("") + " (" + a.level().code() + ")"
                        + (a.notes().isEmpty() ? "." : ": " + String.join("; ", a.notes()) + ".")
                : a.recommendations().size() + " proposal(s) for " + a.target().map(t -> t.code()).orElse("") + " ("
                        + a.level().code() + "): " + a.recommendations().stream()
                        .map(r -> r.server().value() + " " + r.setting().code() + " " + r.current() + " -> "
                                + r.proposed() + " (" + r.reason() + ")")
                        .collect(Collectors.joining("; ")) + ".";
        String text = proposals;
        boolean applied = false;
        if (args.flag("apply") && !a.recommendations().isEmpty()) {
            ApplyTuningUseCase.Result r = applier.apply(new ApplyTuningUseCase.Command(a.recommendations()));
            applied = !r.applied().isEmpty();
            out.put("changes", r.changes().stream().map(c -> change(c, r)).toList());
            text = "Applied " + r.applied().size() + " of " + r.changes().size() + " proposal(s) to the running "
                    + "monitor (until it stops; the config file is unchanged)"
                    + (r.applied().isEmpty() ? "" : ": " + r.applied().stream()
                    .map(c -> c.recommendation().server().value() + " " + c.recommendation().setting().code() + " "
                            + c.recommendation().setting().text(c.was()) + " -> "
                            + c.recommendation().setting().text(c.now()))
                    .collect(Collectors.joining("; ")))
                    + (r.trials().isEmpty() ? "" : ". Each is on trial for " + r.trials().get(0).window().toMinutes() + " min"
                    + " and rolled back if the server does worse than before it: " + r.trials().stream()
                    .map(t -> t.server().value() + " before: " + TrialViews.figures(t.before()))
                    .distinct().collect(Collectors.joining("; ")))
                    + (r.skipped().isEmpty() ? "" : ". Skipped: " + r.skipped().stream()
                    .map(c -> c.recommendation().server().value() + " " + c.recommendation().setting().code() + " ("
                            + c.reason() + ")")
                    .collect(Collectors.joining("; ")))
                    + ".";
            if (applied && cleanup.isPresent()) {
                dev.mcphealth.application.port.in.CleanUpOrchestratorUseCase.Cleanup c = cleanup.get()
                        .cleanupAfterOptimization();
                out.put("cleanup", OrchestratorViews.step(c.step()));
                text += " Orchestrator cleanup: " + c.step().outcome().code() + ".";
            }
        }
        if (usage.isPresent()) {
            List<String> missing = new java.util.ArrayList<>();
            Optional<ReportUsageUseCase.UsageReport> read = CapacityViews.report(usage.get(), args.list(
                    "server_types").stream().map(ServerType::of).collect(Collectors.toSet()), missing);
            read.ifPresent(u -> out.put("capacity", CapacityViews.pools(u)));
            if (read.isPresent() && !read.get().pools().isEmpty()) {
                text += " Capacity (not applied: instances are started and stopped by a person or the orchestrator): "
                        + read.get().pools().stream().map(CapacityViews::line).collect(Collectors.joining("; "))
                        + ".";
            }
            if (!missing.isEmpty()) {
                text += " " + String.join("; ", missing) + ".";
            }
        }
        List<ChangeTrial> all = trials.trials();
        if (!all.isEmpty()) {
            out.put("trials", TrialViews.trials(all));
            List<String> ended = all.stream().filter(t -> t.phase().ended()).limit(5).map(TrialViews::ended).toList();
            if (!ended.isEmpty()) {
                text += " Trials ended: " + String.join("; ", ended) + ".";
            }
        }
        out.put("applied", applied);
        return Reply.ok(text, out.map());
    }

    private static Obj change(ApplyTuningUseCase.Change c, ApplyTuningUseCase.Result r) {
        TuningAdvice.Setting setting = c.recommendation().setting();
        Obj o = Obj.of()
                .put("server", c.recommendation().server().value())
                .put("setting", setting)
                .put("status", c instanceof ApplyTuningUseCase.Applied ? "applied" : "skipped")
                .put("before", c.before().map(setting::text))
                .put("after", c.after().map(setting::text));
        if (c instanceof ApplyTuningUseCase.Skipped) {
            o.put("reason", ((ApplyTuningUseCase.Skipped) c).reason());
        }
        if (c instanceof ApplyTuningUseCase.Applied a) {
            r.trial(a).ifPresent(t -> o.put("trial", Obj.of().put("id", t.id())
                    .put("windowSeconds", t.window().getSeconds()).put("judgeAt", t.judgeAt())
                    .put("before", TrialViews.window(t.before()))));
        }
        return o;
    }
}
