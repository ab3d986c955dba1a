package dev.mcphealth.adapter.mcp;

import dev.mcphealth.adapter.web.ApiViews;
import dev.mcphealth.adapter.web.Obj;
import dev.mcphealth.application.port.in.AnalyzeFailuresUseCase;
import dev.mcphealth.application.port.in.ObserveMonitoringUseCase;
import dev.mcphealth.application.port.in.ReadFailuresUseCase;
import dev.mcphealth.application.port.in.ReadHistoryUseCase;
import dev.mcphealth.application.port.in.ReadToolStatsUseCase;
import dev.mcphealth.application.port.in.ReadUsageProfilesUseCase;
import dev.mcphealth.domain.history.FailureAnalysis;
import dev.mcphealth.domain.history.HistoryBucket;
import dev.mcphealth.domain.history.HistoryReport;
import dev.mcphealth.domain.model.Durations;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.HealthStatus;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.UsageFigure;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code integration_health_dashboards}: overview, one server type, failures, trends; from live state and the store. */
final class HealthDashboardsTool implements HealthTool {
    static final String NAME = "integration_health_dashboards";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HealthDashboardsTool.class);
    static final List<String> VIEWS = List.of("overview", "server", "failures", "trends", "tools", "usage",
            "cluster");
    /** Failure rows listed at most (the analysis counts them all). */
    static final int MAX_FAILURES = 50;
    /** History buckets listed per server at most (the newest are kept). */
    static final int MAX_BUCKETS = 120;

    private final ObserveMonitoringUseCase monitor;
    private final ReadHistoryUseCase history;
    private final ReadFailuresUseCase failures;
    private final AnalyzeFailuresUseCase analysis;
    private final Optional<dev.mcphealth.application.port.in.ReadOrchestratorStatusUseCase> orchestrator;
    /** The gateway's per-tool figures; empty when this server routes no calls (no --gateway). */
    private final Optional<ReadToolStatsUseCase> toolStats;
    private final Optional<ReadUsageProfilesUseCase> usage;
    /** The monitors sharing the database (docs/cluster.md); empty where there is one. */
    private final dev.mcphealth.application.port.in.ReadClusterUseCase cluster;
    private final InputSchema input;

    HealthDashboardsTool(ObserveMonitoringUseCase monitor, ReadHistoryUseCase history, ReadFailuresUseCase failures,
                         AnalyzeFailuresUseCase analysis,
                         Optional<dev.mcphealth.application.port.in.ReadOrchestratorStatusUseCase> orchestrator,
                         Optional<ReadToolStatsUseCase> toolStats, Optional<ReadUsageProfilesUseCase> usage,
                         dev.mcphealth.application.port.in.ReadClusterUseCase cluster, List<String> serverTypes) {
        this.cluster = java.util.Objects.requireNonNull(cluster, "cluster");
        this.orchestrator = orchestrator;
        this.toolStats = toolStats;
        this.usage = usage;
        this.monitor = monitor;
        this.history = history;
        this.failures = failures;
        this.analysis = analysis;
        this.input = new InputSchema(List.of(
                Arg.oneOf("view", "overview: every server's status and SLA; server: one type's instances with "
                        + "history, alerts and failures; failures: recent episodes and their analysis; trends: "
                        + "latency and availability over time; tools: each tool called through the gateway in the "
                        + "last minute or two (requests, errors, p50/p95/p99); usage: what each server type's and"
                        + " tool's learned week expects of this hour (calls a minute, p50, p95, error share, with"
                        + " their usual bands and confidence) and its anomalies open now; cluster: the monitors"
                        + " sharing the database (PostgreSQL), their heartbeats and which servers each holds",
                        VIEWS).byDefault("overview"),
                Arg.oneOf("server_type", "the server type (required by view server; narrows failures and trends)",
                        serverTypes),
                Arg.duration("window", "how far back to look, like 15m, 1h, 24h or 7d (1m to 90d)", 60,
                        90L * 86_400).byDefault("1h")));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "MCP integration health dashboards";
    }

    @Override
    public String description() {
        return "Dashboards of the watched MCP servers: an overview of every server's status and SLA, one server "
                + "type's history, recent failures with MTTR, or latency and availability trends over a window.";
    }

    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public InputSchema input() {
        return input;
    }

    @Override
    public Map<String, Object> outputSchema() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("view", Schemas.oneOf(VIEWS, "the view shown"));
        p.put("window", Schemas.type("string", "the window looked at"));
        p.put("counts", Schemas.type("object", "overview: servers per status"));
        p.put("servers", Schemas.arrayOfObjects("overview/server/trends: one entry per server"));
        p.put("failures", Schemas.arrayOfObjects("failures: recent episodes, newest first"));
        p.put("analysis", Schemas.type("object", "failures: episodes by type with MTTR"));
        p.put("tools", Schemas.arrayOfObjects("tools: one entry per tool called through the gateway lately"));
        p.put("profiles", Schemas.arrayOfObjects("usage: one entry per learned profile (a server type, tool empty,"
                + " or one of its tools)"));
        p.put("orchestratorStatus", Schemas.type("object", "overview with an orchestrator configured: its get_status"));
        p.put("cluster", Schemas.type("object", "overview and cluster where monitors share the database: the members,"
                + " their heartbeats, what each holds, and every server's lease"));
        p.put("clusterNotRead", Schemas.type("string", "overview: why the cluster could not be read (the database"
                + " away)"));
        return Schemas.object(p, List.of("view", "window"));
    }

    @Override
    public Reply call(Args args) {
        String view = args.textOr("view", "overview");
        Duration window = args.duration("window").orElse(Duration.ofHours(1));
        String windowText = Durations.format(window);
        Optional<ServerType> type = args.text("server_type").map(ServerType::of);
        Obj out = Obj.of().put("view", view).put("window", windowText);
        String summary;
        switch (view) {
            case "server":
                ServerType t = type.orElseThrow(() -> new BadArgumentException("server_type",
                        "is required by view server"));
                List<StatusSnapshot> rows = snapshots(Optional.of(t));
                out.put("servers", rows.stream().map(s -> serverView(s, window)).toList());
                summary = "Server type " + t.value() + ": " + rows.stream().map(HealthDashboardsTool::line)
                        .collect(Collectors.joining("; ")) + ".";
                break;
            case "failures":
                Set<ServerType> types = type.map(Set::of).orElse(Set.of());
                FailureAnalysis a = analysis.analyze(new AnalyzeFailuresUseCase.Query(types, window));
                List<Failure> recent = failures.read(new ReadFailuresUseCase.Query(window, MAX_FAILURES)).stream()
                        .filter(f -> types.isEmpty() || types.contains(f.serverType())).toList();
                out.put("failures", recent.stream().map(ApiViews::failure).toList());
                out.put("analysis", Views.analysis(a));
                summary = a.episodes() + " failure episode(s) in " + windowText + " (" + a.open() + " open)"
                        + (a.truncated() ? " (only the newest were read)" : "")
                        + a.mttr().map(m -> ", MTTR " + Obj.human(m)).orElse("") + ".";
                break;
            case "tools":
                Set<ServerType> of = type.map(Set::of).orElse(Set.of());
                List<ReadToolStatsUseCase.ToolFigures> figures = toolStats.map(stats -> stats.toolStats(of))
                        .orElse(List.of());
                out.put("tools", figures.stream().map(ApiViews::tool).toList());
                summary = toolStats.isEmpty() ? "No tool calls go through this server: per-tool figures come with"
                        + " gateway mode (mcp-health-server --gateway)."
                        : figures.size() + " tool(s) called in the last minute or two" + figures.stream().limit(10)
                        .map(f -> "; " + f.type().value() + "__" + f.tool() + " " + f.requests() + " request(s), p95 "
                                + String.format(java.util.Locale.ROOT, "%.1f ms", f.p95Ms()))
                        .collect(Collectors.joining()) + ".";
                break;
            case "usage":
                Set<ServerType> ofType = type.map(Set::of).orElse(Set.of());
                List<ReadUsageProfilesUseCase.ProfileNow> learned = usage.map(u -> u.profiles(ofType))
                        .orElse(List.of());
                out.put("profiles", learned.stream().map(HealthDashboardsTool::profile).toList());
                long anomalies = learned.stream().mapToLong(p -> p.anomalies().size()).sum();
                summary = usage.isEmpty() ? "No usage is learned by this server: profiles come with gateway mode"
                        + " (mcp-health-server --gateway)." : learned.isEmpty() ? "No usage learned yet: profiles"
                        + " begin with the first calls through the gateway." : learned.size() + " profile(s), "
                        + anomalies + " anomaly(ies) open" + learned.stream().filter(p -> p.tool().isEmpty()).limit(10)
                        .map(p -> "; " + p.serverType().value() + " " + p.expected().stream().filter(e -> e.figure()
                                == dev.mcphealth.domain.model.UsageFigure.RATE).findFirst().map(e ->
                                String.format(java.util.Locale.ROOT, "about %.1f calls a minute at %s (%.0f %%"
                                        + " confident)", e.expected(), e.hour().label(), 100 * e.confidence()))
                                .orElse("no calls learned")).collect(Collectors.joining()) + ".";
                break;
            case "cluster":
                Optional<dev.mcphealth.domain.monitoring.ClusterView> shared = cluster.read();
                shared.ifPresent(c -> out.put("cluster", ApiViews.cluster(c)));
                summary = shared.map(HealthDashboardsTool::clusterLine).orElse("No cluster: this monitor does not"
                        + " share its database with others (monitors share the work on one PostgreSQL database;"
                        + " docs/cluster.md).");
                break;
            case "trends":
                List<StatusSnapshot> trendRows = snapshots(type);
                out.put("servers", trendRows.stream().map(s -> trend(s, window)).toList());
                summary = "Trends over " + windowText + " for " + trendRows.size() + " server(s).";
                break;
            default:
                List<StatusSnapshot> all = monitor.snapshot();
                Map<HealthStatus, Integer> counts = new EnumMap<>(HealthStatus.class);
                all.forEach(s -> s.status().ifPresent(st -> counts.merge(st, 1, Integer::sum)));
                out.put("counts", counts);
                out.put("servers", all.stream().map(ApiViews::snapshot).toList());
                orchestrator.ifPresent(o -> out.put("orchestratorStatus", OrchestratorViews.status(o.status())));
                Optional<dev.mcphealth.domain.monitoring.ClusterView> members;
                try {
                    members = cluster.read();
                } catch (dev.mcphealth.application.port.out.StorageUnavailableException e) {
                    // the overview is the monitor's own: the database away leaves out only the cluster (which
                    // database and why go to the log, as with the read API)
                    LOG.warn("the overview could not read the cluster: {}", e.getMessage());
                    members = Optional.empty();
                    out.put("clusterNotRead", "the database cannot be read now; the server's log says why");
                }
                members.ifPresent(c -> out.put("cluster", ApiViews.cluster(c)));
                summary = all.size() + " server(s): " + all.stream().map(HealthDashboardsTool::line)
                        .collect(Collectors.joining("; ")) + "." + members.map(c -> " " + clusterLine(c)).orElse("");
                break;
        }
        return Reply.ok(summary, out.map());
    }

    /** "Cluster: 2 of 3 monitors live (lease 15 s); host/1/ab holds r0, r1; host/2/cd holds r2." */
    private static String clusterLine(dev.mcphealth.domain.monitoring.ClusterView c) {
        return "Cluster: " + c.live().size() + " of " + c.members().size() + " monitor(s) live (lease "
                + Durations.format(c.lease()) + ")" + c.live().stream().limit(10).map(m -> {
                    List<String> held = c.heldBy(m.id());
                    return "; " + m.id() + " holds " + (held.isEmpty() ? "nothing" : held.size() > 20
                            ? held.size() + " servers" : String.join(", ", held));
                }).collect(Collectors.joining()) + ".";
    }

    private static Obj profile(ReadUsageProfilesUseCase.ProfileNow p) {
        return Obj.of().put("type", p.serverType().value()).put("tool", p.tool()).put("minutesLearned",
                Math.round(p.minutesLearned())).put("expected", p.expected().stream().map(e -> Obj.of()
                .put("figure", e.figure().code()).put("hour", e.hour().label()).put("expected", e.expected())
                .put("low", e.low()).put("high", e.high()).put("confidence", e.confidence())
                .put("leaning", e.leaning()).map()).toList()).put("anomalies", p.anomalies().stream().map(a -> Obj
                .of().put("figure", a.figure().code()).put("since", a.at().toString()).put("direction", a.high() ? "up" : "down")
                .put("observed", a.observed()).put("minutes", a.minutes()).put("expected", a.expected().expected())
                .put("low", a.expected().low()).put("high", a.expected().high()).map()).toList());
    }

    private List<StatusSnapshot> snapshots(Optional<ServerType> type) {
        return monitor.snapshot().stream().filter(s -> type.isEmpty() || type.get().equals(s.type())).toList();
    }

    private Obj serverView(StatusSnapshot s, Duration window) {
        HistoryReport h = history.read(new ReadHistoryUseCase.Query(s.server(), window));
        return ApiViews.snapshot(s)
                .put("history", lastBuckets(h).stream().map(ApiViews::bucket).toList())
                .put("alerts", h.alerts().stream().map(ApiViews::alert).toList())
                .put("failures", h.failures().stream().map(ApiViews::failure).toList());
    }

    private Obj trend(StatusSnapshot s, Duration window) {
        HistoryReport h = history.read(new ReadHistoryUseCase.Query(s.server(), window));
        List<HistoryBucket> buckets = lastBuckets(h);
        Obj o = Obj.of().put("server", s.server().value()).put("type", s.type().value())
                .put("buckets", buckets.stream().map(ApiViews::bucket).toList());
        if (buckets.size() >= 2) {
            HistoryBucket first = buckets.get(0);
            HistoryBucket last = buckets.get(buckets.size() - 1);
            o.put("p50MsFirst", first.p50Ms()).put("p50MsLast", last.p50Ms())
                    .put("availabilityFirst", first.availability()).put("availabilityLast", last.availability());
        }
        return o;
    }

    private static List<HistoryBucket> lastBuckets(HistoryReport h) {
        List<HistoryBucket> b = h.buckets();
        return b.size() <= MAX_BUCKETS ? b : b.subList(b.size() - MAX_BUCKETS, b.size());
    }

    private static String line(StatusSnapshot s) {
        return s.server().value() + " " + s.statusOr("not probed yet")
                + s.sla().map(v -> " (SLA " + Obj.percent(v) + ")").orElse("");
    }
}
