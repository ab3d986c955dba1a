package dev.mcphealth.adapter.mcp;

import dev.mcphealth.adapter.web.ApiViews;

import dev.mcphealth.adapter.web.Obj;
import dev.mcphealth.application.port.in.AdviseTuningUseCase;
import dev.mcphealth.application.port.in.AnalyzeFailuresUseCase;
import dev.mcphealth.application.port.in.AssessHealthUseCase;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.StressTestUseCase;
import dev.mcphealth.domain.model.CheckDepth;
import dev.mcphealth.domain.model.Durations;
import dev.mcphealth.domain.history.FailureAnalysis;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.tuning.TuningAdvice;
import dev.mcphealth.domain.model.WindowStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.mcphealth.application.port.in.ReadTrialsUseCase;
import dev.mcphealth.application.port.in.ReportUsageUseCase;
import dev.mcphealth.domain.tuning.ChangeTrial;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code orchestrator_integration_monitor}: health checks, performance scans, failure analysis, optimization reports. */
final class IntegrationMonitorTool implements HealthTool {
    static final String NAME = "orchestrator_integration_monitor";
    static final List<String> ACTIONS = List.of("health_check", "performance_scan", "failure_analysis",
            "optimization_report");
    static final List<String> DEPTHS = List.of("basic", "comprehensive", "stress_test");

    private final AssessHealthUseCase assess;
    private final StressTestUseCase stress;
    private final ObserveMonitoringUseCase monitor;
    private final AnalyzeFailuresUseCase failures;
    private final AdviseTuningUseCase advice;
    private final Optional<dev.mcphealth.application.port.in.CheckOrchestratorUseCase> orchestrator;
    private final Optional<ReportUsageUseCase> usage;
    private final ReadTrialsUseCase trials;
    private final InputSchema input;

    IntegrationMonitorTool(AssessHealthUseCase assess, StressTestUseCase stress, ObserveMonitoringUseCase monitor,
                           AnalyzeFailuresUseCase failures, AdviseTuningUseCase advice,
                           Optional<dev.mcphealth.application.port.in.CheckOrchestratorUseCase> orchestrator,
                           Optional<ReportUsageUseCase> usage, ReadTrialsUseCase trials, List<String> serverTypes) {
        this.trials = trials;
        this.orchestrator = orchestrator;
        this.usage = usage;
        this.assess = assess;
        this.stress = stress;
        this.monitor = monitor;
        this.failures = failures;
        this.advice = advice;
        this.input = new InputSchema(List.of(
                Arg.oneOf("action", "health_check: probe now (check_depth says how); performance_scan: latency "
                        + "percentiles, error rate, availability and throughput per server from the live windows; "
                        + "failure_analysis: failure episodes grouped by type with MTTR; optimization_report: tuning "
                        + "recommendations from the measured data", ACTIONS).required(),
                Arg.listOf("server_types", "server types to cover (default: all configured)", serverTypes),
                Arg.oneOf("check_depth", "health_check only: basic (ping or cheapest method), comprehensive (also "
                        + "lists tools), stress_test (per server, one after another: 5 probes in sequence, then a burst "
                        + "of 50 with 5 at a time, 55 in all, over the kept session only; the burst stops at the first "
                        + "timeout or lost session, and no probe starts after 30 s)", DEPTHS)
                        .byDefault("basic"),
                Arg.flag("auto_recovery", "health_check only: restart or reconnect a server the check finds down, "
                        + "unless automatic recovery is already bringing it back (then its next attempt is reported)")
                        .byDefault(true),
                Arg.duration("window", "failure_analysis only: how far back to look, like 30m, 24h or 7d (1m to 90d)",
                        60, 90L * 86_400).byDefault("24h"),
                Orchestration.sessionArg()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "Monitor MCP server integrations";
    }

    @Override
    public String description() {
        return "Checks and analyses the health of the MCP servers this monitor watches: a fresh health check "
                + "(optionally recovering servers found down, or a bounded stress test), a performance scan from the "
                + "live metrics, a failure analysis with MTTR, or an optimization report.";
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
        p.put("action", Schemas.oneOf(ACTIONS, "the action run"));
        p.put("overall", Schemas.type("string", "health_check: the worst status found"));
        p.put("servers", Schemas.arrayOfObjects("health_check/performance_scan: one entry per server"));
        p.put("stress", Schemas.arrayOfObjects("health_check with stress_test: latency under load per server"));
        p.put("analysis", Schemas.type("object", "failure_analysis: episodes by type and by instance"));
        p.put("advice", Schemas.type("object", "optimization_report: recommendations with their evidence"));
        p.put("trials", Schemas.arrayOfObjects("optimization_report: the changes the optimizer applied since the"
                + " monitor started, newest first: before and after, status, verdict and evidence"));
        p.put("capacity", Schemas.arrayOfObjects("optimization_report in gateway mode: per pool, an instance's"
                + " capacity, the instances each hour of the week needs and the recommendation with its evidence"));
        p.put("orchestratorHealth", Schemas.type("object", "health_check with an orchestrator configured: its own "
                + "health check (self-monitoring)"));
        p.put("storageProblem", Schemas.type("string", "health_check in an orchestrator task: why its rows could not be "
                + "recorded, if they could not"));
        p.put("orchestrator", Schemas.orchestrator());
        return Schemas.object(p, List.of("action"));
    }

    @Override
    public Reply call(Args args) {
        return call(args, Optional.empty());
    }

    @Override
    public Reply call(Args args, dev.mcphealth.application.port.in.RunAsTaskUseCase.Context link) {
        return call(args, Optional.of(link));
    }

    private Reply call(Args args, Optional<dev.mcphealth.application.port.in.RunAsTaskUseCase.Context> link) {
        String action = args.textOr("action", "health_check");
        Set<ServerType> types = args.list("server_types").stream().map(ServerType::of).collect(Collectors.toSet());
        Obj out = Obj.of().put("action", action);
        String summary;
        switch (action) {
            case "performance_scan":
                summary = performance(types, out);
                break;
            case "failure_analysis":
                Duration window = args.duration("window").orElse(Duration.ofHours(24));
                FailureAnalysis a = failures.analyze(new AnalyzeFailuresUseCase.Query(types, window));
                out.put("analysis", Views.analysis(a));
                summary = failureSummary(a, Durations.format(window));
                break;
            case "optimization_report":
                TuningAdvice t = advice.advise(new AdviseTuningUseCase.Query(types, Optional.empty(),
                        TuningAdvice.Level.BALANCED));
                out.put("advice", Views.advice(t));
                summary = t.recommendations().size() + " recommendation(s)"
                        + (t.notes().isEmpty() ? "" : "; " + String.join("; ", t.notes()))
                        + (t.recommendations().isEmpty() ? "." : ": " + t.recommendations().stream()
                        .map(r -> r.server().value() + " " + r.setting().code() + " " + r.current() + " -> "
                                + r.proposed()).collect(Collectors.joining(", ")) + ".");
                java.util.Map<dev.mcphealth.domain.model.ServerId, ServerType> byServer = types.isEmpty()
                        ? java.util.Map.of() : monitorTypes();
                List<ChangeTrial> applied = trials.trials().stream()
                        .filter(x -> types.isEmpty() || Optional.ofNullable(byServer.get(x.server()))
                                .map(types::contains).orElse(false))
                        .toList();
                if (!applied.isEmpty()) {
                    out.put("trials", TrialViews.trials(applied));
                    summary += " Changes applied: " + applied.stream().limit(5).map(x -> x.phase().ended()
                            ? TrialViews.ended(x) : x.server().value() + " " + x.setting().code() + " "
                            + x.setting().text(x.was()) + " -> " + x.setting().text(x.now()) + " on trial until "
                            + x.judgeAt()).collect(Collectors.joining("; ")) + ".";
                }
                if (usage.isPresent()) {
                    List<String> missing = new java.util.ArrayList<>();
                    Optional<ReportUsageUseCase.UsageReport> read = CapacityViews.report(usage.get(), types, missing);
                    if (read.isPresent()) {
                        ReportUsageUseCase.UsageReport u = read.get();
                        out.put("capacity", CapacityViews.pools(u));
                        summary += u.pools().isEmpty() ? " Capacity: no usage learned yet."
                                : " Capacity: " + u.pools().stream().map(CapacityViews::line)
                                .collect(Collectors.joining("; ")) + ".";
                    } else {
                        summary += " " + String.join("; ", missing) + ".";
                    }
                }
                break;
            default:
                summary = healthCheck(types, args, out, link);
                break;
        }
        return Reply.ok(summary, out.map());
    }

    /** Each monitored server's type, from the monitor's snapshot. */
    private java.util.Map<dev.mcphealth.domain.model.ServerId, ServerType> monitorTypes() {
        java.util.Map<dev.mcphealth.domain.model.ServerId, ServerType> byServer = new java.util.HashMap<>();
        monitor.snapshot().forEach(s -> byServer.put(s.server(), s.type()));
        return byServer;
    }

    private String healthCheck(Set<ServerType> types, Args args, Obj out,
                               Optional<dev.mcphealth.application.port.in.RunAsTaskUseCase.Context> link) {
        String depth = args.textOr("check_depth", "basic");
        if (depth.equals("stress_test")) {
            StressTestUseCase.Report r = stress.run(StressTestUseCase.Command.of(types));
            out.put("stress", r.servers().stream().map(Views::stress).toList());
            return "Stress test of " + r.servers().size() + " server(s): " + r.servers().stream()
                    .map(s -> s.skipped().map(why -> s.server().value() + " skipped: " + why)
                            .orElseGet(() -> s.server().value() + " " + s.answered() + "/" + s.sent() + " answered, p50 "
                            + s.p50().map(Obj::human).orElse("-") + " (baseline "
                            + s.baselineP50().map(Obj::human).orElse("-") + "), p99 "
                            + s.p99().map(Obj::human).orElse("-") + s.aborted().map(a -> ", " + a).orElse("")))
                    .collect(Collectors.joining("; ")) + ".";
        }
        AssessHealthUseCase.Assessment a = assess.assess(new AssessHealthUseCase.Query(types,
                CheckDepth.fromCode(depth), args.flag("auto_recovery"), link));
        a.storageProblem().ifPresent(p -> out.put("storageProblem", p));
        out.put("overall", a.overall());
        out.put("servers", a.servers().stream().map(Views::assessed).toList());
        long unhealthy = a.servers().stream().filter(e -> e.status() != HealthStatus.HEALTHY).count();
        String orchestratorLine = orchestrator.map(o -> {
            dev.mcphealth.application.port.in.CheckOrchestratorUseCase.Checked c = o.checkOrchestrator();
            out.put("orchestratorHealth", OrchestratorViews.health(c.health()));
            return " The orchestrator reports itself " + OrchestratorViews.line(c.health()) + ".";
        }).orElse("");
        return "Health check (" + depth + ") of " + a.servers().size() + " server(s): overall " + a.overall().code()
                + (unhealthy == 0 ? "." : "; " + a.servers().stream().filter(e -> e.status() != HealthStatus.HEALTHY)
                .map(e -> e.server().id().value() + " " + e.status().code()
                        + e.recovery().map(r -> " (" + r.action().code() + (r.succeeded() ? " succeeded" : " failed")
                        + ")").orElse("")
                        + e.underWay().map(u -> " (recovery " + (u.attempting() ? "attempting now" : "under way, next "
                        + u.action().code() + " at " + u.nextAttemptAt()) + (u.exhausted() ? ", exhausted" : "")
                        + ")").orElse(""))
                .collect(Collectors.joining(", ")) + ".") + orchestratorLine;
    }

    private String performance(Set<ServerType> types, Obj out) {
        List<StatusSnapshot> rows = monitor.snapshot().stream()
                .filter(s -> types.isEmpty() || types.contains(s.type())).toList();
        out.put("servers", rows.stream().map(ApiViews::snapshot).toList());
        return "Performance of " + rows.size() + " server(s) over the last 15 min: " + rows.stream()
                .map(s -> {
                    WindowStats w = s.window(Duration.ofMinutes(15)).orElse(WindowStats.empty(Duration.ofMinutes(15)));
                    return s.server().value() + " p50 " + w.p50().map(Obj::human).orElse("-") + ", p99 "
                            + w.p99().map(Obj::human).orElse("-") + ", errors "
                            + w.errorRate().map(Obj::percent).orElse("-") + ", availability "
                            + w.availability().map(Obj::percent).orElse("-");
                })
                .collect(Collectors.joining("; ")) + ".";
    }

    private static String failureSummary(FailureAnalysis a, String window) {
        if (a.episodes() == 0) {
            return "No failure episodes in the last " + window + ".";
        }
        return a.episodes() + " failure episode(s) in the last " + window + " (" + a.open() + " open)"
                + (a.truncated() ? " (only the newest were read)" : "")
                + a.mttr().map(m -> ", MTTR " + Obj.human(m)).orElse("") + ": " + a.byType().stream()
                .map(g -> g.type().code() + " " + g.episodes()).collect(Collectors.joining(", "))
                + (a.instances().isEmpty() ? "" : "; most failing: " + a.instances().get(0).server().value()) + ".";
    }
}
