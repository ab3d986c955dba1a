package dev.mcphealth.adapter.web;

import dev.mcphealth.domain.history.HistoryBucket;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.model.WindowStats;
import java.time.Duration;

/**
 * The read model's JSON shapes, shared by the read API ({@code /api/v1}), the event stream and the MCP tools'
 * structured content: a server's status row and its windows, a failure episode, an alert, a history bucket, a tool's
 * figures through the gateway. Versioned with the API: a field may be added, never renamed or removed.
 */
public final class ApiViews {
    private ApiViews() {
    }

    public static Obj snapshot(StatusSnapshot s) {
        return Obj.of()
                .put("server", s.server().value())
                .put("type", s.type().value())
                .put("status", s.status())
                .put("since", s.since())
                .put("sla", s.sla())
                .put("slaTarget", s.slaTarget())
                .put("slaProbes", s.slaProbes())
                .put("windows", s.windows().stream().map(ApiViews::window).toList())
                .put("lastFailure", s.lastFailure().map(f -> Obj.of().put("type", f.type()).put("message", f.message())
                        .put("at", s.lastFailureAt())))
                .put("updatedAt", s.updatedAt())
                .put("details", s.details());
    }

    public static Obj window(WindowStats w) {
        return Obj.of()
                .put("window", windowName(w.window()))
                .put("calls", w.calls())
                .put("errors", w.errors())
                .put("probes", w.probes())
                .put("answeredProbes", w.answeredProbes())
                .put("errorRate", w.errorRate())
                .put("availability", w.availability())
                .put("throughputPerSecond", w.throughput())
                .put("p50Ms", w.p50())
                .put("p95Ms", w.p95())
                .put("p99Ms", w.p99());
    }

    public static String windowName(Duration d) {
        if (d.toHours() > 0 && d.toMinutes() % 60 == 0) {
            return d.toHours() + "h";
        }
        return d.toMinutes() > 0 && d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }

    public static Obj failure(Failure f) {
        return Obj.of()
                .put("server", f.serverInstance().value())
                .put("type", f.serverType().value())
                .put("failureType", f.type())
                .put("occurredAt", f.occurredAt())
                .put("resolved", f.resolved())
                .put("resolutionMs", f.resolutionTime())
                .put("recoveryAction", f.recoveryAction())
                .put("details", f.errorDetails());
    }

    /** A tool's figures through the gateway (health_dashboards' {@code tools}, {@code GET /api/v1/tools}). */
    public static Obj tool(dev.mcphealth.application.port.in.ReadToolStatsUseCase.ToolFigures f) {
        return Obj.of().put("type", f.type().value()).put("tool", f.tool()).put("requests", f.requests())
                .put("failures", f.failures()).put("errorRate", f.errorRate()).put("p50Ms", f.p50Ms())
                .put("p95Ms", f.p95Ms()).put("p99Ms", f.p99Ms());
    }

    /**
     * The monitors sharing the database and who holds which server (docs/cluster.md): {@code GET /api/v1/cluster},
     * {@code integration_health_dashboards}' cluster, {@code mcp-health status --json}'s {@code cluster}.
     */
    public static Obj cluster(dev.mcphealth.domain.monitoring.ClusterView c) {
        return Obj.of()
                .put("leaseSeconds", c.lease().toMillis() / 1000.0)
                .put("at", c.at())
                .put("liveMembers", c.live().size())
                .put("members", c.members().stream().map(m -> Obj.of()
                        .put("id", m.id())
                        .put("host", m.host())
                        .put("pid", m.pid())
                        .put("live", m.live())
                        .put("startedAt", m.startedAt())
                        .put("heartbeatAt", m.heartbeatAt())
                        .put("heartbeatSecondsAgo", Math.max(0, Duration.between(m.heartbeatAt(), c.at()).toMillis())
                                / 1000.0)
                        .put("stoppedAt", m.stoppedAt())
                        .put("holds", c.heldBy(m.id()))).toList())
                .put("leases", c.holdings().stream().map(h -> Obj.of()
                        .put("server", h.server())
                        .put("owner", h.owner())
                        .put("token", h.token())
                        .put("live", h.live())
                        .put("acquiredAt", h.acquiredAt())
                        .put("expiresAt", h.expiresAt())).toList());
    }

    public static Obj alert(Alert a) {
        return Obj.of().put("id", a.id()).put("server", a.server().value()).put("severity", a.severity())
                .put("message", a.message()).put("raisedAt", a.raisedAt()).put("resolvedAt", a.resolvedAt());
    }

    public static Obj bucket(HistoryBucket b) {
        return Obj.of()
                .put("start", b.start())
                .put("widthMs", b.width())
                .put("probes", b.probes())
                .put("answered", b.answered())
                .put("availability", b.availability())
                .put("p50Ms", b.p50Ms())
                .put("p95Ms", b.p95Ms())
                .put("p99Ms", b.p99Ms())
                .put("worst", b.worst());
    }
}
